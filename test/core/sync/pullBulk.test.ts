/**
 * Issue #20, the laptop's pull: pages applied in bulk, several per transaction with their cursor,
 * payload text stored as HQ sent it. Every guarantee of the page-by-page path holds: a crash inside a
 * group keeps the groups before it and nothing of it, a failed request keeps the pages read before it,
 * nothing is doubled, and the state equals a plain fold of HQ's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HqTransport } from '../../../core/sync/hqTransport';
import { NetworkError } from '../../../core/sync/hqTransport';
import { payloadTexts } from '../../../core/sync/payloadTexts';
import { SyncClient } from '../../../core/sync/syncClient';
import { storedToEnvelope } from '../../../hq/server/hqProjections';
import { createTestHq, type TestHq } from '../../helpers/hqHarness';
import { createLaptop, eventCount, writeActivity } from '../../helpers/syncFixtures';

describe('payloadTexts', () => {
  it('finds each payload text as sent, whatever the key order, spacing and escapes', () => {
    const payloads = [
      { a: 'quote " and backslash \\ and \\" and braces {}[]', n: -1.5e-7, t: true, z: null, nested: { x: [1, { y: '}' }], e: [] } },
      {},
      { name: '김민준 \u2028 \n\t', list: ['"', '\\', ''] },
    ];
    const text = `{ "cursor" : "7", "events" : [ ${payloads
      .map((p, i) => (i === 1 ? `{"payload": ${JSON.stringify(p, null, 2)} , "eventId":"x${i}"}` : `{"eventId":"x${i}","payload":${JSON.stringify(p)}}`))
      .join(' ,\n')} ], "has_more": false }`;
    const texts = payloadTexts(text)!;
    expect(texts.map((t) => JSON.parse(t) as unknown)).toEqual(payloads);
    expect(texts[0]).toBe(JSON.stringify(payloads[0]));
    expect(texts[1]).toBe(JSON.stringify({}, null, 2));
    expect(payloadTexts('{"events":[],"cursor":"0"}')).toEqual([]);
  });

  it('answers null when an event has no plain payload key or there is no events array', () => {
    expect(payloadTexts('{"events":[{"eventId":"a"}]}')).toBeNull();
    expect(payloadTexts('{"events":[{"pay\\u006coad":{}}]}')).toBeNull();
    // A plain `payload` and a second one spelled with escapes: JSON.parse keeps the second, a raw scan would find the first.
    const twice = '{"events":[{"payload":{"a":1},"pay\\u006coad":{"a":2}}]}';
    expect((JSON.parse(twice) as { events: { payload: unknown }[] }).events[0]!.payload).toEqual({ a: 2 });
    expect(payloadTexts(twice)).toBeNull();
    expect(payloadTexts('{"cursor":"0"}')).toBeNull();
    expect(payloadTexts('[1,2]')).toBeNull();
  });
});

describe('bulk pull (SQLite HQ)', () => {
  let hq: TestHq;
  let total = 0;
  let reference = '';
  beforeAll(async () => {
    hq = await createTestHq('sqlite');
    const a = createLaptop('bulk-pull-a');
    writeActivity(a, 50); // 200 events
    await new SyncClient(a, hq.transport, await hq.enroll('bulk-pull-a')).push();
    a.close();
    total = Number(await hq.storage.highWater());
    const ref = createLaptop('bulk-pull-ref');
    ref.events.ingest((await hq.storage.pull('0', 1_000_000)).events.map(storedToEnvelope));
    reference = ref.events.projectionHash();
    ref.close();
  });
  afterAll(async () => {
    await hq?.close();
  });

  const cursorOf = (db: ReturnType<typeof createLaptop>['db']) => db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'hq_pull_cursor'").get()?.value ?? '0';

  it('applies several pages per transaction: a crash in a group keeps the groups before it, and a resume doubles nothing', async () => {
    const b = createLaptop('bulk-pull-b');
    const token = await hq.enroll('bulk-pull-b');
    let groups = 0;
    const failing = new SyncClient(b, hq.transport, token, {
      pullLimit: 9,
      applyEvents: 30, // four pages of 9 per transaction
      failPoints: {
        afterApplyBeforeCursor: () => {
          if (++groups === 2) throw new Error('crash in group 2');
        },
      },
    });
    await expect(failing.pull()).rejects.toThrow('crash in group 2');
    expect(eventCount(b)).toBe(36);
    const cursorAfterCrash = Number(cursorOf(b.db));
    expect(cursorAfterCrash).toBeGreaterThan(0);
    const { received } = await new SyncClient(b, hq.transport, token, { pullLimit: 9, applyEvents: 30 }).pull();
    expect(received).toBe(total - 36);
    expect(eventCount(b)).toBe(total);
    expect(b.events.projectionHash()).toBe(reference);
    b.close();
  });

  it('keeps the pages read before a failed request, with their cursor', async () => {
    const b = createLaptop('bulk-pull-c');
    const token = await hq.enroll('bulk-pull-c');
    let pulls = 0;
    const flaky: HqTransport = {
      request: (method, path, body, tok) => {
        if (path === '/v1/sync/pull' && ++pulls === 3) return Promise.reject(new NetworkError('connection reset'));
        return hq.transport.request(method, path, body, tok);
      },
    };
    await expect(new SyncClient(b, flaky, token, { pullLimit: 9, applyEvents: 1000 }).pull()).rejects.toMatchObject({ code: 'SYNC_OFFLINE' });
    expect(eventCount(b)).toBe(18); // pages 1 and 2, applied although their group was not full
    expect(Number(cursorOf(b.db))).toBeGreaterThan(0);
    const { received } = await new SyncClient(b, hq.transport, token).pull();
    expect(received).toBe(total - 18);
    expect(b.events.projectionHash()).toBe(reference);
    b.close();
  });

  it('stores each payload as the text HQ sent, byte for byte', async () => {
    const b = createLaptop('bulk-pull-d');
    await new SyncClient(b, hq.transport, await hq.enroll('bulk-pull-d')).pull();
    const sent = (await hq.storage.pull('0', 1_000_000)).events;
    const held = new Map(b.db.prepare<[], { event_id: string; payload: string }>('SELECT event_id, payload FROM events').all().map((r) => [r.event_id, r.payload]));
    expect(sent.length).toBe(total);
    for (const e of sent) expect(held.get(e.eventId)).toBe(e.payloadText);
    b.close();
  });
});
