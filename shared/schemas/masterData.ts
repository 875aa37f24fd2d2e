import { z } from 'zod';
import { INSTITUTION_KINDS, STOP_KINDS } from '../vocab';
import { Id, IsoDate, NonEmpty, OptionalText, TimeZone } from './common';

export const Tour = z.object({
  id: Id,
  name: NonEmpty(200),
  nameKo: OptionalText(200),
  year: z.number().int().min(2000).max(2100),
});
export type Tour = z.infer<typeof Tour>;

export const Stop = z.object({
  id: Id,
  tourId: Id,
  round: NonEmpty(10),
  city: NonEmpty(100),
  cityKo: OptionalText(100),
  venue: OptionalText(200),
  campus: OptionalText(200),
  date: IsoDate,
  timeZone: TimeZone,
  kind: z.enum(STOP_KINDS),
});
export type Stop = z.infer<typeof Stop>;

export const Institution = z.object({
  id: Id,
  name: NonEmpty(200),
  nameKo: OptionalText(200),
  shortName: NonEmpty(40),
  kind: z.enum(INSTITUTION_KINDS),
});
export type Institution = z.infer<typeof Institution>;

export const Booth = z.object({
  id: Id,
  stopId: Id,
  institutionId: Id,
  location: OptionalText(100),
  staff: z.array(NonEmpty(100)).max(50).default([]),
});
export type Booth = z.infer<typeof Booth>;
