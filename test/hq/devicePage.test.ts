import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEVICE_PAGE } from '../../hq/server/storage';
import { enrollBulkDevices } from '../helpers/bulkHq';
import { createTestHq, type Backend, type TestHq } from '../helpers/hqHarness';
import { startPostgres, type RunningPostgres } from '../helpers/postgres';

/** Issue #17, part 2: the Devices page reads one keyset page of devices from either back end, never all of them. */
let pg: RunningPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(() => pg?.stop());

describe.each<Backend>(['sqlite', 'postgres'])('device pages on %s', (backend) => {
  let hq: TestHq;
  let ids: string[];
  beforeAll(async () => {
    hq = await createTestHq(backend, { pg });
    ids = await enrollBulkDevices(hq.storage, 25);
    for (const id of [ids[1]!, ids[7]!, ids[20]!]) await hq.storage.revokeDevice(id, '2025-10-21T00:00:00Z');
  }, 60_000);
  afterAll(() => hq?.close());

  it('walks forward and back by keyset, with totals and positions', async () => {
    const first = await hq.storage.devicePage({ limit: 10 });
    expect(first.devices.map((d) => d.deviceId)).toEqual(ids.slice(0, 10));
    expect(first).toMatchObject({ total: 25, offset: 0, hasBefore: false, hasAfter: true });
    const second = await hq.storage.devicePage({ limit: 10, after: ids[9] });
    expect(second.devices.map((d) => d.deviceId)).toEqual(ids.slice(10, 20));
    expect(second).toMatchObject({ offset: 10, hasBefore: true, hasAfter: true });
    const last = await hq.storage.devicePage({ limit: 10, after: ids[19] });
    expect(last.devices.map((d) => d.deviceId)).toEqual(ids.slice(20));
    expect(last).toMatchObject({ offset: 20, hasAfter: false });
    const back = await hq.storage.devicePage({ limit: 10, before: ids[10] });
    expect(back.devices.map((d) => d.deviceId)).toEqual(ids.slice(0, 10));
    expect(back).toMatchObject({ offset: 0, hasBefore: false, hasAfter: true });
    const none = await hq.storage.devicePage({ limit: 10, after: ids[24] });
    expect(none).toMatchObject({ devices: [], total: 25, offset: 25, hasAfter: false });
  });

  it('filters by status across pages and never returns more than a bounded page', async () => {
    const revoked = await hq.storage.devicePage({ limit: 2, status: 'revoked' });
    expect(revoked.devices.map((d) => d.deviceId)).toEqual([ids[1], ids[7]]);
    expect(revoked).toMatchObject({ total: 3, offset: 0, hasAfter: true });
    expect(revoked.devices.every((d) => d.revokedAt !== null)).toBe(true);
    const rest = await hq.storage.devicePage({ limit: 2, status: 'revoked', after: ids[7] });
    expect(rest.devices.map((d) => d.deviceId)).toEqual([ids[20]]);
    expect(rest).toMatchObject({ offset: 2, hasAfter: false });
    const active = await hq.storage.devicePage({ limit: 100, status: 'active' });
    expect(active.total).toBe(22);
    expect(active.devices.some((d) => d.revokedAt !== null)).toBe(false);
    const huge = await hq.storage.devicePage({ limit: 1e9 });
    expect(huge.devices.length).toBeLessThanOrEqual(MAX_DEVICE_PAGE);
  });
});
