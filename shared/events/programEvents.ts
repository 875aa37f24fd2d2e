import { z } from 'zod';
import { Id, NonEmpty } from '../schemas/common';
import { LeadOutcome, Program } from '../schemas/programs';

/**
 * Issue #21. `program_upserted` is master data (HQ writes it, desks pull it, last writer by HLC wins).
 * The lead outcomes are written at HQ by an institution's staff (or an HQ admin) as the device
 * `HQ_LEADS_DEVICE_ID` (shared/sync/hqProtocol.ts), whose events HQ never hands to a desk: a laptop at the next
 * stop has no business holding how an interview went.
 */
export const programEvents = {
  program_upserted: Program,
  lead_outcome_recorded: LeadOutcome,
  /** A mistaken outcome taken back (the history keeps both). */
  lead_outcome_retracted: z.object({ outcomeId: Id, reason: NonEmpty(500) }),
} as const;
