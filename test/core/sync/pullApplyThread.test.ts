/**
 * Issue #20, the laptop's pull on two threads: a pull of several pages writes its groups on a thread
 * of its own with its own connection (core/sync/pullApplyThread.ts) while the sync's thread receives
 * and validates the next pages. The same guarantees as the single-thread path: the state equals a
 * plain fold of HQ's log, payloads stored verbatim, the cursor in the same transaction as its events,
 * a bad payload refused with nothing of its group kept, the clock moved past what was pulled, and an
 * encrypted store written through its key.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHlc } from '../../../core/sync/hlc';
import type { HqTransport } from '../../../core/sync/hqTransport';
import { SyncClient } from '../../../core/sync/syncClient';
import { storedToEnvelope } from '../../../hq/server/hqProjections';
import { createTestHq, type TestHq } from '../../helpers/hqHarness';
import { createLaptop, eventCount, writeActivity } from '../../helpers/syncFixtures';

describe('pull written on its own thread (SQLite HQ)', () => {
  let hq: TestHq;
  let total = 0;
  let reference = '';
  let latestHlc = '';
  beforeAll(async () => {
    hq = await createTestHq('sqlite');
    const a = createLaptop('thread-pull-a');
    writeActivity(a, 100); // 400 events
    await new SyncClient(a, hq.transport, await hq.enroll('thread-pull-a')).push();
    a.close();
    total = Number(await hq.storage.highWater());
    const all = (await hq.storage.pull('0', 1_000_000)).events;
    latestHlc = all.map((e) => e.hlc).sort().at(-1)!;
    const ref = createLaptop('thread-pull-ref');
    ref.events.ingest(all.map(storedToEnvelope));
    reference = ref.events.projectionHash();
    ref.close();
  });
  afterAll(async () => {
    await hq?.close();
  });

  const cursorOf = (db: ReturnType<typeof createLaptop>['db']) => db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'hq_pull_cursor'").get()?.value ?? '0';

  it('writes the groups on the thread: same state as a plain fold, payloads verbatim, cursor at the end, clock moved', async () => {
    // Its wall clock years behind: only what the pull brought can move its clock past HQ's events.
    const b = createLaptop('thread-pull-b', { key: randomBytes(32), now: () => Date.parse('2020-01-01T00:00:00Z') });
    const client = new SyncClient(b, hq.transport, await hq.enroll('thread-pull-b'), { pullLimit: 25, applyEvents: 60, applyThread: 'await' });
    const { received } = await client.pull();
    expect(received).toBe(total);
    expect(client.pullStats.onThread).toBeGreaterThan(0);
    expect(client.pullStats.onThread).toBe(client.pullStats.groups);
    expect(eventCount(b)).toBe(total);
    expect(b.events.projectionHash()).toBe(reference);
    expect(cursorOf(b.db)).toBe(String(total));
    const sent = (await hq.storage.pull('0', 1_000_000)).events;
    const held = new Map(b.db.prepare<[], { event_id: string; payload: string }>('SELECT event_id, payload FROM events').all().map((r) => [r.event_id, r.payload]));
    for (const e of sent) expect(held.get(e.eventId)).toBe(e.payloadText);
    // The sync's own clock follows what the thread wrote: what this laptop stamps next sorts after it.
    expect(decodeHlc(b.clock.now()).wallMs).toBeGreaterThanOrEqual(decodeHlc(latestHlc).wallMs);
    expect(b.clock.now() > latestHlc).toBe(true);
    // Pulled again: nothing new, nothing doubled.
    expect((await client.pull()).received).toBe(0);
    expect(eventCount(b)).toBe(total);
    b.close();
  });

  it('refuses a page with a bad payload on the thread: the groups before it stay, nothing of its group, and a clean pull resumes', async () => {
    const b = createLaptop('thread-pull-c');
    const token = await hq.enroll('thread-pull-c');
    let pulls = 0;
    // The 5th page's first attendee gets a career stage no schema knows: its envelope is valid, its payload is not.
    const tampering: HqTransport = {
      request: async (method, path, body, tok) => {
        const res = await hq.transport.request(method, path, body, tok);
        if (path !== '/v1/sync/pull' || ++pulls !== 5 || res.text === undefined) return res;
        const text = res.text.replace('"careerStage":"postdoc"', '"careerStage":"wizard"');
        return { ...res, body: JSON.parse(text) as unknown, text };
      },
    };
    const client = new SyncClient(b, tampering, token, { pullLimit: 25, applyEvents: 50, applyThread: 'await' });
    await expect(client.pull()).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(client.pullStats.onThread).toBeGreaterThan(0);
    // Groups of two pages: pages 1–4 landed, page 5's group did not.
    expect(eventCount(b)).toBe(100);
    expect(cursorOf(b.db)).toBe('100');
    const { received } = await new SyncClient(b, hq.transport, token, { pullLimit: 25, applyThread: 'await' }).pull();
    expect(received).toBe(total - 100);
    expect(b.events.projectionHash()).toBe(reference);
    b.close();
  });

  it('writes on the sync thread when told to (same result)', async () => {
    const b = createLaptop('thread-pull-d');
    const client = new SyncClient(b, hq.transport, await hq.enroll('thread-pull-d'), { pullLimit: 25, applyEvents: 60, applyThread: false });
    expect((await client.pull()).received).toBe(total);
    expect(client.pullStats.onThread).toBe(0);
    expect(b.events.projectionHash()).toBe(reference);
    b.close();
  });
});
