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

export const StopCloseCheck = z.object({ stopId: Id, complete: z.boolean(), desks: z.array(DeskCheck) });
export type StopCloseCheck = z.infer<typeof StopCloseCheck>;

/** Closing a stop (issue #8): does HQ hold every desk's events of the stop? */
export const stopCloseContract = {
  'closing:check': { input: z.object({ stopId: Id }), output: StopCloseCheck },
} as const;
