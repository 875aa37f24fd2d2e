import { z } from 'zod';
import { OUTCOME_STATUSES, PROGRAM_KINDS } from '../vocab';
import { Id, IsoDate, IsoDateTime, NonEmpty, OptionalText } from './common';

/**
 * A programme people are recruited into (issue #21): an institution's own (KAIST's postdoc positions), one of a
 * national scheme's groups (InnoCORE's eight AI research groups) or the national scheme itself (Brain to Korea,
 * `institutionId: null`). Master data written at HQ; desks receive it by pull and consultations name it.
 */
export const Program = z.object({
  id: Id,
  /** The institution that runs it; null for a national programme open to every institution. */
  institutionId: Id.nullable().default(null),
  name: NonEmpty(160),
  nameKo: OptionalText(160),
  kind: z.enum(PROGRAM_KINDS),
  /** Places the programme has to fill (InnoCORE: 400 postdoc places), when known: the dashboard's denominator. */
  places: z.number().int().min(1).max(100_000).nullable().default(null),
  /** Retired programmes stay for history (consultations and outcomes still name them) but are not offered. */
  active: z.boolean().default(true),
});
export type Program = z.infer<typeof Program>;

/** One follow-up outcome of a lead, as an institution's staff recorded it (an event; never edited, only retracted). */
export const LeadOutcome = z.object({
  outcomeId: Id,
  attendeeId: Id,
  institutionId: Id,
  programId: Id.nullable(),
  status: z.enum(OUTCOME_STATUSES),
  /** The day it happened (the interview's day, the offer's), which may be before it was recorded. */
  occurredOn: IsoDate,
  note: OptionalText(2000),
});
export type LeadOutcome = z.infer<typeof LeadOutcome>;

/** A recorded outcome as read back: who recorded it when, and whether it was retracted. */
export const LeadOutcomeEntry = LeadOutcome.extend({
  recordedBy: z.string(),
  recordedAt: IsoDateTime,
  retracted: z.object({ by: z.string(), at: IsoDateTime, reason: z.string() }).nullable(),
});
export type LeadOutcomeEntry = z.infer<typeof LeadOutcomeEntry>;
