import { z } from 'zod';
import { CAREER_STAGES, REGISTRATION_SOURCES, RESEARCH_FIELDS } from '../vocab';
import { Email, Id, IsoDateTime, OptionalText } from './common';

/** Names come in Latin script, Hangul, or both; at least one must be present (refined where used). */
export const AttendeeFields = z.object({
  familyName: OptionalText(100),
  givenName: OptionalText(100),
  nameKo: OptionalText(100),
  email: Email.default(''),
  affiliation: OptionalText(200),
  careerStage: z.enum(CAREER_STAGES).default('other'),
  fields: z.array(z.enum(RESEARCH_FIELDS)).max(RESEARCH_FIELDS.length).default([]),
});
export type AttendeeFields = z.infer<typeof AttendeeFields>;

export const hasAName = (a: { familyName: string; givenName: string; nameKo: string }): boolean =>
  (a.familyName + a.givenName + a.nameKo).trim().length > 0;

export const Attendee = AttendeeFields.extend({ id: Id });
export type Attendee = z.infer<typeof Attendee>;

export const CheckInInfo = z.object({
  eventId: z.string(),
  deviceId: z.string(),
  desk: z.string(),
  at: IsoDateTime,
  voided: z.boolean(),
  voidReason: z.string().nullable(),
});
export type CheckInInfo = z.infer<typeof CheckInInfo>;

/** An attendee as the check-in desk sees them at one stop. */
export const RegistrationView = z.object({
  registrationId: Id,
  attendee: Attendee,
  stopId: Id,
  source: z.enum(REGISTRATION_SOURCES),
  scanToken: z.string(),
  /** The effective (earliest, not voided) check-in, if any. */
  checkIn: CheckInInfo.nullable(),
  /** Later check-ins of the same person at the same stop: kept and shown as duplicates. */
  duplicateCheckIns: z.array(CheckInInfo),
});
export type RegistrationView = z.infer<typeof RegistrationView>;

export const StopCounts = z.object({
  stopId: Id,
  registered: z.number().int(),
  checkedIn: z.number().int(),
  walkIns: z.number().int(),
  byCareerStage: z.record(z.string(), z.number().int()),
});
export type StopCounts = z.infer<typeof StopCounts>;
