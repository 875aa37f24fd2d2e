import { z } from 'zod';

/** Client-made ids (UUID v4/v7) and the seeded ids of master data share one loose shape. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'id has characters it may not');
export const IsoDateTime = z.iso.datetime({ offset: false });
export const IsoDate = z.iso.date();
export const NonEmpty = (max: number) => z.string().trim().min(1).max(max);
export const OptionalText = (max: number) => z.string().trim().max(max).default('');
export const Email = z.string().trim().max(254).pipe(z.union([z.literal(''), z.email()]));
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
