import { z } from 'zod';
import { RESEARCH_FIELDS } from '../vocab';
import { Attendee } from './attendees';
import { Id, IsoDateTime, LocalTime } from './common';
import { Booth, Institution } from './masterData';


export const BoothBreak = z.object({ start: LocalTime, end: LocalTime });
export type BoothBreak = z.infer<typeof BoothBreak>;

/** A booth's consultation plan at one stop. Times are the stop's local time; slots are computed from it. */
export const BoothPlanFields = z.object({
  startTime: LocalTime,
  endTime: LocalTime,
  slotMinutes: z.number().int().min(5).max(240),
  /** How many of the institution's people sit at the booth: bookings a slot may hold. */
  capacity: z.number().int().min(1).max(50),
  breaks: z.array(BoothBreak).max(12).default([]),
  /** Research fields the booth consults on (filter of the grid). */
  fields: z.array(z.enum(RESEARCH_FIELDS)).max(RESEARCH_FIELDS.length).default([]),
});
export type BoothPlanFields = z.infer<typeof BoothPlanFields>;

export const BoothPlan = BoothPlanFields.extend({ boothId: Id, stopId: Id, copiedFromStopId: Id.nullable() });
export type BoothPlan = z.infer<typeof BoothPlan>;

export const BOOKING_SOURCES = ['desk', 'waitlist', 'walk_up'] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];
/**
 * Actor of the events an attendee writes through HQ's self-booking link (issue #21): `self:<attendeeId>`.
 * A booking the attendee made themself shows as source 'self' (derived from the actor, see boothProjection).
 */
export const SELF_ACTOR_PREFIX = 'self:';
export const BOOKING_VIEW_SOURCES = [...BOOKING_SOURCES, 'self'] as const;
export type BookingViewSource = (typeof BOOKING_VIEW_SOURCES)[number];
export const ATTENDANCE = ['pending', 'attended', 'no_show'] as const;
export type Attendance = (typeof ATTENDANCE)[number];

export const SlotView = z.object({
  start: IsoDateTime,
  end: IsoDateTime,
  /** Local wall-clock labels in the stop's time zone (a DST day can repeat or skip hours). */
  localStart: LocalTime,
  localEnd: LocalTime,
  capacity: z.number().int(),
  /** Bookings holding a place: not cancelled and not marked no-show. */
  booked: z.number().int(),
  /** Places held for a waitlist offer not yet answered. */
  held: z.number().int(),
});
export type SlotView = z.infer<typeof SlotView>;

export const BookingView = z.object({
  bookingId: Id,
  boothId: Id,
  stopId: Id,
  slotStart: IsoDateTime,
  slotEnd: IsoDateTime,
  attendee: Attendee,
  registrationId: Id,
  source: z.enum(BOOKING_VIEW_SOURCES),
  attendance: z.enum(ATTENDANCE),
  /** The attendance is the host's automatic no-show (issue #19), not a person's mark. */
  attendanceAuto: z.boolean(),
  /** The attendee has an effective (earliest, not voided) check-in at this stop. */
  checkedIn: z.boolean(),
  scanToken: z.string(),
  /** Beyond capacity or double-booked after a sync, and not yet resolved. */
  conflicted: z.boolean(),
  bookedAt: IsoDateTime,
});
export type BookingView = z.infer<typeof BookingView>;

export const WaitlistEntryView = z.object({
  entryId: Id,
  boothId: Id,
  attendee: Attendee,
  registrationId: Id,
  joinedAt: IsoDateTime,
  /** The open offer: a place held for this person until they answer or it expires (`expiresAt`, null: never). */
  offer: z.object({ slotStart: IsoDateTime, slotEnd: IsoDateTime, offeredAt: IsoDateTime, expiresAt: IsoDateTime.nullable() }).nullable(),
  /**
   * The person's last offer, unanswered past the stop's expiry time (derived from the clock, issue #19):
   * its place went back, and this slot is never offered to them again while the offer stands.
   */
  expiredOffer: z.object({ slotStart: IsoDateTime, slotEnd: IsoDateTime, expiredAt: IsoDateTime }).nullable(),
});
export type WaitlistEntryView = z.infer<typeof WaitlistEntryView>;

export const CONFLICT_KINDS = ['over_capacity', 'double_booked', 'off_plan'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const ConflictView = z.object({
  /** Stable key, so the list is the same on every laptop holding the same events. */
  key: z.string(),
  kind: z.enum(CONFLICT_KINDS),
  boothId: Id,
  slotStart: IsoDateTime,
  capacity: z.number().int().nullable(),
  /** Every booking involved, in HLC order: the first ones keep their place. */
  bookings: z.array(BookingView),
  /** The bookings a person must move, cancel or keep. */
  conflictedBookingIds: z.array(Id),
});
export type ConflictView = z.infer<typeof ConflictView>;

export const BoothScheduleRow = z.object({
  booth: Booth.extend({ institution: Institution }),
  plan: BoothPlan.nullable(),
  slots: z.array(SlotView),
  waitlist: z.array(WaitlistEntryView),
});
export type BoothScheduleRow = z.infer<typeof BoothScheduleRow>;

export const BoothSchedule = z.object({
  stopId: Id,
  timeZone: z.string(),
  date: z.string(),
  rows: z.array(BoothScheduleRow),
  bookings: z.array(BookingView),
  conflicts: z.array(ConflictView),
});
export type BoothSchedule = z.infer<typeof BoothSchedule>;

export const BookingWarning = z.object({
  kind: z.literal('back_to_back_distant'),
  otherBookingId: Id,
  otherBoothId: Id,
  otherLocation: z.string(),
});
export type BookingWarning = z.infer<typeof BookingWarning>;

export const BookingResult = z.object({
  booking: BookingView,
  warnings: z.array(BookingWarning),
  /** A freed place offered to the first person waiting at the booth it was freed at. */
  offer: WaitlistEntryView.nullable(),
});
export type BookingResult = z.infer<typeof BookingResult>;
