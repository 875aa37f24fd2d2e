import { afterEach, describe, expect, it } from 'vitest';
import { backupDir, listBackups } from '../../../core/store/backup';
import { loadDemoData } from '../../../core/demo/demoData';
import { buildDemoEvents } from '../../../core/demo/seedDemo';
import { importEvents } from '../../../hq/server/importEvents';
import { createHttpTransport } from '../../../core/sync/hqTransport';
import { enrollDevice, SyncClient } from '../../../core/sync/syncClient';
import { callApi, callApiError } from '../../helpers/callApi';
import { startHttpHq, type HttpHq } from '../../helpers/hqHttp';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';
import { createTestContext, RESOURCES_DIR } from '../../helpers/testStore';

let hq: HttpHq | null = null;
afterEach(async () => {
  await hq?.close();
  hq = null;
});

const ownCount = (store: { db: import('../../../core/store/sqlite').Db; deviceId: string }) =>
  (store.db.prepare('SELECT COUNT(*) AS n FROM events WHERE device_id = ?').get(store.deviceId) as { n: number }).n;

async function enrolledLaptop(id: string) {
  const store = createLaptop(id);
  const ctx = createTestContext(store);
  await callApi(ctx, 'sync:configure', { url: hq!.url });
  await callApi(ctx, 'sync:enroll', { code: await hq!.newCode(), label: id });
  return { store, ctx };
}

describe('sync from the app (sync:* channels against a real HQ on loopback)', () => {
  it('refuses plain http to another host and says what is missing', async () => {
    const ctx = createTestContext(createLaptop('dev-cfg'));
    expect((await callApiError(ctx, 'sync:configure', { url: 'http://hq.roadshow.example' })).code).toBe('SYNC_INSECURE_URL');
    expect((await callApiError(ctx, 'sync:configure', { url: 'http://10.0.0.5:8470' })).code).toBe('SYNC_INSECURE_URL');
    expect((await callApiError(ctx, 'sync:configure', { url: 'ftp://hq.example' })).code).toBe('SYNC_INSECURE_URL');
    expect((await callApiError(ctx, 'sync:configure', { url: 'not an address' })).code).toBe('VALIDATION');
    expect((await callApiError(ctx, 'sync:now', {})).code).toBe('SYNC_NOT_CONFIGURED');
    const ok = await callApi(ctx, 'sync:configure', { url: 'https://hq.roadshow.example/' });
    expect(ok.hqUrl).toBe('https://hq.roadshow.example');
    expect((await callApiError(ctx, 'sync:now', {})).code).toBe('SYNC_NOT_ENROLLED');
    expect((await callApi(ctx, 'sync:configure', { url: 'http://localhost:8470' })).hqUrl).toBe('http://localhost:8470');
  });

  it('enrolls by code, syncs two laptops with a conflict, and proves HQ holds everything', async () => {
    hq = await startHttpHq();
    const bad = createTestContext(createLaptop('dev-x'));
    await callApi(bad, 'sync:configure', { url: hq.url });
    expect((await callApiError(bad, 'sync:enroll', { code: 'AAAA-BBBB-CCCC-DDDD' })).code).toBe('SYNC_BAD_CODE');

    const a = await enrolledLaptop('dev-svc-a');
    const b = await enrolledLaptop('dev-svc-b');
    expect((await callApi(a.ctx, 'sync:status', {})).enrolled).toBe(true);
    // Enrolling publishes the laptop's bundle-signing key (issue #8): one event of its own already.
    const keyEvents = ownCount(a.store);
    const { registrationIds } = writeActivity(a.store, 25);
    const ownA = keyEvents + 100;
    expect((await callApi(a.ctx, 'app:info', {})).unsyncedCount).toBe(ownA);
    expect(listBackups(backupDir(a.ctx.dataDir)).filter((x) => x.reason === 'sync')).toHaveLength(0);
    const first = await callApi(a.ctx, 'sync:now', {});
    // A consistent backup was taken before the sync (issue #9).
    expect(listBackups(backupDir(a.ctx.dataDir)).filter((x) => x.reason === 'sync')).toHaveLength(1);
    expect(first).toMatchObject({ sent: ownA, received: 0, conflicts: 0, digest: { ok: true, localCount: ownA, hqCount: ownA } });
    expect((await callApi(a.ctx, 'app:info', {})).unsyncedCount).toBe(0);

    // B gets A's walk-ins, then (offline from A) checks one of them in again at its own desk.
    expect(await callApi(b.ctx, 'sync:now', {})).toMatchObject({ sent: keyEvents, received: ownA });
    const reg = b.store.db.prepare('SELECT attendee_id FROM registrations WHERE id = ?').get(registrationIds[0]) as { attendee_id: string };
    b.store.events.append('checked_in', { registrationId: registrationIds[0]!, attendeeId: reg.attendee_id, stopId: 'stop-03-new-york', desk: 'Desk B' });
    expect(await callApi(b.ctx, 'sync:now', {})).toMatchObject({ sent: 1, received: 0, conflicts: 0 });
    // A receives B's duplicate check-in: a conflict, kept and counted, not silently resolved.
    const second = await callApi(a.ctx, 'sync:now', {});
    expect(second).toMatchObject({ sent: 0, received: keyEvents + 1, conflicts: 1 });
    expect((a.store.db.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?').get(registrationIds[0]) as { n: number }).n).toBe(2);
    expect(a.store.events.projectionHash()).toBe(b.store.events.projectionHash());
    await hq.projections.catchUp();
    expect(hq.projections.store.events.projectionHash()).toBe(a.store.events.projectionHash());

    const status = await callApi(a.ctx, 'sync:status', { probe: true });
    expect(status).toMatchObject({ online: true, running: false, unsynced: 0, lastSuccess: { ok: true, received: keyEvents + 1, conflicts: 1 } });
    const ownB = keyEvents + 1;
    expect(await callApi(b.ctx, 'sync:digest', {})).toEqual({ ok: true, localCount: ownB, hqCount: ownB, localMaxSeq: ownB, hqMaxSeq: ownB });

    // HQ goes away: the failure is recorded and said, nothing is lost.
    writeActivity(a.store, 1);
    await hq.close();
    hq = null;
    const err = await callApiError(a.ctx, 'sync:now', {});
    expect(err.code).toBe('SYNC_OFFLINE');
    const after = await callApi(a.ctx, 'sync:status', { probe: true });
    expect(after).toMatchObject({ online: false, unsynced: 4, lastRun: { ok: false, errorCode: 'SYNC_OFFLINE' }, lastSuccess: { ok: true } });
  });

  it('brings HQ master data (stops, institutions, booths, pre-registrations) to a new laptop', async () => {
    hq = await startHttpHq();
    const demo = buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 50 });
    expect((await importEvents(hq.storage, demo)).added).toBe(demo.length);
    const { ctx } = await enrolledLaptop('dev-new');
    expect(await callApi(ctx, 'stops:list', {})).toEqual([]);
    const res = await callApi(ctx, 'sync:now', {});
    expect(res.received).toBe(demo.length);
    expect((await callApi(ctx, 'stops:list', {})).length).toBe(11);
    expect((await callApi(ctx, 'institutions:list', {})).length).toBeGreaterThanOrEqual(15);
    expect((await callApi(ctx, 'booths:list', { stopId: 'stop-03-new-york' })).length).toBeGreaterThan(5);
  });

  it('gzips both ways over a real connection when asked (as it does off loopback)', async () => {
    hq = await startHttpHq();
    const store = createLaptop('dev-gzip');
    writeActivity(store, 300);
    const t = createHttpTransport(hq.url, { gzip: true });
    const client = new SyncClient(store, t, await enrollDevice(t, 'dev-gzip', await hq.newCode(), 'gz'));
    expect(await client.push()).toBe(1200);
    const other = createLaptop('dev-gzip-2');
    const c2 = new SyncClient(other, t, await enrollDevice(t, 'dev-gzip-2', await hq.newCode(), 'gz2'));
    expect((await c2.pull()).received).toBe(1200);
    expect(other.events.projectionHash()).toBe(store.events.projectionHash());
  });

  it('reports progress batch by batch', async () => {
    hq = await startHttpHq();
    const { store, ctx } = await enrolledLaptop('dev-progress');
    writeActivity(store, 600); // 2,400 events (+ the key event): three push batches
    const n = ownCount(store);
    const { SyncService } = await import('../../../core/sync/syncRunner');
    const seen: string[] = [];
    await new SyncService(store).syncNow({ onProgress: (p) => seen.push(`${p.phase}:${p.sent}/${p.toSend}`) });
    expect(seen.slice(0, 5)).toEqual(['prepare:0/0', `push:0/${n}`, `push:1000/${n}`, `push:2000/${n}`, `push:${n}/${n}`]);
    expect(seen.slice(-2)).toEqual([`pull:${n}/${n}`, `verify:${n}/${n}`]);
    expect((await callApi(ctx, 'sync:status', {})).lastSuccess).toMatchObject({ sent: n });
  });
});
