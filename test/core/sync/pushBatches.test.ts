import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/openStore';
import { createSyncQueries } from '../../../core/store/queries/syncQueries';
import { toJson, type HqTransport } from '../../../core/sync/hqTransport';
import { SyncClient } from '../../../core/sync/syncClient';
import { createLaptop } from '../../helpers/syncFixtures';

interface Sent {
  bytes: number;
  seqs: number[];
  sizes: number[];
}

/** An HQ that takes every batch whole and answers like the real one; it keeps each push body's shape. */
function recordingHq(sent: Sent[]): HqTransport {
  return {
    async request(_method, route, body) {
      if (route !== '/v1/sync/push') throw new Error(`unexpected ${route}`);
      const json = toJson(body);
      const parsed = JSON.parse(json) as { events: { deviceSeq: number }[] };
      sent.push({ bytes: Buffer.byteLength(json), seqs: parsed.events.map((e) => e.deviceSeq), sizes: parsed.events.map((e) => Buffer.byteLength(JSON.stringify(e))) });
      const last = parsed.events[parsed.events.length - 1]!.deviceSeq;
      return { status: 200, body: { acked_through_seq: last, added: parsed.events.length, duplicates: 0 } };
    },
  };
}

/** Each batch within its limits (a lone event may pass the byte limit) and full: the next batch's first event would not have fitted it. */
function expectFullBatches(sent: Sent[], maxBytes: number, limit: number): void {
  for (const [k, b] of sent.entries()) {
    expect(b.seqs.length).toBeLessThanOrEqual(limit);
    if (b.seqs.length > 1) expect(b.bytes).toBeLessThanOrEqual(maxBytes);
    const next = sent[k + 1];
    if (next && b.seqs.length < limit) expect(b.bytes + next.sizes[0]! + 1).toBeGreaterThan(maxBytes);
  }
}

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) {
    const dir = path.dirname(s.db.name);
    if (s.db.open) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('push batches (issue #20: rows read in slices)', () => {
  it.each([
    { maxBytes: 4_000, limit: 25 },
    { maxBytes: 60_000, limit: 1000 },
    { maxBytes: 200_000, limit: 150 },
  ])('fills each batch to its limits ($maxBytes bytes, $limit events), in order, every event once, with events of very different sizes', async ({ maxBytes, limit }) => {
    const store = createLaptop('batch-a');
    stores.push(store);
    // Sizes from ~400 bytes to ~1.3 KB (Hangul: 3 bytes a character), in an irregular pattern.
    const total = 1200;
    store.events.transaction(() => {
      for (let i = 0; i < total; i++) {
        const long = i % 37 === 0 ? 95 : i % 5 === 0 ? 40 : (i * 7) % 20;
        const ko = '민'.repeat(long);
        store.events.append('attendee_registered', { attendeeId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, familyName: `K${ko}`, givenName: `P${i}${ko}`.slice(0, 100), nameKo: ko, email: '', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] }, { stopId: 'stop-03-new-york' });
      }
    });
    const sent: Sent[] = [];
    const client = new SyncClient(store, recordingHq(sent), 'token', { batchBytes: maxBytes, batchEvents: limit });
    expect(await client.push()).toBe(total);
    expect(sent.flatMap((b) => b.seqs)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expectFullBatches(sent, maxBytes, limit);
    expect(createSyncQueries(store.db).ackedSeq()).toBe(total);
    expect(await client.push()).toBe(0);
  });

  it('sends an event larger than the byte limit alone, and the small ones around it in full batches', async () => {
    const store = createLaptop('batch-b');
    stores.push(store);
    for (let i = 0; i < 30; i++) {
      store.events.append('attendee_registered', { attendeeId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, familyName: i === 10 ? '민'.repeat(100) : 'Kim', givenName: i === 10 ? '민'.repeat(100) : `P${i}`, nameKo: i === 10 ? '민'.repeat(100) : '', email: '', affiliation: i === 10 ? '민'.repeat(100) : '', careerStage: 'postdoc', fields: [] }, { stopId: 'stop-03-new-york' });
    }
    const sent: Sent[] = [];
    const client = new SyncClient(store, recordingHq(sent), 'token', { batchBytes: 1_200, batchEvents: 1000 });
    expect(await client.push()).toBe(30);
    const alone = sent.find((b) => b.seqs.includes(11))!;
    expect(alone.seqs).toEqual([11]);
    expect(alone.bytes).toBeGreaterThan(1_200);
    expectFullBatches(sent, 1_200, 1000);
    expect(sent.flatMap((b) => b.seqs)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
