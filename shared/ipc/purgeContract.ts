import { z } from 'zod';
import { Id } from '../schemas/common';

export const PurgeState = z.enum([
  /** HQ (or the hub, confirmed by HQ) holds exactly this laptop's events of the stop: purge allowed. */
  'equal',
  /** This laptop holds events HQ lacks: sync (push) first. */
  'laptop_has_more',
  /** HQ holds events this laptop lacks: sync (pull) first. */
  'remote_has_more',
  /** Same count, different events: each side lacks some; sync first. */
  'different',
  /** No HQ address or enrollment (and no venue hub): nothing to compare with. */
  'not_connected',
  /** HQ (or the hub) could not be reached. */
  'unreachable',
  /** The venue hub's copy is not confirmed by HQ (or the hub cannot reach HQ). */
  'hub_unconfirmed',
  /** Anything else HQ answered (errorCode says what). */
  'error',
]);
export type PurgeState = z.infer<typeof PurgeState>;

/** A stop's digest (core/sync/stopDigest.ts) here and at HQ, fetched by core, never taken from the renderer. */
export const PurgeCheck = z.object({
  stopId: Id,
  local: z.object({ eventCount: z.number().int(), digest: z.string() }),
  remote: z.object({ eventCount: z.number().int(), digest: z.string(), source: z.enum(['hq', 'hub']) }).nullable(),
  state: PurgeState,
  errorCode: z.string().nullable(),
  /** When this laptop already purged the stop (its data is gone here; HQ keeps it). */
  purgedAt: z.string().nullable(),
});
export type PurgeCheck = z.infer<typeof PurgeCheck>;

/** The stop lead's purge screen (issue #19): compare a stop's digest with HQ's before purging. */
export const purgeContract = {
  'retention:check': { input: z.object({ stopId: Id }), output: PurgeCheck },
} as const;
