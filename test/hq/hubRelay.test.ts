import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../core/store/sqlite';
import { createSyncQueries } from '../../core/store/queries/syncQueries';
import { JsonText, type HqTransport } from '../../core/sync/hqTransport';
import { SyncClient } from '../../core/sync/syncClient';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HubUpstream } from '../../hq/server/hub/hubUpstream';
import { PostgresHqStorage } from '../../hq/server/postgresStorage';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { HealthResponse, HQ_BATCH_BYTES, HQ_BATCH_EVENTS, MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from '../../shared/sync/hqProtocol';
import { createTestHq, injectTransport, type Backend, type TestHq } from '../helpers/hqHarness';
import { startPostgres, type RunningPostgres } from '../helpers/postgres';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';

let pgServer: RunningPostgres;
beforeAll(async () => {
  pgServer = await startPostgres();
}, 120_000);
afterAll(() => pgServer?.stop());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function enrollAs(hq: TestHq, deviceId: string, opts: { role?: 'desk' | 'hub'; uses?: number } = {}): Promise<string> {
  const { code } = await issueEnrollmentCode(hq.storage, { label: deviceId, role: opts.role, uses: opts.uses });
  const res = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code, device_id: deviceId } });
  expect(res.statusCode).toBe(200);
  return res.json().token as string;
}

/** A desk's own events as a push body (what a hub relays). */
function deskBatch(deviceId: string, n: number, from = 0) {
  const laptop = createLaptop(deviceId);
  writeActivity(laptop, n);
  const events = laptop.events.eventsOfDevice(deviceId, from, 1000);
  return { laptop, body: { device_id: deviceId, events } };
}

/** A hub in-process: its own storage and routes, and its link to `hq` through Fastify inject. */
async function createHub(hq: TestHq, wrap: (t: HqTransport) => HqTransport = (t) => t) {
  const dir = tempDir('roadshow-hub-');
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  let imported = 0;
  const upstream = new HubUpstream(storage, path.join(dir, 'hub-upstream.sqlite'), { makeTransport: () => wrap(injectTransport(hq.app)), onImported: () => imported++ });
  const { code } = await issueEnrollmentCode(hq.storage, { role: 'hub', label: 'hub' });
  await upstream.connect({ url: 'http://127.0.0.1:1', code });
  const app = buildHqApp({ storage, hub: { upstreamHealth: () => upstream.health() } });
  await app.ready();
  const enrollDesk = async (deviceId: string) => {
    const join = await issueEnrollmentCode(storage, { uses: 10 });
    const res = await app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: join.code, device_id: deviceId } });
    return res.json().token as string;
  };
  return {
    dir,
    storage,
    upstream,
    app,
    enrollDesk,
    imported: () => imported,
    async close() {
      await app.close();
      await upstream.stop();
      upstream.close();
      await storage.close();
    },
  };
}

describe.each<Backend>(['sqlite', 'postgres'])('venue hub rules at HQ on %s', (backend) => {
  let hq: TestHq;
  beforeAll(async () => {
    hq = await createTestHq(backend, { pg: pgServer });
  }, 60_000);
  afterAll(() => hq?.close());

  it('a code for several devices serves exactly that many; a hub code gives the hub role', async () => {
    const { code } = await issueEnrollmentCode(hq.storage, { uses: 2, label: 'venue' });
    const enroll = (deviceId: string, c = code) => hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: c, device_id: deviceId } });
    expect((await enroll('multi-1')).statusCode).toBe(200);
    expect((await enroll('multi-2')).statusCode).toBe(200);
    const third = await enroll('multi-3');
    expect(third.statusCode).toBe(400);
    expect(third.json().error.code).toBe('CODE_INVALID');
    // Nobody enrolls as the server's own device (its decisions), with any code.
    const asHq = await enroll('hq', (await issueEnrollmentCode(hq.storage, { uses: 5 })).code);
    expect(asHq.statusCode).toBe(409);
    expect(asHq.json().error.code).toBe('DEVICE_EXISTS');
    await enrollAs(hq, 'hub-role-1', { role: 'hub' });
    const roles = Object.fromEntries((await hq.storage.listDevices()).map((d) => [d.deviceId, d.role]));
    expect(roles).toMatchObject({ 'multi-1': 'desk', 'multi-2': 'desk', 'hub-role-1': 'hub' });
  });

  it('only a hub relays other devices’ events, under the origin device’s sequence rules', async () => {
    const hubToken = await enrollAs(hq, 'hub-relay', { role: 'hub' });
    const deskToken = await enrollAs(hq, 'desk-plain');
    const { body, laptop } = deskBatch('desk-far', 5); // 20 events, a desk HQ never enrolled
    // A desk may not carry another device's events.
    const byDesk = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(deskToken), payload: body });
    expect(byDesk.statusCode).toBe(403);
    expect(byDesk.json().error.code).toBe('FORBIDDEN_DEVICE');
    // A hub may, but from the origin's next sequence: a batch that starts later is a gap.
    const late = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(hubToken), payload: { device_id: 'desk-far', events: body.events.slice(4) } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'GAP', details: { expected_seq: 1 } });
    const ok = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(hubToken), payload: body });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ acked_through_seq: 20, added: 20 });
    // The desk syncing with HQ itself later changes nothing (idempotent, same events).
    const farToken = await enrollAs(hq, 'desk-far');
    const direct = await new SyncClient(laptop, hq.transport, farToken).push();
    expect(direct).toBe(0);
    expect(createSyncQueries(laptop.db).ackedSeq()).toBe(20);
    // A batch mixing devices, HQ's own events and a revoked device's events are refused, nothing written.
    const mixed = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(hubToken), payload: { device_id: 'desk-far', events: [...deskBatch('desk-mix', 1).body.events] } });
    expect(mixed.statusCode).toBe(403);
    const hqOwn = deskBatch('hq', 1).body;
    const asHq = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(hubToken), payload: hqOwn });
    expect(asHq.statusCode).toBe(403);
    expect(asHq.json().error.message).toContain('hq');
    await hq.storage.revokeDevice('desk-plain', new Date().toISOString());
    const revoked = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: auth(hubToken), payload: deskBatch('desk-plain', 1).body });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().error.message).toContain('revoked');
    expect((await hq.storage.digest('desk-plain')).length).toBe(0);
    expect((await hq.storage.digest('hq')).length).toBe(0);
  });

  it('the hub’s relay sends its first batch within what every HQ takes, then up to what HQ announces', async () => {
    const batches: { events: number; bytes: number }[] = [];
    const hub = await createHub(hq, (t) => ({
      request(method, url, body, token) {
        if (url === '/v1/sync/push' && body instanceof JsonText) {
          batches.push({ events: (JSON.parse(body.text) as { events: unknown[] }).events.length, bytes: Buffer.byteLength(body.text) });
        }
        return t.request(method, url, body, token);
      },
    }));
    const desk = createLaptop('venue-large');
    try {
      writeActivity(desk, 2000); // 8,000 events
      await new SyncClient(desk, injectTransport(hub.app), await hub.enrollDesk('venue-large')).push();
      const round = await hub.upstream.syncOnce();
      expect(round.pushed).toBe(8000);
      expect(batches[0]!.events).toBeLessThanOrEqual(MAX_BATCH_EVENTS);
      expect(batches[0]!.bytes).toBeLessThanOrEqual(MAX_BATCH_BYTES);
      expect(Math.max(...batches.map((b) => b.events))).toBeGreaterThan(MAX_BATCH_EVENTS);
      for (const b of batches) expect(b.events <= HQ_BATCH_EVENTS && b.bytes <= HQ_BATCH_BYTES).toBe(true);
      expect(batches.reduce((n, b) => n + b.events, 0)).toBe(8000);
      const own = createSyncQueries(desk.db).ownDigest('venue-large');
      expect((await hq.storage.digest()).find((x) => x.deviceId === 'venue-large')).toMatchObject({ count: own.count, hash: own.hash });
    } finally {
      desk.close();
      await hub.close();
    }
  });

  it('the hub’s upstream relays every desk to HQ, brings HQ’s events to the desks, and repeats safely', async () => {
    const hub = await createHub(hq);
    try {
      // Two desks push to the hub; HQ holds another stop's laptop that the hub's desks must get.
      const desks = ['venue-a', 'venue-b'].map((id) => ({ id, laptop: createLaptop(id), token: '' }));
      for (const d of desks) {
        writeActivity(d.laptop, 300); // 1,200 events: more than one relay batch
        d.token = await hub.enrollDesk(d.id);
        await new SyncClient(d.laptop, injectTransport(hub.app), d.token).push();
      }
      const elsewhere = createLaptop('elsewhere');
      writeActivity(elsewhere, 10);
      await new SyncClient(elsewhere, hq.transport, await hq.enroll('elsewhere')).push();
      expect(hub.upstream.health()).toMatchObject({ configured: true, last_ok_at: null });

      const heldAtHq = (await hq.storage.digest()).reduce((n, d) => n + d.count, 0); // elsewhere's 40 and earlier tests'
      expect(heldAtHq).toBeGreaterThanOrEqual(40);
      const round = await hub.upstream.syncOnce();
      expect(round).toEqual({ pushed: 2400, pulled: heldAtHq, refused: [] });
      expect(hub.imported()).toBeGreaterThan(0);
      const atHq = await hq.storage.digest();
      for (const d of desks) {
        const own = createSyncQueries(d.laptop.db).ownDigest(d.id);
        expect(atHq.find((x) => x.deviceId === d.id)).toMatchObject({ count: own.count, hash: own.hash });
      }
      // HQ's events are now at the hub: a desk pulling from the hub gets the other stop's laptop.
      const pulled = await new SyncClient(desks[0]!.laptop, injectTransport(hub.app), desks[0]!.token).pull();
      expect(pulled.received).toBe(1200 + heldAtHq); // venue-b's events and HQ's
      // The health answer the desks read says all is relayed.
      const health = HealthResponse.parse((await hub.app.inject({ method: 'GET', url: '/v1/health' })).json());
      expect(health).toMatchObject({ role: 'hub', upstream: { configured: true, pending: 0, last_error_code: null } });
      expect(health.upstream?.last_ok_at).toMatch(/Z$/);

      // Again: nothing new either way.
      expect(await hub.upstream.syncOnce()).toEqual({ pushed: 0, pulled: 0, refused: [] });
      // A desk pushes more; only that is relayed.
      writeActivity(desks[1]!.laptop, 2);
      expect(await new SyncClient(desks[1]!.laptop, injectTransport(hub.app), desks[1]!.token).push()).toBe(8);
      expect(hub.upstream.health().pending).toBe(0); // not counted until the next round
      expect((await hub.upstream.syncOnce()).pushed).toBe(8);
    } finally {
      await hub.close();
    }
  });

  it('one device HQ will not take does not hold the others back, and is reported', async () => {
    const hub = await createHub(hq);
    try {
      // Device "forked" has two histories: one copy synced with HQ, another (a restored copy) with the hub.
      const atHq = createLaptop('forked');
      writeActivity(atHq, 1);
      await new SyncClient(atHq, hq.transport, await hq.enroll('forked')).push();
      const atHub = createLaptop('forked');
      writeActivity(atHub, 2);
      await new SyncClient(atHub, injectTransport(hub.app), await hub.enrollDesk('forked')).push();
      const fine = createLaptop('fine-desk');
      writeActivity(fine, 3);
      const fineToken = await hub.enrollDesk('fine-desk');
      await new SyncClient(fine, injectTransport(hub.app), fineToken).push();

      const round = await hub.upstream.syncOnce();
      expect(round.refused.map((r) => r.deviceId)).toEqual(['forked']);
      expect((await hq.storage.digest('fine-desk'))[0]?.count).toBe(12);
      const health = hub.upstream.health();
      expect(health).toMatchObject({ last_error_code: 'SYNC_REFUSED', stuck: [{ device_id: 'forked' }] });
      // The next round still relays the good desk's new events.
      writeActivity(fine, 1);
      await new SyncClient(fine, injectTransport(hub.app), fineToken).push();
      const next = await hub.upstream.syncOnce();
      expect(next.pushed).toBe(4);
      expect(next.refused.map((r) => r.deviceId)).toEqual(['forked']);
    } finally {
      await hub.close();
    }
  });

  it('a hub that lost its upstream state starts over and only meets duplicates', async () => {
    const hub = await createHub(hq);
    try {
      const laptop = createLaptop('venue-lost');
      writeActivity(laptop, 20);
      await new SyncClient(laptop, injectTransport(hub.app), await hub.enrollDesk('venue-lost')).push();
      expect((await hub.upstream.syncOnce()).pushed).toBe(80);
      const before = await hq.storage.highWater();
      // The state file is gone (a new hub folder with the same log): acknowledgements start at 0.
      hub.upstream.close();
      const fresh = new HubUpstream(hub.storage, path.join(tempDir('roadshow-hub-state-'), 'hub-upstream.sqlite'), { makeTransport: () => injectTransport(hq.app) });
      await fresh.connect({ url: 'http://127.0.0.1:1', code: (await issueEnrollmentCode(hq.storage, { role: 'hub' })).code });
      const round = await fresh.syncOnce();
      expect(round.pushed).toBe(0);
      expect(round.refused).toEqual([]);
      expect(await hq.storage.highWater()).toBe(before);
      fresh.close();
    } finally {
      await hub.close();
    }
  });
});

describe('HQ databases from before venue hubs (schema 1)', () => {
  const V1 = `
    CREATE TABLE hq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE events (server_seq BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL, device_seq BIGINT NOT NULL, hlc TEXT NOT NULL,
      type TEXT NOT NULL, schema_version INT NOT NULL, actor_id TEXT, stop_id TEXT, recorded_at TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL, UNIQUE (device_id, device_seq));
    CREATE INDEX events_stop ON events(stop_id);
    CREATE INDEX events_type ON events(type);
    CREATE TABLE devices (device_id TEXT PRIMARY KEY, label TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, enrolled_at TEXT NOT NULL, revoked_at TEXT);
    CREATE TABLE enrollment_codes (code_hash TEXT PRIMARY KEY, label TEXT NOT NULL, device_id TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT, used_by TEXT);
    INSERT INTO hq_meta VALUES ('schema_version', '1');
    INSERT INTO devices VALUES ('old-desk', 'Old desk', 'h1', '2025-01-01T00:00:00.000Z', NULL);
    INSERT INTO enrollment_codes VALUES ('used-hash', '', NULL, '2025-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', 'old-desk');
    INSERT INTO enrollment_codes VALUES ('open-hash', '', NULL, '2025-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', NULL, NULL);
  `;
  const check = async (storage: SqliteHqStorage | PostgresHqStorage) => {
    expect((await storage.listDevices()).map((d) => [d.deviceId, d.role])).toEqual([['old-desk', 'desk']]);
    const now = new Date().toISOString();
    expect(await storage.redeemEnrollmentCode('used-hash', 'new-1', '', 'h2', now)).toBe('invalid');
    expect(await storage.redeemEnrollmentCode('open-hash', 'new-1', '', 'h2', now)).toBe('ok');
    expect(await storage.redeemEnrollmentCode('open-hash', 'new-2', '', 'h3', now)).toBe('invalid');
  };

  it('SQLite: upgraded in place, used codes stay used', async () => {
    const file = path.join(tempDir('roadshow-hq-v1-'), 'hq-events.sqlite');
    const db = openSqlite(file);
    db.exec(V1);
    db.close();
    const storage = new SqliteHqStorage(file);
    await check(storage);
    await storage.close();
    const after = openSqlite(file);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('events_stop', 'events_type')").all()).toEqual([]);
    expect(after.prepare("SELECT value FROM hq_meta WHERE key = 'schema_version'").get()).toEqual({ value: '3' });
    after.close();
    // Opening again is a no-op.
    const again = new SqliteHqStorage(file);
    expect((await again.listDevices()).length).toBe(2);
    await again.close();
  });

  it('PostgreSQL: upgraded in place, used codes stay used', async () => {
    const url = await pgServer.createDatabase(`hq_v1_${process.pid}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(V1);
    await client.end();
    const storage = await PostgresHqStorage.open(url);
    await check(storage);
    await storage.close();
    const after = new pg.Client({ connectionString: url });
    await after.connect();
    expect((await after.query("SELECT indexname FROM pg_indexes WHERE indexname IN ('events_stop', 'events_type')")).rows).toEqual([]);
    expect((await after.query("SELECT value FROM hq_meta WHERE key = 'schema_version'")).rows).toEqual([{ value: '3' }]);
    await after.end();
  });
});
