import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { importRunner } from '../../../core/import/importRunner';
import { storeSource, type Store } from '../../../core/store/openStore';
import { openSqlite } from '../../../core/store/sqlite';
import { callApi, callApiError } from '../../helpers/callApi';
import { HEADER, importTestStores, uploadRows } from '../../helpers/importUpload';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

/** A file uploaded, parsed and checked: the commit then reuses the check's plan. */
async function uploadChecked(ctx: ApiContext, n: number, prefix: string) {
  const u = await uploadRows(ctx, n, prefix);
  await callApi(ctx, 'import:check', { uploadId: u.uploadId, stopId: DEMO_STOP, mapping: u.mapping });
  return u;
}

/** Resolves once another connection (the worker's) holds the store's write lock. */
async function workerHoldsWriteLock(file: string): Promise<void> {
  const probe = openSqlite(file);
  probe.pragma('busy_timeout = 0');
  try {
    for (let i = 0; i < 20_000; i++) {
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') return;
        throw err;
      }
      await sleep(1);
    }
    throw new Error('the worker never took the write lock');
  } finally {
    probe.close();
  }
}

const walkIn = (ctx: ApiContext, email: string) =>
  callApi(ctx, 'checkin:registerWalkIn', { stopId: DEMO_STOP, familyName: 'Walk', givenName: 'In', nameKo: '', email, affiliation: 'MIT', careerStage: 'student', fields: [], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' });

const imported = (store: Store) => (store.db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'registrations_imported'").get() as { n: number }).n;

describe('import worker and the host’s connection', () => {
  const { context } = importTestStores(20);

  it('a host write during a commit longer than the busy_timeout waits for it instead of failing', async () => {
    const ctx = context();
    const { uploadId, mapping } = await uploadChecked(ctx, 30_000, 'Busy');
    // Stands for a commit that outlasts the 5 s busy_timeout on a slow laptop (6.7 s measured here for 100,000 rows).
    ctx.store.db.pragma('busy_timeout = 20');
    const commit = callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    await workerHoldsWriteLock(storeSource(ctx.store).file);
    const walked = await walkIn(ctx, 'walk.in@example.edu');
    const outcome = await commit;
    expect(outcome.created).toBe(30_000);
    expect(walked).toBeTruthy();
    // The walk-in landed after the import, and the host's own timeout is back.
    const last = ctx.store.db.prepare('SELECT type FROM events ORDER BY local_seq DESC LIMIT 1').get() as { type: string };
    expect(last.type).not.toBe('registrations_imported');
    expect(ctx.store.db.pragma('busy_timeout', { simple: true })).toBe(20);
  });

  it('the worker’s commit waits for a long write of the host instead of failing after 5 s', async () => {
    const ctx = context();
    const { uploadId, mapping } = await uploadChecked(ctx, 50, 'Wait');
    // Stands for a long host transaction (a USB bundle of 50,000 events ingests for ~4 s here, longer on a slow laptop).
    const other = openSqlite(storeSource(ctx.store).file);
    other.exec('BEGIN IMMEDIATE');
    const commit = callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    await sleep(6000);
    other.exec('COMMIT');
    other.close();
    expect((await commit).created).toBe(50);
  }, 20_000);

  it('a worker stopped mid-commit leaves nothing half-imported and frees the write lock', async () => {
    const ctx = context();
    const { uploadId, mapping } = await uploadChecked(ctx, 30_000, 'Crash');
    const before = imported(ctx.store);
    const commit = callApiError(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
    await workerHoldsWriteLock(storeSource(ctx.store).file);
    await importRunner(ctx.store).close();
    expect(await commit).toMatchObject({ code: 'IMPORT_EXPIRED' });
    expect(imported(ctx.store)).toBe(before);
    expect((ctx.store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE email LIKE 'crash%'").get() as { n: number }).n).toBe(0);
    // The stopped worker's connection let go of the lock: the host writes at once.
    ctx.store.db.pragma('busy_timeout = 0');
    await walkIn(ctx, 'after.crash@example.edu');
    ctx.store.db.pragma('busy_timeout = 5000');
    // And a new worker imports the file sent again.
    const again = await uploadChecked(ctx, 50, 'Crash');
    expect((await callApi(ctx, 'import:commit', { uploadId: again.uploadId, stopId: DEMO_STOP, mapping: again.mapping })).created).toBe(50);
  });

  it('discarding an upload whose chunk the worker refused discards it (no error)', async () => {
    const ctx = context();
    const uploadId = randomUUID();
    const data = Buffer.from(`${HEADER}\r\nKim,Minjun,,mk@mit.edu,MIT,postdoc,ai,T-1`).toString('base64');
    await callApi(ctx, 'import:upload', { uploadId, fileName: 'a.csv', index: 0, count: 2, data });
    await callApi(ctx, 'import:upload', { uploadId, fileName: 'a.csv', index: 1, count: 3, data });
    expect(await callApi(ctx, 'import:discard', { uploadId })).toEqual({ discarded: true });
    expect(await callApiError(ctx, 'import:parse', { uploadId })).toMatchObject({ code: 'IMPORT_EXPIRED' });
  });
});

describe('import runner stopped while its worker starts', () => {
  it('ends the waiting step with IMPORT_EXPIRED and still uses a worker afterwards (no lasting in-process fallback)', async () => {
    const store = createTestStore({ demo: true, attendees: 5 });
    try {
      const ctx = createTestContext(store);
      const runner = importRunner(store);
      // Observed from the start: it may reject while close() still waits for the threads to stop.
      const preparing = expect(runner.prepare()).rejects.toMatchObject({ code: 'IMPORT_EXPIRED' });
      await runner.close();
      await preparing;
      expect(await runner.prepare()).toBe('worker');
      const { uploadId, mapping } = await uploadChecked(ctx, 5, 'Restart');
      expect((await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping })).created).toBe(5);
      expect(runner.mode).toBe('worker');
    } finally {
      await importRunner(store).close();
      store.close();
    }
  });
});
