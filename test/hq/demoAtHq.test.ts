import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore, type Store } from '../../core/store/openStore';
import { createTourQueries } from '../../core/store/queries/tourQueries';
import { SyncService } from '../../core/sync/syncRunner';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { overviewData } from '../../hq/server/dashboard/dashboardData';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { callApi } from '../helpers/callApi';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore, RESOURCES_DIR, tempDir } from '../helpers/testStore';

/** An HQ as `npm run hq` serves it: with the demo tour's events to publish when a demo desk enrolls. */
async function startHq(opts: { demo: boolean; hub?: boolean }) {
  const dir = tempDir('roadshow-hqdemo-');
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  // The desk's test demo is smaller than the app's (120 people, no booth plans): HQ's copy is built the same way here.
  const demoEvents = opts.demo ? () => buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 120, schedules: false }) : undefined;
  const app = buildHqApp({ storage, projections, demoEvents, ...(opts.hub ? { hub: { upstreamHealth: () => ({ configured: false, last_ok_at: null, pending: 0, last_error_code: null, stuck: [] }) } } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    storage,
    projections,
    code: async () => (await issueEnrollmentCode(storage)).code,
    async close() {
      await app.close();
      projections.stop();
      await projections.catchUp().catch(() => 0);
      await storage.close();
      store.close();
    },
  };
}

let hq: Awaited<ReturnType<typeof startHq>> | null = null;
const stores: Store[] = [];
afterEach(async () => {
  await hq?.close();
  hq = null;
  for (const s of stores.splice(0)) disposeTestStore(s);
});

describe('a demo desk syncs to a fresh HQ (issue #22: "No stops at HQ yet")', () => {
  it('HQ then lists the desk’s stop with the same figures the desk shows, its own check-in included, without a seeding step', async () => {
    hq = await startHq({ demo: true });
    const desk = createTestStore({ demo: true });
    stores.push(desk);
    const ctx = createTestContext(desk);
    // One check-in of the desk's own at the demo's New York stop.
    const someone = desk.db.prepare<[string], { id: string }>("SELECT id FROM registrations WHERE stop_id = ? AND id NOT IN (SELECT registration_id FROM check_ins) LIMIT 1").get(DEMO_STOP)!;
    await callApi(ctx, 'checkin:checkIn', { registrationId: someone.id });
    await callApi(ctx, 'sync:configure', { url: hq.url });
    await callApi(ctx, 'sync:enroll', { code: await hq.code(), label: 'Desk A, New York' });
    const result = await callApi(ctx, 'sync:now', {});
    expect(result.digest.ok).toBe(true);
    await hq.projections.catchUp();

    const atHq = overviewData(hq.projections.store);
    expect(atHq.stops.map((s) => s.id)).toContain(DEMO_STOP);
    const hqFigures = atHq.figures.find((f) => f.stopId === DEMO_STOP)!;
    const deskFigures = createTourQueries(desk.db).stopFigures(DEMO_STOP);
    expect(hqFigures.registered).toBeGreaterThan(0);
    expect(hqFigures).toEqual(deskFigures);
    // Nothing new came back: the desk held the demo already.
    expect(result.received).toBe(0);
  });

  it('publishes nothing for a desk without the demo, nor on a venue hub', async () => {
    hq = await startHq({ demo: true });
    const plain = createLaptop('dev-plain');
    stores.push(plain);
    writeActivity(plain, 2);
    const svc = new SyncService(plain);
    svc.configure(hq.url);
    await svc.enroll(await hq.code(), 'plain');
    expect(await hq.storage.highWater()).toBe('0');
    await hq.close();

    hq = await startHq({ demo: true, hub: true });
    const demoDesk = createTestStore({ demo: true, attendees: 5 });
    stores.push(demoDesk);
    const onHub = new SyncService(demoDesk);
    onHub.configure(hq.url);
    await onHub.enroll(await hq.code(), 'on a hub');
    expect(await hq.storage.highWater()).toBe('0');
  });
});
