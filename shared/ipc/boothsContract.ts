import { z } from 'zod';
import { ATTENDANCE, BookingResult, BookingView, BoothPlan, BoothPlanFields, BoothSchedule, WaitlistEntryView } from '../schemas/booths';
import { Id, IsoDateTime, OptionalText } from '../schemas/common';

const Target = { boothId: Id, slotStart: IsoDateTime };

export const boothsContract = {
  /** Everything the Booths screen shows for a stop: booths, plans, slots, bookings, waitlists, conflicts. */
  'booths:schedule': { input: z.object({ stopId: Id }), output: BoothSchedule },
  'booths:setPlan': { input: BoothPlanFields.extend({ boothId: Id }), output: BoothPlan },
  /** Copies each institution's plan from an earlier stop to its booth at this stop. */
  'booths:copyPlans': {
    input: z.object({ fromStopId: Id, toStopId: Id, overwrite: z.boolean().default(false) }),
    output: z.object({ copied: z.number().int(), skipped: z.number().int() }),
  },
  'booths:book': { input: z.object({ ...Target, registrationId: Id }), output: BookingResult },
  'booths:walkUp': { input: z.object({ ...Target, registrationId: Id }), output: BookingResult },
  'booths:move': { input: z.object({ bookingId: Id, ...Target }), output: BookingResult },
  'booths:cancel': {
    input: z.object({ bookingId: Id, reason: OptionalText(500) }),
    output: z.object({ offer: WaitlistEntryView.nullable() }),
  },
  /** Marking a no-show frees the place: `offer` is the first person waiting who was offered it (issue #19). */
  'booths:markAttendance': {
    input: z.object({ bookingId: Id, attendance: z.enum(ATTENDANCE) }),
    output: BookingView.extend({ offer: WaitlistEntryView.nullable() }),
  },
  'booths:waitlistJoin': { input: z.object({ boothId: Id, registrationId: Id }), output: WaitlistEntryView },
  'booths:waitlistLeave': { input: z.object({ entryId: Id }), output: z.object({ entryId: Id }) },
  'booths:acceptOffer': { input: z.object({ entryId: Id }), output: BookingResult },
  'booths:declineOffer': { input: z.object({ entryId: Id }), output: z.object({ offer: WaitlistEntryView.nullable() }) },
  /** Resolves a conflict: keep the booking where it is, cancel it, or move it (target required). */
  'booths:resolveConflict': {
    input: z.object({
      bookingId: Id,
      action: z.enum(['keep', 'cancel', 'move']),
      boothId: Id.optional(),
      slotStart: IsoDateTime.optional(),
      note: OptionalText(500),
    }),
    output: z.object({ offer: WaitlistEntryView.nullable() }),
  },
} as const;
