import { createHash } from 'node:crypto';

/**
 * The digest that proves HQ holds exactly a stop's events: SHA-256 over the sorted event ids of
 * every event whose stop id is the stop, one id per line. HQ computes it over its own copy with
 * this same function; the laptop may purge the stop's personal data only when both agree.
 */
export function stopDigestOf(eventIds: readonly string[]): { eventCount: number; digest: string } {
  const h = createHash('sha256');
  for (const id of [...eventIds].sort()) h.update(`${id}\n`);
  return { eventCount: eventIds.length, digest: h.digest('hex') };
}
