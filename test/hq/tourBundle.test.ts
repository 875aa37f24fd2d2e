import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../core/store/openStore';
import { HqActions } from '../../hq/server/admin/hqActions';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { callApi } from '../helpers/callApi';
import { createTestContext, createTestStore, disposeTestStore, tempDir } from '../helpers/testStore';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Issue #18: a desk that reaches neither HQ nor a hub gets the tour HQ planned on a USB stick. */
describe('the tour as a USB bundle from HQ', () => {
  it('carries what HQ planned to a desk started without demo data, and a second import adds nothing', async () => {
    const dir = tempDir('roadshow-hqbundle-');
    const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
    const hqStore: Store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => hqStore.close(), () => storage.close());
    const actions = new HqActions(hqStore, storage, dir);
    const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const tour = ok(await actions.call('tour:upsert', { name: 'Roadshow 2026', nameKo: '로드쇼 2026', year: 2026 }, 'admin-1'));
    const stop = ok(await actions.call('stop:upsert', { tourId: tour.id, round: '1', city: 'Austin', cityKo: '오스틴', date: '2026-11-02', timeZone: 'America/Chicago', kind: 'campus_roadshow' }, 'admin-1'));
    const inst = ok(await actions.call('institution:upsert', { name: 'UNIST', shortName: 'UNIST', kind: 'university' }, 'admin-1'));
    ok(await actions.call('booth:upsert', { stopId: stop.id, institutionId: inst.id, location: 'B03', plan: { startTime: '10:00', endTime: '12:00', slotMinutes: 20, capacity: 2, breaks: [], fields: [] } }, 'admin-1'));
    ok(await actions.call('session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Campus talk', startTime: '09:00', endTime: '09:45', room: 'Hall 1' }, 'admin-1'));

    const bundle = await actions.tourBundle();
    expect(bundle.deviceId).toBe('hq');
    // Everything HQ wrote is in its event storage too (the key event of the first bundle included).
    expect((await storage.digest('hq'))[0]?.maxSeq).toBe(bundle.toSeq);

    const desk = createTestStore();
    cleanup.push(() => disposeTestStore(desk));
    const ctx = createTestContext(desk);
    expect(await callApi(ctx, 'stops:list', {})).toEqual([]);
    const report = await callApi(ctx, 'bundle:import', { base64: Buffer.from(bundle.bytes).toString('base64') });
    expect(report).toMatchObject({ deviceId: 'hq', added: bundle.count, rejected: 0 });
    expect((await callApi(ctx, 'stops:list', {})).map((s) => [s.city, s.timeZone])).toEqual([['Austin', 'America/Chicago']]);
    const schedule = await callApi(ctx, 'booths:schedule', { stopId: stop.id });
    expect(schedule.rows.map((r) => [r.booth.location, r.slots[0]?.localStart, r.slots[0]?.start])).toEqual([['B03', '10:00', '2026-11-02T16:00:00.000Z']]);
    expect((await callApi(ctx, 'sessions:list', { stopId: stop.id })).map((s) => s.title)).toEqual(['Campus talk']);
    expect(await callApi(ctx, 'bundle:import', { base64: Buffer.from(bundle.bytes).toString('base64') })).toMatchObject({ added: 0, alreadyHeld: bundle.count });
  });
});
