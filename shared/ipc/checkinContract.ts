import { z } from 'zod';
import { DESK_CONSENT_SCOPES } from '../consentTexts';
import { ConsentTextVersion } from '../consentTextVersion';
import { Attendee, AttendeeFields, RegistrationView, StopCounts, hasAName } from '../schemas/attendees';
import { Id, NonEmpty } from '../schemas/common';
import { badgeContract } from './badgeContract';
import { importContract } from './importContract';

/** A consultation booked for the person at this stop (read from the booths feature's table when it exists). */
export const BookingBrief = z.object({
  bookingId: z.string(),
  institution: z.string(),
  location: z.string(),
  slotStart: z.string().nullable(),
  slotEnd: z.string().nullable(),
  attendance: z.string(),
});
export type BookingBrief = z.infer<typeof BookingBrief>;

/** A registration as the desk shows it: status, check-in (desk, time), duplicates and booked consultations. */
export const DeskView = RegistrationView.extend({ bookings: z.array(BookingBrief) });
export type DeskView = z.infer<typeof DeskView>;

export const CheckInResult = z.object({
  registration: DeskView,
  /** True when this call made the check-in; false when the person was already checked in. */
  created: z.boolean(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

/** What a scanned token did: checked the person in, found them already checked in, or matched no one here. */
export const ScanResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checked_in'), token: z.string(), registration: DeskView }),
  z.object({ kind: z.literal('already'), token: z.string(), registration: DeskView }),
  z.object({ kind: z.literal('unknown'), token: z.string() }),
]);
export type ScanResult = z.infer<typeof ScanResult>;

export const WalkInInput = AttendeeFields.extend({
  stopId: Id,
  /** The person's own choice, never defaulted; at the desk "this institution" has no institution (issue #22). */
  consentScope: z.enum(DESK_CONSENT_SCOPES),
  /** The consent text the person read (shared/consentTexts.ts): one whose wording this app keeps. */
  consentTextVersion: ConsentTextVersion,
  checkInNow: z.boolean().default(true),
}).refine(hasAName, { message: 'name required', path: ['familyName'] });
export type WalkInInput = z.input<typeof WalkInInput>;

/** A person already known (tour-wide) who may be the one filling in the walk-in form. */
export const SimilarAttendee = z.object({
  attendee: Attendee,
  reason: z.enum(['email', 'name']),
  /** Their registration at this stop, if they have one. */
  registration: DeskView.nullable(),
});
export type SimilarAttendee = z.infer<typeof SimilarAttendee>;

export const HistoryEntry = z.object({
  kind: z.enum(['check_in', 'void']),
  eventId: z.string(),
  stopId: z.string(),
  desk: z.string(),
  deviceId: z.string(),
  /** The staff member signed in at the desk (null: unknown here, e.g. a person not in this laptop's staff list). */
  staffName: z.string().nullable(),
  at: z.string(),
  /** For a void: the reason; for a check-in: null. */
  reason: z.string().nullable(),
  /** For a void: the check-in it undid. */
  checkInEventId: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const checkinContract = {
  'checkin:search': {
    input: z.object({ stopId: Id, query: z.string().max(200), limit: z.number().int().min(1).max(200).default(20) }),
    output: z.array(DeskView),
  },
  'checkin:byToken': { input: z.object({ stopId: Id, token: NonEmpty(64) }), output: DeskView.nullable() },
  /** Scanner and camera: look the token up and check the person in, in one call. */
  'checkin:scan': { input: z.object({ stopId: Id, token: NonEmpty(200) }), output: ScanResult },
  'checkin:checkIn': { input: z.object({ registrationId: Id }), output: CheckInResult },
  'checkin:void': {
    input: z.object({ checkInEventId: z.string().min(1).max(64), reason: NonEmpty(500) }),
    output: DeskView,
  },
  'checkin:counts': { input: z.object({ stopId: Id }), output: StopCounts },
  'checkin:registerWalkIn': { input: WalkInInput, output: DeskView },
  /** Registers a person already known (picked from the duplicate suggestions) at this stop. */
  'checkin:registerExisting': {
    input: z.object({ stopId: Id, attendeeId: Id, checkInNow: z.boolean().default(true) }),
    output: DeskView,
  },
  'checkin:similar': {
    input: z.object({
      stopId: Id,
      familyName: z.string().max(100).default(''),
      givenName: z.string().max(100).default(''),
      nameKo: z.string().max(100).default(''),
      email: z.string().max(254).default(''),
    }),
    output: z.array(SimilarAttendee),
  },
  'checkin:history': { input: z.object({ attendeeId: Id }), output: z.array(HistoryEntry) },
  ...importContract,
  ...badgeContract,
} as const;
