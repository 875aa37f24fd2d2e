import { z } from 'zod';

/** Client-made ids (UUID v4/v7) and the seeded ids of master data share one loose shape. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'id has characters it may not');
export const IsoDateTime = z.iso.datetime({ offset: false });
export const IsoDate = z.iso.date();
/**
 * Text with a lone UTF-16 surrogate cannot be stored as typed (JSON and SQLite turn it into U+FFFD, so a name
 * would change on the way in): refused at the schema, where the person can still correct it (issue #17).
 */
// `String.prototype.isWellFormed` (Node 20, Chromium 111) where there is one: ~12× cheaper a call than the regex
// (~0.08 vs ~1 µs for a name), and every text of a seeded, imported or synced person passes here, several times
// (issue #20). Else a `u` regex, in which a pair is one code point, so `\p{Cs}` matches only a surrogate alone.
const LONE_SURROGATE = /\p{Cs}/u;
const nativeWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const wellFormed: (s: string) => boolean = nativeWellFormed ? (s) => nativeWellFormed.call(s) : (s) => !LONE_SURROGATE.test(s);
const BROKEN = { message: 'text has a broken character (a lone surrogate): retype it' };
export const NonEmpty = (max: number) => z.string().trim().min(1).max(max).refine(wellFormed, BROKEN);
export const OptionalText = (max: number) => z.string().trim().max(max).refine(wellFormed, BROKEN).default('');
/** The pattern every email is checked against (zod's): shared by the schema and `isEmail`. */
const EMAIL_PATTERN = z.regexes.email;
export const Email = z.string().trim().max(254).pipe(z.union([z.literal(''), z.email({ pattern: EMAIL_PATTERN })]));
/** `Email` for a non-empty, already trimmed text, without the schema's machinery (once per row of a 100,000-row import). */
export const isEmail = (trimmed: string): boolean => trimmed.length <= 254 && EMAIL_PATTERN.test(trimmed);
/** A wall-clock time in a stop's own time zone, "HH:MM" (24 h). */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM');

export const TimeZone = z.string().min(1).max(64).refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown time zone' },
);
