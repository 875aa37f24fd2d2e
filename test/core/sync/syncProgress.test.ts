import { afterEach, describe, expect, it } from 'vitest';
import { createSyncQueries } from '../../../core/store/queries/syncQueries';
import { rowJson } from '../../../core/sync/envelopeJson';
import { SyncService } from '../../../core/sync/syncRunner';
import type { SyncProgress } from '../../../shared/ipc/syncContract';
import { HQ_BATCH_BYTES, MAX_BATCH_BYTES } from '../../../shared/sync/hqProtocol';
import { callApi } from '../../helpers/callApi';
import { startHttpHq, type HttpHq } from '../../helpers/hqHttp';
import { importTestStores, uploadRows } from '../../helpers/importUpload';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';
import { DEMO_STOP } from '../../helpers/testStore';

let hq: HttpHq | null = null;
afterEach(async () => {
  await hq?.close();
  hq = null;
});
const stores = importTestStores(20);

/**
 * Issue #22: a sync after a large import shows where it is, in events, bytes and time left. An import
 * of 8,000 people is 32 `registrations_imported` events of ~85 KB: several push batches (≤ 1 MiB, then up to what HQ announces).
 */
describe('sync progress after an import (a real HQ over HTTP)', () => {
  it('moves by events and bytes through prepare, push, pull and verify, with an estimate from the rate so far', async () => {
    hq = await startHttpHq();
    // Another desk's events for the pull.
    const other = stores.track(createLaptop('dev-progress-other'));
    writeActivity(other, 300);
    const otherSvc = new SyncService(other);
    otherSvc.configure(hq.url);
    await otherSvc.enroll(await hq.newCode(), 'other');
    await otherSvc.syncNow();

    const ctx = stores.context();
    const { uploadId, mapping } = await uploadRows(ctx, 8000, 'Prog');
    await callApi(ctx, 'import:check', { uploadId, stopId: DEMO_STOP, mapping });
    const outcome = await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    expect(outcome.events).toBe(32);
    await callApi(ctx, 'sync:configure', { url: hq.url });
    await callApi(ctx, 'sync:enroll', { code: await hq.newCode(), label: 'big' });
    const store = ctx.store;
    // What a push will carry: every own event's JSON, its payload text verbatim.
    const rows = [...createSyncQueries(store.db).ownRowsAfter(store.deviceId, 0, 1_000_000)];
    const bytes = rows.reduce((n, r) => n + Buffer.byteLength(rowJson(r)), 0);
    expect(bytes).toBeGreaterThan(2 * MAX_BATCH_BYTES);

    let t = 0;
    const clock = () => (t += 1000); // each reading one second later: the estimate is exact arithmetic
    const seen: SyncProgress[] = [];
    let backedUp = false;
    const result = await new SyncService(store).syncNow({ clock, onProgress: (p) => seen.push(p), beforeSync: () => void (backedUp = seen.length === 1 && seen[0]!.phase === 'prepare') });
    expect(backedUp).toBe(true);
    expect(result.digest.ok).toBe(true);
    expect(result.sent).toBe(rows.length);

    const phases = seen.map((p) => p.phase).filter((ph, i, all) => all[i - 1] !== ph);
    expect(phases).toEqual(['prepare', 'push', 'pull', 'verify']);

    const push = seen.filter((p) => p.phase === 'push');
    // Totals known before the first batch, to the byte.
    expect(push[0]).toMatchObject({ sent: 0, toSend: rows.length, bytesSent: 0, bytesToSend: bytes, etaSeconds: null });
    expect(push.length).toBeGreaterThanOrEqual(4); // the start and at least three batches
    for (let i = 1; i < push.length; i++) {
      const p = push[i]!;
      expect(p.sent).toBeGreaterThan(push[i - 1]!.sent);
      expect(p.bytesSent).toBeGreaterThan(push[i - 1]!.bytesSent);
      expect(p.bytesSent - push[i - 1]!.bytesSent).toBeLessThanOrEqual(HQ_BATCH_BYTES);
      // The i-th acknowledgement came i seconds after the push began: seconds left at that rate.
      const expected = p.bytesSent >= bytes ? 0 : Math.ceil(((bytes - p.bytesSent) * i) / p.bytesSent);
      expect(p.etaSeconds).toBe(expected);
    }
    expect(push.at(-1)).toMatchObject({ sent: rows.length, bytesSent: bytes, etaSeconds: 0 });
    expect(push.slice(1, -1).every((p) => p.etaSeconds! > 0)).toBe(true);

    const pull = seen.filter((p) => p.phase === 'pull');
    const top = Number(await hq.storage.highWater());
    expect(pull.at(-1)).toMatchObject({ pullDone: top, pullTotal: top, received: 1200, etaSeconds: 0 });
    expect(pull.at(-1)!.bytesReceived).toBeGreaterThan(0);
    expect(pull.map((p) => p.pullDone)).toEqual([...pull.map((p) => p.pullDone)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ phase: 'verify', sent: rows.length, received: 1200 });
    // Nothing is left to send: the one figure the header and the Sync screen show.
    expect((await callApi(ctx, 'app:info', {})).unsyncedCount).toBe(0);
    expect((await callApi(ctx, 'sync:status', {})).unsynced).toBe(0);
  });
});
