import { z } from 'zod';
import { Id, NonEmpty } from '../schemas/common';

/**
 * Open conflicts of a stop that sync revealed (issue #19): the same list HQ's dashboard shows
 * (core/store/queries/conflictQueries.ts derives it for both), resolvable at the desk with the
 * same actions. `resolvable` says whether the signed-in person may resolve this one.
 */
const Common = { stopId: Id, resolvable: z.boolean() };
export const ConflictEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('double_check_in'),
    ...Common,
    registrationId: Id,
    name: z.string(),
    first: z.object({ at: z.string(), desk: z.string() }),
    second: z.object({ at: z.string(), desk: z.string(), eventId: Id }),
  }),
  z.object({
    kind: z.literal('booking'),
    ...Common,
    conflict: z.enum(['over_capacity', 'double_booked', 'off_plan']),
    bookingId: Id,
    name: z.string(),
    boothId: Id,
    booth: z.string(),
    slotStart: z.string(),
  }),
  z.object({
    kind: z.literal('consultation'),
    ...Common,
    consultationId: Id,
    institutionId: z.string().nullable(),
    institution: z.string(),
    visitor: z.string(),
    heads: z.number().int(),
  }),
]);
export type ConflictEntry = z.infer<typeof ConflictEntry>;

/** How a conflict is resolved: the same three actions as HQ's dashboard. */
export const ConflictResolution = z.discriminatedUnion('kind', [
  /** Undo the later check-in; `reason` in the desk's language (kept in the history). */
  z.object({ kind: z.literal('double_check_in'), checkInEventId: Id, reason: NonEmpty(200) }),
  z.object({ kind: z.literal('booking'), bookingId: Id, action: z.enum(['keep', 'cancel']) }),
  /** Keep the current text as the one version (the heads merged into it). */
  z.object({ kind: z.literal('consultation'), consultationId: Id }),
]);
export type ConflictResolution = z.infer<typeof ConflictResolution>;

export const conflictsContract = {
  'conflicts:list': { input: z.object({ stopId: Id.optional() }), output: z.array(ConflictEntry) },
  'conflicts:resolve': { input: ConflictResolution, output: z.object({ ok: z.literal(true) }) },
} as const;
