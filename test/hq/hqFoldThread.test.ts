/**
 * HQ's new sync path (issue #20): the push commits only the log; HQ's projections are folded behind
 * it on a thread of their own (hqFold.ts, foldWorker.ts) with its own connections; the projection
 * store keeps no second copy of the devices' events; payloads are stored as the request carried them.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/store/openStore';
import { decodeHlc } from '../../core/sync/hlc';
import { SyncClient } from '../../core/sync/syncClient';
import { HqActions } from '../../hq/server/admin/hqActions';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { jsonValueEnd, verbatimPayloads } from '../../hq/server/pushBody';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { PostgresHqStorage } from '../../hq/server/postgresStorage';
import type { HqStorage } from '../../hq/server/storage';
import { startPostgres } from '../helpers/postgres';
import { enrollDevice } from '../../core/sync/syncClient';
import { injectTransport } from '../helpers/hqHarness';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';

interface ThreadHq {
  dir: string;
  storage: HqStorage;
  store: Store;
  projections: HqProjections;
  app: ReturnType<typeof buildHqApp>;
  enroll(deviceId: string): Promise<string>;
  close(): Promise<void>;
}

async function threadHq(dir = tempDir('roadshow-hqfold-'), pgUrl?: string): Promise<ThreadHq> {
  const storage: HqStorage = pgUrl ? await PostgresHqStorage.open(pgUrl, { max: 2 }) : new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage, { thread: true });
  const app = buildHqApp({ storage, projections });
  await app.ready();
  const transport = injectTransport(app);
  return {
    dir,
    storage,
    store,
    projections,
    app,
    enroll: async (id) => enrollDevice(transport, id, (await issueEnrollmentCode(storage, { label: id })).code, id),
    async close() {
      await app.close();
      projections.stop();
      await projections.catchUp().catch(() => 0);
      await projections.close();
      await storage.close();
      store.close();
    },
  };
}

const count = (store: Store, where: string) => store.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${where}`).get()!.n;

describe('HQ folds on its own thread, with one copy of the log', () => {
  const open: { close(): unknown }[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reaches the same state as a laptop that holds the same events, keeping only its own events in its projection store', async () => {
    const hq = await threadHq();
    open.push(hq);
    const a = createLaptop('fold-a');
    const b = createLaptop('fold-b');
    open.push(a, b);
    writeActivity(a, 300);
    writeActivity(b, 200, { stopId: 'stop-01-boston' });
    const ca = new SyncClient(a, injectTransport(hq.app), await hq.enroll('fold-a'));
    const cb = new SyncClient(b, injectTransport(hq.app), await hq.enroll('fold-b'));
    await ca.push();
    await cb.push();
    // HQ decides something too: its event is written to its projection store and stored in the log.
    const actions = new HqActions(hq.store, hq.storage, hq.dir);
    await actions.append('attendee_merged', { fromAttendeeId: 'p-1', intoAttendeeId: 'p-2', reason: 'test' }, 'admin');
    await hq.projections.catchUp();
    expect(hq.projections.mode).toBe('thread');
    expect(hq.projections.cursor).toBe(await hq.storage.highWater());
    // Every laptop holds everything after a sync; HQ's state equals theirs.
    await ca.sync();
    await cb.sync();
    expect(hq.store.events.projectionHash()).toBe(a.events.projectionHash());
    expect(hq.store.events.projectionHash()).toBe(b.events.projectionHash());
    // One copy of the log: the projection store holds HQ's own events only.
    expect(count(hq.store, "device_id <> 'hq'")).toBe(0);
    expect(count(hq.store, "device_id = 'hq'")).toBe(1);
    // The Devices page's stop of each device, counted by the fold.
    const stops = hq.store.db.prepare<[], { device_id: string; stop_id: string; events: number }>('SELECT device_id, stop_id, events FROM hq_device_stops ORDER BY device_id').all();
    expect(stops).toEqual([
      { device_id: 'fold-a', stop_id: 'stop-03-new-york', events: 1200 },
      { device_id: 'fold-b', stop_id: 'stop-01-boston', events: 800 },
    ]);
  });

  it('catches up after the fold thread is stopped mid-way, folding each event once', async () => {
    const dir = tempDir('roadshow-hqfold-');
    dirs.push(dir);
    const reference = createLaptop('fold-ref');
    open.push(reference);
    let hq = await threadHq(dir);
    const a = createLaptop('fold-crash');
    open.push(a);
    writeActivity(a, 1500);
    const token = await hq.enroll('fold-crash');
    await new SyncClient(a, injectTransport(hq.app), token).push();
    // The push is answered before the fold: stop the thread while it works (a killed HQ rolls back
    // the step it was in; the cursor says what was folded).
    void hq.projections.catchUp().catch(() => 0);
    await new Promise((r) => setTimeout(r, 150));
    await hq.projections.close();
    await hq.app.close();
    await hq.storage.close();
    hq.store.close();
    hq = await threadHq(dir);
    open.push(hq);
    await hq.projections.catchUp();
    expect(hq.projections.cursor).toBe(await hq.storage.highWater());
    reference.events.ingest(a.events.eventsOfDevice('fold-crash', 0, 10_000));
    expect(hq.store.events.projectionHash()).toBe(reference.events.projectionHash());
  });

  it("keeps HQ's clock after what it folded, across a restart", async () => {
    const dir = tempDir('roadshow-hqfold-');
    dirs.push(dir);
    // A laptop whose clock is 3 hours ahead (taken: under the 24-hour limit).
    const ahead = Date.now() + 3 * 3600_000;
    const a = createLaptop('fold-ahead', { now: () => ahead });
    open.push(a);
    writeActivity(a, 2);
    let hq = await threadHq(dir);
    await new SyncClient(a, injectTransport(hq.app), await hq.enroll('fold-ahead')).push();
    await hq.projections.catchUp();
    await hq.close();
    hq = await threadHq(dir);
    open.push(hq);
    const newest = a.events.eventsOfDevice('fold-ahead', 0, 100).at(-1)!.hlc;
    const actions = new HqActions(hq.store, hq.storage, hq.dir);
    await actions.append('attendee_merged', { fromAttendeeId: 'p-1', intoAttendeeId: 'p-2', reason: 'after' }, 'admin');
    const own = hq.store.events.eventsOfDevice('hq', 0, 10).at(-1)!;
    expect(own.hlc > newest).toBe(true);
    expect(decodeHlc(own.hlc).wallMs).toBeGreaterThanOrEqual(decodeHlc(newest).wallMs);
  });

  it("drops an earlier HQ's second copy of the events once, keeping its own and counting the devices' stops", async () => {
    const dir = tempDir('roadshow-hqfold-');
    dirs.push(dir);
    // An HQ projection store as the earlier HQ left it: every device's events ingested into it.
    const old = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
    const a = createLaptop('fold-old');
    open.push(a);
    writeActivity(a, 10);
    old.events.ingest(a.events.eventsOfDevice('fold-old', 0, 100));
    old.events.append('attendee_merged', { fromAttendeeId: 'p-1', intoAttendeeId: 'p-2', reason: 'old' });
    const hash = old.events.projectionHash();
    old.close();
    const hq = await threadHq(dir);
    open.push(hq);
    expect(count(hq.store, "device_id <> 'hq'")).toBe(0);
    expect(count(hq.store, "device_id = 'hq'")).toBe(1);
    expect(hq.store.events.projectionHash()).toBe(hash);
    expect(hq.store.db.prepare('SELECT device_id, stop_id, events FROM hq_device_stops').all()).toEqual([{ device_id: 'fold-old', stop_id: 'stop-03-new-york', events: 40 }]);
  });
});

describe('HQ on PostgreSQL folds on its own thread too', () => {
  it('reads the log through its own connection and reaches the laptops\' state', async () => {
    const pg = await startPostgres();
    const hq = await threadHq(tempDir('roadshow-hqfold-'), await pg.createDatabase(`hqfold_${process.pid}`));
    const a = createLaptop('fold-pg-a');
    try {
      writeActivity(a, 250);
      const c = new SyncClient(a, injectTransport(hq.app), await hq.enroll('fold-pg-a'));
      await c.push();
      await hq.projections.catchUp();
      expect(hq.projections.mode).toBe('thread');
      expect(hq.projections.cursor).toBe(await hq.storage.highWater());
      expect(hq.store.events.projectionHash()).toBe(a.events.projectionHash());
      expect((await c.digestCheck()).ok).toBe(true);
    } finally {
      a.close();
      await hq.close();
      pg.stop();
    }
  });
});

describe('payloads kept as the push carried them', () => {
  it('finds the end of a JSON value, skipping strings with escaped quotes and brackets', () => {
    const text = 'x{"a":"}\\"{[","b":[1,{"c":"\\\\"}],"d":{}}y';
    expect(jsonValueEnd(text, 1)).toBe(text.length - 1);
    expect(jsonValueEnd('{"a":"unterminated}', 0)).toBe(-1);
  });

  it("slices each payload from the laptop's layout verbatim, and declines any other layout", () => {
    const heads = [
      { eventId: '0190e1f2-0000-7000-8000-000000000001', deviceId: 'd', deviceSeq: 1, hlc: '001700000000000:00000:d', type: 't', schemaVersion: 1, actorId: null, stopId: 's', recordedAt: '2025-01-01T00:00:00.000Z' },
      { eventId: '0190e1f2-0000-7000-8000-000000000002', deviceId: 'd', deviceSeq: 2, hlc: '001700000000001:00000:d', type: 't', schemaVersion: 1, actorId: 'x', stopId: null, recordedAt: '2025-01-01T00:00:00.000Z' },
    ];
    const p1 = '{"name":"caf\\u00e9","tricky":"},{\\"eventId\\":","n":[1,2,{"x":null}]}';
    const p2 = '{}';
    const env = (h: (typeof heads)[number], p: string) =>
      `{"eventId":"${h.eventId}","deviceId":"d","deviceSeq":${h.deviceSeq},"hlc":"${h.hlc}","type":"t","schemaVersion":1,"actorId":${JSON.stringify(h.actorId)},"stopId":${JSON.stringify(h.stopId)},"recordedAt":"${h.recordedAt}","payload":${p}}`;
    const body = `{"device_id":"d","events":[${env(heads[0]!, p1)},${env(heads[1]!, p2)}]}`;
    const events = (JSON.parse(body) as { events: (typeof heads[number] & { payload: unknown })[] }).events;
    expect(verbatimPayloads(body, 'd', events)).toEqual([p1, p2]);
    // Spacing, another key order, or a member after the payload: not the laptop's layout.
    expect(verbatimPayloads(body.replace('"events":[', '"events": ['), 'd', events)).toBeNull();
    expect(verbatimPayloads(body.replace(`"payload":${p2}}`, `"payload":${p2},"extra":1}`), 'd', events)).toBeNull();
    expect(verbatimPayloads(body.replace('"deviceSeq":2', '"deviceSeq":3'), 'd', events)).toBeNull();
    // A repeated key: JSON.parse (validated) keeps the last, SQLite's json_extract would read the first.
    const twice = body.replace('"payload":{}', '"payload":{"attendeeId":"a-1","attendeeId":"a-2"}');
    const parsed = (JSON.parse(twice) as { events: (typeof heads[number] & { payload: unknown })[] }).events;
    expect(parsed[1]!.payload).toEqual({ attendeeId: 'a-2' });
    expect(verbatimPayloads(twice, 'd', parsed)).toBeNull();
    // Nested keys count too; the same keys once each are kept verbatim.
    const nested = body.replace('"payload":{}', '"payload":{"a":{"b":1,"b":2}}');
    expect(verbatimPayloads(nested, 'd', (JSON.parse(nested) as { events: (typeof heads[number] & { payload: unknown })[] }).events)).toBeNull();
    const once = body.replace('"payload":{}', '"payload":{"a":{"b":1,"c":[{"d":2}]}}');
    expect(verbatimPayloads(once, 'd', (JSON.parse(once) as { events: (typeof heads[number] & { payload: unknown })[] }).events)).toEqual([p1, '{"a":{"b":1,"c":[{"d":2}]}}']);
  });
});
