import { z } from 'zod';

/**
 * Browser mode's first screen in one call (issue #20): renderer/public/prefetch.js asks `app:boot` while the
 * app's code loads, and the host answers every read the first screen makes, each as its own channel would
 * (core/api/bootHandlers.ts: the same dispatch, so the same validation, sign-in and role rules): what the lock
 * check and the desk's settings, stops and tours read, and, for someone signed in who may check people in at the
 * desk's stop, what the check-in screen reads there. One round trip instead of two, and the second no longer
 * waits for the page's thread (busy with the app's code) to ask it. Reads only.
 */
export const BootCall = z.object({
  channel: z.string(),
  /** The input as the stores send it (key order included: the page matches a call by its JSON text). */
  input: z.record(z.string(), z.unknown()),
  /** What the channel answered: `{ ok: true, value }` or `{ ok: false, error }`, already through its own schema. */
  result: z.unknown(),
});
export type BootCall = z.infer<typeof BootCall>;

export const bootContract = {
  'app:boot': { input: z.object({}).strict(), output: z.object({ calls: z.array(BootCall) }) },
} as const;
