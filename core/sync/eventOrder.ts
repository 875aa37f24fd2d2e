import type { EventEnvelope } from '../../shared/events/envelope';

/** The total order of SYNC.md: (hlc, device_id, device_seq). The HLC already ends in the node id. */
export function compareEvents(a: Pick<EventEnvelope, 'hlc' | 'deviceId' | 'deviceSeq'>, b: typeof a): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.deviceSeq - b.deviceSeq;
}
