import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkStopPurge } from '../../core/security/purgeCheck';
import type { Store } from '../../core/store/openStore';
import { createSettingsQueries } from '../../core/store/queries/settingsQueries';
import { SYNC_KEYS } from '../../core/store/queries/syncQueries';
import { HUB_KEYS } from '../../core/sync/hubService';
import { stopDigestOf } from '../../core/sync/stopDigest';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HubUpstream } from '../../hq/server/hub/hubUpstream';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { createTestHq, injectTransport, type TestHq } from '../helpers/hqHarness';
import { hqHolds } from '../helpers/hqHolds';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';

/** Laptops of createLaptop live in their own temp folder: close and remove it. */
function dispose(store: Store): void {
  const dir = path.dirname(store.db.name);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

const STOP = 'stop-03-new-york';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A venue hub in-process whose link to HQ goes through Fastify inject. */
async function createHub(hq: TestHq) {
  const dir = tempDir('roadshow-hub-');
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const upstream = new HubUpstream(storage, path.join(dir, 'hub-upstream.sqlite'), { makeTransport: () => injectTransport(hq.app) });
  const { code } = await issueEnrollmentCode(hq.storage, { role: 'hub', label: 'hub' });
  await upstream.connect({ url: 'http://127.0.0.1:1', code });
  const app = buildHqApp({ storage, hub: { upstreamHealth: () => upstream.health(), hqStopDigest: (stopId) => upstream.stopDigest(stopId) } });
  await app.ready();
  cleanups.push(async () => {
    await app.close();
    await upstream.stop();
    upstream.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { storage, app };
}

function laptopWith(n: number): Store {
  const laptop = createLaptop('desk-purge');
  cleanups.push(() => dispose(laptop));
  writeActivity(laptop, n, { stopId: STOP });
  writeActivity(laptop, 1, { stopId: 'stop-other' });
  return laptop;
}

const point = (laptop: Store, keys: typeof SYNC_KEYS | typeof HUB_KEYS, token: string) => {
  const s = createSettingsQueries(laptop.db);
  s.set(keys.url, 'http://127.0.0.1:1');
  s.set(keys.token, token);
};

describe('HQ’s digest of a stop, the purge’s proof (issue #19)', () => {
  it('HQ serves it to enrolled devices only, computed as the laptop computes its own', async () => {
    const hq = await createTestHq('sqlite');
    cleanups.push(() => hq.close());
    const laptop = laptopWith(3);
    await hqHolds(hq.storage, laptop);
    expect((await hq.app.inject({ method: 'GET', url: `/v1/sync/stop-digest?stop=${STOP}` })).statusCode).toBe(401);
    const token = await hq.enroll('desk-purge');
    const res = await hq.app.inject({ method: 'GET', url: `/v1/sync/stop-digest?stop=${STOP}`, headers: { authorization: `Bearer ${token}` } });
    const ids = laptop.db.prepare<[string], { event_id: string }>('SELECT event_id FROM events WHERE stop_id = ?').all(STOP).map((r) => r.event_id);
    expect(res.json()).toEqual({ stop_id: STOP, event_count: 12, digest: stopDigestOf(ids).digest, source: 'hq' });
    point(laptop, SYNC_KEYS, token);
    expect(await checkStopPurge(laptop, STOP, () => injectTransport(hq.app))).toMatchObject({ state: 'equal', remote: { source: 'hq', eventCount: 12 } });
    // HQ with events the laptop lacks (another desk's): the laptop must pull first.
    const other = createLaptop('desk-other');
    cleanups.push(() => dispose(other));
    writeActivity(other, 1, { stopId: STOP });
    await hqHolds(hq.storage, other);
    expect(await checkStopPurge(laptop, STOP, () => injectTransport(hq.app))).toMatchObject({ state: 'remote_has_more', local: { eventCount: 12 }, remote: { eventCount: 16 } });
  });

  it('a venue hub vouches only when HQ holds exactly its copy', async () => {
    const hq = await createTestHq('sqlite');
    cleanups.push(() => hq.close());
    const hub = await createHub(hq);
    const laptop = laptopWith(2);
    const join = await issueEnrollmentCode(hub.storage, { uses: 1 });
    const token = (await hub.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: join.code, device_id: 'desk-purge' } })).json().token as string;
    point(laptop, HUB_KEYS, token);
    await hqHolds(hub.storage, laptop);
    // The hub holds everything, HQ nothing yet: the hub's own word is not enough.
    expect(await checkStopPurge(laptop, STOP, () => injectTransport(hub.app))).toMatchObject({ state: 'hub_unconfirmed', remote: null });
    await hqHolds(hq.storage, laptop);
    expect(await checkStopPurge(laptop, STOP, () => injectTransport(hub.app))).toMatchObject({ state: 'equal', remote: { source: 'hub', eventCount: 8 } });
  });
});
