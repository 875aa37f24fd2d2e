import { z } from 'zod';
import { ATTENDANCE, BoothPlanFields, CONFLICT_KINDS } from '../schemas/booths';
import { Id, IsoDateTime, OptionalText } from '../schemas/common';

const Slot = { boothId: Id, slotStart: IsoDateTime, slotEnd: IsoDateTime };

/**
 * Booth scheduling. Bookings are claims: capacity cannot be guaranteed offline, so the projection
 * keeps every claim and a derived query marks the ones beyond capacity (ordered by HLC) as conflicted.
 */
export const boothEvents = {
  /** Last writer by HLC wins per booth. `copiedFromStopId` when copied from an earlier stop's booth. */
  booth_plan_set: BoothPlanFields.extend({ boothId: Id, stopId: Id, copiedFromStopId: Id.nullable().default(null) }),
  booking_made: z.object({
    bookingId: Id,
    ...Slot,
    stopId: Id,
    attendeeId: Id,
    registrationId: Id,
    source: z.enum(['desk', 'waitlist']),
  }),
  /** The latest move by HLC places the booking; a move never revives a cancelled booking. */
  booking_moved: z.object({ bookingId: Id, ...Slot }),
  /** Terminal: any cancel cancels, whatever arrives later. */
  booking_cancelled: z.object({ bookingId: Id, reason: OptionalText(500) }),
  /**
   * A person's mark beats the host's automatic no-show (`source: 'auto'`, issue #19); among marks of
   * the same kind the last writer by HLC wins. Absent source: a person (events before #19).
   */
  attendance_marked: z.object({ bookingId: Id, attendance: z.enum(ATTENDANCE), source: z.enum(['desk', 'auto']).optional() }),
  /** Someone consulted at a booth without a booking: an attended booking of source walk_up. */
  walk_up_recorded: z.object({ bookingId: Id, ...Slot, stopId: Id, attendeeId: Id, registrationId: Id }),
  waitlist_joined: z.object({ entryId: Id, boothId: Id, stopId: Id, attendeeId: Id, registrationId: Id }),
  waitlist_left: z.object({ entryId: Id, reason: z.enum(['withdrawn', 'booked']) }),
  /** A freed place offered to the entry; the latest offer by HLC is the open one. */
  waitlist_offered: z.object({ entryId: Id, slotStart: IsoDateTime, slotEnd: IsoDateTime }),
  waitlist_offer_declined: z.object({ entryId: Id, slotStart: IsoDateTime }),
  /** A person looked at a conflict and decided; `kept` accepts the booking where it is. */
  booking_conflict_resolved: z.object({
    bookingId: Id,
    kind: z.enum(CONFLICT_KINDS),
    action: z.enum(['kept', 'moved', 'cancelled']),
    boothId: Id,
    slotStart: IsoDateTime,
    note: OptionalText(500),
  }),
} as const;
