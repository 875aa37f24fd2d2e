import { createHash, type Hash } from 'node:crypto';

/** What identifies one stored event for the digest: HQ and the laptop hash exactly these fields. */
export interface DigestItem {
  eventId: string;
  deviceSeq: number;
  hlc: string;
  type: string;
  /** The payload as stored (the JSON text the writing laptop stored). */
  payloadText: string;
}

/**
 * The digest of one device's log: SHA-256 over its events in device_seq order, one line each.
 * HQ computes it when asked (GET /v1/sync/digest) and the laptop over its own log; equal
 * digests, counts and last sequences mean HQ holds exactly the laptop's events. Computed on
 * demand (not chained per event at push time) so the push path does no hashing at all.
 */
export class DeviceDigester {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  update(item: DigestItem): void {
    this.hash.update(`${item.deviceSeq}|${item.eventId}|${item.hlc}|${item.type}|`);
    this.hash.update(item.payloadText);
    this.hash.update('\n');
    this.count++;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
