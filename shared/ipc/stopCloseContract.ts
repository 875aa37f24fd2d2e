import { z } from 'zod';
import { Id } from '../schemas/common';

export const DeskCheck = z.object({
  deviceId: z.string(),
  localCount: z.number().int(),
  localMaxSeq: z.number().int(),
  hqCount: z.number().int(),
  hqMaxSeq: z.number().int(),
  missing: z.number().int(),
  notPulledHere: z.number().int(),
  complete: z.boolean(),
});
export type DeskCheck = z.infer<typeof DeskCheck>;

/** Where the check is made: at HQ (before the stop is closed), or at the venue hub (before the desks leave the hall). */
export const CheckTarget = z.enum(['hq', 'hub']);
export type CheckTarget = z.infer<typeof CheckTarget>;

export const StopCloseCheck = z.object({ stopId: Id, complete: z.boolean(), desks: z.array(DeskCheck), at: CheckTarget.default('hq') });
export type StopCloseCheck = z.infer<typeof StopCloseCheck>;

/** Closing a stop (issue #8): does HQ hold every desk's events of the stop? */
export const stopCloseContract = {
  'closing:check': { input: z.object({ stopId: Id, at: CheckTarget.default('hq') }), output: StopCloseCheck },
} as const;
