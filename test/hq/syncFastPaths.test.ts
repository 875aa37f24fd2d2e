/**
 * The fast paths of push and pull (docs/sync.md, "Throughput") keep every guarantee: multi-row
 * inserts write a whole batch or nothing, pull answers carry the stored payload text unchanged,
 * the client's read-ahead of push batches and pull pages never skips, doubles or reorders, and
 * ingest of envelopes parsed by the caller still validates payloads and merges the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { decodeHlc } from '../../core/sync/hlc';
import { toJson, type HqTransport } from '../../core/sync/hqTransport';
import { newSyncProgress, SyncClient } from '../../core/sync/syncClient';
import { HQ_BATCH_BYTES, MAX_BATCH_EVENTS, type PushResponse } from '../../shared/sync/hqProtocol';
import { storedToEnvelope } from '../../hq/server/hqProjections';
import { createTestHq, type TestHq } from '../helpers/hqHarness';
import { createLaptop, eventCount, writeActivity } from '../helpers/syncFixtures';

describe('sync fast paths (SQLite HQ)', () => {
  let hq: TestHq;
  beforeAll(async () => {
    hq = await createTestHq('sqlite');
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('stores batches that are not a multiple of the insert chunk whole, with contiguous server sequence', async () => {
    const a = createLaptop('fast-a');
    writeActivity(a, 63); // 252 events: two chunks of 100 and 52 single rows
    const c = new SyncClient(a, hq.transport, await hq.enroll('fast-a'), { batchEvents: 251 });
    const before = Number(await hq.storage.highWater());
    expect(await c.push()).toBe(252);
    expect(Number(await hq.storage.highWater())).toBe(before + 252);
    const page = await hq.storage.pull(String(before), 1000);
    expect(page.events.map((e) => Number(e.serverSeq))).toEqual(Array.from({ length: 252 }, (_, i) => before + 1 + i));
    expect(page.events.map((e) => e.deviceSeq)).toEqual(Array.from({ length: 252 }, (_, i) => 1 + i));
    expect((await c.digestCheck()).ok).toBe(true);
    a.close();
  });

  it('refuses a batch whose chunk holds an event id of another device, writing nothing of it', async () => {
    const a = createLaptop('fast-clash-a');
    const b = createLaptop('fast-clash-b');
    writeActivity(a, 5);
    writeActivity(b, 60);
    const ta = await hq.enroll('fast-clash-a');
    const tb = await hq.enroll('fast-clash-b');
    await new SyncClient(a, hq.transport, ta).push();
    const stolenId = a.events.eventsOfDevice('fast-clash-a', 0, 1)[0]!.eventId;
    const events = b.events.eventsOfDevice('fast-clash-b', 0, 240);
    events[150] = { ...events[150]!, eventId: stolenId }; // in the second chunk of 100
    const top = await hq.storage.highWater();
    const res = await hq.transport.request('POST', '/v1/sync/push', { device_id: 'fast-clash-b', events }, tb);
    expect(res.status).toBe(409);
    expect((res.body as { error: { code: string; details: { event_id: string } } }).error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', details: { event_id: stolenId } });
    expect(await hq.storage.highWater()).toBe(top);
    expect(await hq.storage.digest('fast-clash-b')).toEqual([]);
    // The honest batch goes through afterwards, numbered right after the refused attempt's high water.
    expect(await new SyncClient(b, hq.transport, tb).push()).toBe(240);
    expect(Number(await hq.storage.highWater())).toBe(Number(top) + 240);
    a.close();
    b.close();
  });

  it('answers pulls with the payload text HQ stored, byte for byte', async () => {
    const a = createLaptop('fast-text-a');
    writeActivity(a, 3);
    await new SyncClient(a, hq.transport, await hq.enroll('fast-text-a')).push();
    const tb = await hq.enroll('fast-text-b');
    const res = await hq.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: { authorization: `Bearer ${tb}` }, payload: { cursor: '0', limit: 1000 } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json() as { events: { eventId: string; payload: unknown }[]; has_more: boolean; cursor: string };
    const page = await hq.storage.pull('0', 1000);
    const stored = new Map(page.events.map((e) => [e.eventId, e.payloadText]));
    expect(body.events.length).toBe(page.events.filter((e) => e.deviceId !== 'fast-text-b').length);
    for (const e of body.events) expect(JSON.stringify(e.payload)).toBe(stored.get(e.eventId));
    expect(body.cursor).toBe(page.cursor);
    expect(body.has_more).toBe(false);
    const own = a.events.eventsOfDevice('fast-text-a', 0, 100);
    const pulled = body.events.filter((e) => own.some((o) => o.eventId === e.eventId));
    expect(pulled).toEqual(own); // names in Hangul included
    a.close();
  });

  it('pulls many small pages with read-ahead, in order, and resumes after a failed apply without doubling', async () => {
    const a = createLaptop('fast-pull-a');
    writeActivity(a, 40);
    await new SyncClient(a, hq.transport, await hq.enroll('fast-pull-a')).push();
    const b = createLaptop('fast-pull-b');
    const tb = await hq.enroll('fast-pull-b');
    let applies = 0;
    const failing = new SyncClient(b, hq.transport, tb, {
      pullLimit: 9,
      applyEvents: 9, // one page per transaction
      failPoints: {
        afterApplyBeforeCursor: () => {
          if (++applies === 4) throw new Error('crash while applying page 4');
        },
      },
    });
    await expect(failing.pull()).rejects.toThrow('crash while applying page 4');
    expect(eventCount(b)).toBe(27); // three pages of 9 landed with their cursor; page 4 rolled back
    const cursors: string[] = [];
    const c = new SyncClient(b, hq.transport, tb, { pullLimit: 9, applyEvents: 9, onProgress: () => cursors.push(b.db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'hq_pull_cursor'").get()!.value) });
    const { received } = await c.pull(newSyncProgress(new Date().toISOString()));
    const total = Number(await hq.storage.highWater());
    expect(eventCount(b)).toBe(total);
    expect(received).toBe(total - 27);
    expect(cursors.map(Number)).toEqual([...cursors.map(Number)].sort((x, y) => x - y));
    expect(b.events.projectionHash()).toBe(await referenceHash(hq, 'fast-pull-ref'));
    a.close();
    b.close();
  });

  it('ingest of envelopes parsed by the caller still refuses a bad payload and still moves the clock', async () => {
    const a = createLaptop('fast-ingest-a');
    writeActivity(a, 1);
    const events = a.events.eventsOfDevice('fast-ingest-a', 0, 10);
    const b = createLaptop('fast-ingest-b');
    const bad = events.map((e, i) => (i === 2 ? { ...e, payload: { registrationId: 42 } } : e));
    expect(() => b.events.ingest(bad, { envelopesParsed: true })).toThrow(AppError);
    expect(eventCount(b)).toBe(0);
    const ahead = events.map((e) => ({ ...e, hlc: e.hlc.replace(/^\d{15}/, String(Date.now() + 60_000).padStart(15, '0')) }));
    expect(b.events.ingest(ahead, { envelopesParsed: true })).toEqual({ added: 4, duplicates: 0, deferred: 0 });
    const mine = b.events.append('consent_recorded', { consentId: crypto.randomUUID(), attendeeId: crypto.randomUUID(), scope: 'hq_stats', institutionId: null, textVersion: '2025-1' });
    const newest = Math.max(...ahead.map((e) => decodeHlc(e.hlc).wallMs));
    expect(decodeHlc(mine.hlc).wallMs).toBeGreaterThanOrEqual(newest); // later local events sort after what came in
    expect(b.db.prepare<[], { n: number }>('SELECT COUNT(DISTINCT local_seq) AS n FROM events').get()!.n).toBe(5);
    a.close();
    b.close();
  });
});

/** A reference laptop that took HQ's whole log through the plain ingest (envelopes parsed again). */
async function referenceHash(hq: TestHq, id: string): Promise<string> {
  const ref = createLaptop(id);
  ref.events.ingest((await hq.storage.pull('0', 1_000_000)).events.map(storedToEnvelope));
  const hash = ref.events.projectionHash();
  ref.close();
  return hash;
}

describe('push batch limits', () => {
  it('sends its first batch within the limits every HQ takes, the next ones up to what HQ announces, never more', async () => {
    // An HQ of its own: the events pushed here would make the pulls of the suite above large.
    const hq = await createTestHq('sqlite');
    const a = createLaptop('fast-limits');
    try {
      writeActivity(a, 875); // 3,500 events
      const token = await hq.enroll('fast-limits');
      const sizes: number[] = [];
      /** HQ's answers with their announced limit replaced (null: removed, as from an HQ before the announcement; undefined: kept). */
      const via = (batch?: { max_events: number; max_bytes: number } | null): HqTransport => ({
        async request(method, path, body, tok) {
          if (path === '/v1/sync/push') sizes.push((JSON.parse(toJson(body)) as { events: unknown[] }).events.length);
          const res = await hq.transport.request(method, path, body, tok);
          if (batch === undefined || path !== '/v1/sync/push' || res.status !== 200) return res;
          const { batch: _announced, ...rest } = res.body as PushResponse;
          return { ...res, body: batch ? { ...rest, batch } : rest };
        },
      });
      // An HQ that announces nothing: every batch within MAX_BATCH_EVENTS, whatever the options allow.
      expect(await new SyncClient(a, via(null), token, { batchEvents: 1_000_000 }).push()).toBe(3500);
      expect(MAX_BATCH_EVENTS).toBe(1000);
      expect(sizes).toEqual([1000, 1000, 1000, 500]);
      // Again from the start (HQ holds all: duplicates), to an HQ that announces 1,200: the first batch and the
      // one read while it was in flight within 1,000, then up to 1,200, never more.
      a.db.prepare("DELETE FROM settings WHERE key = 'hq_acked_seq'").run();
      sizes.length = 0;
      expect(await new SyncClient(a, via({ max_events: 1200, max_bytes: HQ_BATCH_BYTES }), token).push()).toBe(0);
      expect(sizes).toEqual([1000, 1000, 1200, 300]);
      // This HQ's own announcement (HQ_BATCH_EVENTS): the rest in one batch after the first two.
      writeActivity(a, 1000);
      sizes.length = 0;
      const c = new SyncClient(a, via(), token);
      expect(await c.push()).toBe(4000);
      expect(sizes).toEqual([1000, 1000, 2000]);
      expect((await c.digestCheck()).ok).toBe(true);
    } finally {
      a.close();
      await hq.close();
    }
  });
});
