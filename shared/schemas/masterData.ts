import { z } from 'zod';
import { INSTITUTION_KINDS, SESSION_KINDS, STOP_KINDS } from '../vocab';
import { Email, Id, IsoDate, LocalTime, NonEmpty, OptionalText, TimeZone } from './common';

/** A roadshow: its stops fall within `startDate`–`endDate` when they are set, else within `year`. */
export const Tour = z.object({
  id: Id,
  name: NonEmpty(200),
  nameKo: OptionalText(200),
  year: z.number().int().min(2000).max(2100),
  startDate: IsoDate.nullable().default(null),
  endDate: IsoDate.nullable().default(null),
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

/**
 * One item of a stop's programme (policy briefing, booth hours, IR round, campus talk): local wall-clock
 * times in the stop's time zone. A cancelled session stays listed as cancelled: nothing is deleted.
 */
export const StopSession = z.object({
  id: Id,
  stopId: Id,
  kind: z.enum(SESSION_KINDS),
  title: NonEmpty(200),
  titleKo: OptionalText(200),
  startTime: LocalTime,
  endTime: LocalTime,
  room: OptionalText(100),
  /** Seats, or null when the room has no set limit. */
  capacity: z.number().int().min(1).max(100_000).nullable().default(null),
  cancelled: z.boolean().default(false),
});
export type StopSession = z.infer<typeof StopSession>;

export const Institution = z.object({
  id: Id,
  name: NonEmpty(200),
  nameKo: OptionalText(200),
  shortName: NonEmpty(40),
  kind: z.enum(INSTITUTION_KINDS),
  /** Programmes the institution recruits for (InnoCORE postdoc positions, Brain to Korea, its own). */
  programs: z.array(NonEmpty(120)).max(30).default([]),
  /** Who follows up the institution's leads after the stop. */
  contactName: OptionalText(100),
  contactEmail: Email.default(''),
});
export type Institution = z.infer<typeof Institution>;

/** An institution's booth at one stop; `location` is the booth code on the floor plan (B07). */
export const Booth = z.object({
  id: Id,
  stopId: Id,
  institutionId: Id,
  location: OptionalText(100),
  staff: z.array(NonEmpty(100)).max(50).default([]),
  /** Taken off the floor plan: its bookings stay and show in the conflict list until a person resolves them. */
  removed: z.boolean().default(false),
});
export type Booth = z.infer<typeof Booth>;
