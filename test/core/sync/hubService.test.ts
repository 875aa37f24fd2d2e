import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncQueries } from '../../../core/store/queries/syncQueries';
import type { HqTransport } from '../../../core/sync/hqTransport';
import { NetworkError } from '../../../core/sync/hqTransport';
import { HUB_KEYS, HubService } from '../../../core/sync/hubService';
import { issueEnrollmentCode } from '../../../hq/server/auth';
import { buildHqApp } from '../../../hq/server/hqApp';
import { SqliteHqStorage } from '../../../hq/server/sqliteStorage';
import { AppError } from '../../../shared/errors';
import { injectTransport } from '../../helpers/hqHarness';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';
import { tempDir } from '../../helpers/testStore';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A hub in-process (its routes over Fastify inject) that can be switched off like a pulled cable. */
async function hub() {
  const storage = new SqliteHqStorage(path.join(tempDir('roadshow-hubsvc-'), 'hq-events.sqlite'));
  const app = buildHqApp({ storage, hub: { upstreamHealth: () => ({ configured: true, last_ok_at: '2026-11-25T10:00:00.000Z', pending: 3, last_error_code: null, stuck: [] }) } });
  await app.ready();
  cleanups.push(async () => {
    await app.close();
    await storage.close();
  });
  const inject = injectTransport(app);
  let down = false;
  const transport: HqTransport = {
    request: (method, p, body, token) => (down ? Promise.reject(new NetworkError('connect ECONNREFUSED')) : inject.request(method, p, body, token)),
  };
  const joinCode = (await issueEnrollmentCode(storage, { uses: 10 })).code;
  return { storage, transport, joinCode, setDown: (v: boolean) => void (down = v) };
}

function deskWith(h: { transport: HqTransport }, deviceId: string, clock = { t: Date.parse('2026-11-25T10:00:00Z') }) {
  const store = createLaptop(deviceId);
  const service = new HubService(() => store, () => h.transport, { now: () => clock.t });
  cleanups.push(() => {
    service.stop();
    store.close();
  });
  return { store, service, clock };
}

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

describe('HubService (a desk’s link to a venue hub)', () => {
  it('connects with the invite in one step; a bad code or address writes nothing', async () => {
    const h = await hub();
    const { store, service } = deskWith(h, 'desk-1');
    await expectCode(service.connect({ url: 'https://10.0.0.5:8470', code: 'AAAA-BBBB-CCCC-DDDD' }), 'SYNC_BAD_CODE');
    await expectCode(service.connect({ url: 'http://10.0.0.5:8470' }), 'SYNC_INSECURE_URL');
    await expectCode(service.connect({ url: 'https://10.0.0.5:8470', certFingerprint: 'not-hex' }), 'SYNC_FINGERPRINT_INVALID');
    expect(service.status()).toMatchObject({ hubUrl: null, enrolled: false, auto: false });
    await expectCode(service.syncNow(), 'SYNC_NOT_CONFIGURED');
    expect(() => service.setAuto(true)).toThrow(AppError);

    const fp = 'AB'.repeat(32);
    const status = await service.connect({ url: 'https://10.0.0.5:8470/', certFingerprint: `sha256/${fp}`, code: h.joinCode, label: 'Desk 1' });
    expect(status).toMatchObject({ hubUrl: 'https://10.0.0.5:8470', enrolled: true, auto: true, online: true });
    expect(status.certFingerprint).toBe(fp.match(/../g)!.join(':'));
    expect(service.looping).toBe(true);
    // HQ's own settings are untouched: the hub is a second target.
    expect(createSyncQueries(store.db).get('hq_url')).toBeNull();
    expect((await h.storage.listDevices()).map((d) => d.deviceId)).toEqual(['desk-1']);
  });

  it('syncs two desks through the hub, counting what arrived, and keeps its own cursors', async () => {
    const h = await hub();
    const a = deskWith(h, 'desk-a');
    const b = deskWith(h, 'desk-b');
    await a.service.connect({ url: 'http://127.0.0.1:8470', code: h.joinCode });
    await b.service.connect({ url: 'http://127.0.0.1:8470', code: h.joinCode });
    a.service.stop();
    b.service.stop();
    writeActivity(a.store, 3);
    expect(a.service.status().unsynced).toBe(12);
    const positionBefore = b.service.status().logPosition;
    expect((await a.service.syncNow()).sent).toBe(12);
    const res = await b.service.syncNow();
    expect(res).toMatchObject({ received: 12, digest: { ok: true } });
    const s = b.service.status();
    expect(s).toMatchObject({ receivedSinceStart: 12, unsynced: 0, online: true, lastSuccess: { ok: true, received: 12 } });
    expect(s.logPosition).toBeGreaterThan(positionBefore);
    // The hub's own link to HQ, read from its health answer.
    expect(s.upstream).toEqual({ configured: true, lastOkAt: '2026-11-25T10:00:00.000Z', pending: 3, lastErrorCode: null });
    expect(Number(createSyncQueries(b.store.db, HUB_KEYS).pullCursor())).toBeGreaterThan(0);
    expect(createSyncQueries(b.store.db).pullCursor()).toBe('0');
  });

  it('the loop pushes own writes at the next tick, backs off while the hub is gone, and resumes', async () => {
    const h = await hub();
    const a = deskWith(h, 'desk-loop');
    await a.service.connect({ url: 'http://127.0.0.1:8470', code: h.joinCode });
    a.service.stop(); // ticks driven by hand, with a hand-moved clock
    await a.service.tick(); // first tick: the pull interval has passed since "never"
    expect(a.service.status().lastSuccess).not.toBeNull();
    const ran = () => a.service.status().lastRun?.at;
    const first = ran();
    a.clock.t += 500;
    await a.service.tick(); // nothing written, pull not due: no request
    expect(ran()).toBe(first);
    writeActivity(a.store, 1);
    await a.service.tick(); // own events wait: pushed at once
    expect(a.service.status().unsynced).toBe(0);

    h.setDown(true);
    writeActivity(a.store, 1);
    a.clock.t += 500;
    await a.service.tick();
    expect(a.service.status()).toMatchObject({ online: false, unsynced: 4, lastRun: { ok: false, errorCode: 'SYNC_OFFLINE' } });
    // Offline: own writes do not make it hammer the hub; it waits the back-off (4 s after a first failure).
    const failedAt = ran();
    a.clock.t += 1_000;
    await a.service.tick();
    expect(ran()).toBe(failedAt);
    a.clock.t += 3_000;
    await a.service.tick();
    expect(ran()).not.toBe(failedAt);
    expect(a.service.status().online).toBe(false);

    h.setDown(false);
    a.clock.t += 10_000;
    await a.service.tick();
    expect(a.service.status()).toMatchObject({ online: true, unsynced: 0 });
  });

  it('backs off after a refusal too (a revoked token), not only when the hub is gone', async () => {
    const h = await hub();
    const a = deskWith(h, 'desk-refused');
    await a.service.connect({ url: 'http://127.0.0.1:8470', code: h.joinCode });
    a.service.stop();
    await h.storage.revokeDevice('desk-refused', new Date().toISOString());
    writeActivity(a.store, 1);
    await a.service.tick();
    expect(a.service.status().lastRun).toMatchObject({ ok: false, errorCode: 'SYNC_REVOKED' });
    const failedAt = a.service.status().lastRun?.at;
    a.clock.t += 500;
    await a.service.tick(); // own events wait, but the last attempt was refused: no request every tick
    expect(a.service.status().lastRun?.at).toBe(failedAt);
    a.clock.t += 4_000;
    await a.service.tick();
    expect(a.service.status().lastRun?.at).not.toBe(failedAt);
  });

  it('remembers the loop across restarts and forgets the hub on request, keeping the data', async () => {
    const h = await hub();
    const a = deskWith(h, 'desk-restart');
    await a.service.connect({ url: 'http://127.0.0.1:8470', code: h.joinCode });
    a.service.stop();
    const again = new HubService(() => a.store, () => h.transport);
    cleanups.push(() => again.stop());
    again.startIfEnabled();
    expect(again.looping).toBe(true);
    expect(again.setAuto(false)).toMatchObject({ auto: false });
    expect(again.looping).toBe(false);
    const third = new HubService(() => a.store, () => h.transport);
    third.startIfEnabled();
    expect(third.looping).toBe(false);

    writeActivity(a.store, 1);
    const forgotten = await third.forget();
    expect(forgotten).toMatchObject({ hubUrl: null, enrolled: false, auto: false, unsynced: 0 });
    for (const key of Object.values(HUB_KEYS)) expect(createSyncQueries(a.store.db).get(key)).toBeNull();
    expect(a.store.db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 4 });
  });
});
