import { z } from 'zod';

/** Client-made ids (UUID v4/v7) and the seeded ids of master data share one loose shape. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'id has characters it may not');
export const IsoDateTime = z.iso.datetime({ offset: false });
export const IsoDate = z.iso.date();
/**
 * Text with a lone UTF-16 surrogate cannot be stored as typed (JSON and SQLite turn it into U+FFFD, so a name
 * would change on the way in): refused at the schema, where the person can still correct it (issue #17).
 */
// In a `u` regex a pair is one code point, so `\p{Cs}` matches only a surrogate standing alone.
const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);
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
