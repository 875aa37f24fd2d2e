import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadDemoData } from '../../../core/demo/demoData';
import { seedDemoIfEmpty } from '../../../core/demo/seedDemo';
import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { importRunner } from '../../../core/import/importRunner';
import { openStore } from '../../../core/store/openStore';
import { callApi, callApiError } from '../../helpers/callApi';
import { HEADER, importTestStores, uploadRows } from '../../helpers/importUpload';
import { createTestContext, createTestStore, DEMO_STOP, RESOURCES_DIR, tempDir } from '../../helpers/testStore';

describe('import runner (the import worker)', () => {
  const { context, track } = importTestStores();

  it('runs the import in a worker thread while the host keeps answering, and the host’s own writes follow it in order', async () => {
    const ctx = context();
    const { uploadId, mapping } = await uploadRows(ctx, 20_000, 'Worker');
    expect(importRunner(ctx.store).mode).toBe('worker');
    await callApi(ctx, 'import:check', { uploadId, stopId: DEMO_STOP, mapping });

    const order: string[] = [];
    const commit = callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping }).then((o) => {
      order.push('commit');
      return o;
    });
    // Asked after the commit started: a read on the host's own connection answers before the commit ends.
    const search = callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'a', limit: 5 }).then(() => order.push('search'));
    await search;
    // A write of the host while the worker writes: it waits for the worker's transaction, then lands after it.
    const walkIn = callApi(ctx, 'checkin:registerWalkIn', { stopId: DEMO_STOP, familyName: 'Late', givenName: 'Comer', nameKo: '', email: 'late@example.edu', affiliation: 'MIT', careerStage: 'student', fields: [], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' });
    const [outcome] = await Promise.all([commit, walkIn]);
    expect(order[0]).toBe('search');
    expect(outcome).toMatchObject({ created: 20_000, events: 80 });

    // One device, one order: sequence numbers and stamps rise together across both connections.
    const rows = ctx.store.db.prepare('SELECT device_seq, hlc FROM events WHERE device_id = ? ORDER BY device_seq').all(ctx.store.deviceId) as { device_seq: number; hlc: string }[];
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.device_seq).toBe(rows[i - 1]!.device_seq + 1);
      expect(rows[i]!.hlc > rows[i - 1]!.hlc).toBe(true);
    }
    const [hit] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Worker19999', limit: 5 });
    expect(hit!.attendee.email).toBe('worker19999@example.edu');
    // The host's projections see what the worker wrote, and equal a rebuild from the log.
    const hash = ctx.store.events.projectionHash();
    ctx.store.events.rebuildProjections();
    expect(ctx.store.events.projectionHash()).toBe(hash);
  });

  for (const [label, now] of [
    ['behind', () => Date.UTC(2025, 0, 1)],
    ['ahead', () => Date.UTC(2031, 0, 1)],
  ] as const) {
    it(`keeps one order of this device's events across the host and the worker (host clock ${label} of the worker's)`, async () => {
      const store = track(createTestStore({ demo: true, attendees: 40, now }));
      const ctx = createTestContext(store);
      const person = () => (store.db.prepare('SELECT id FROM attendees LIMIT 1').get() as { id: string }).id;
      const { uploadId, mapping } = await uploadRows(ctx, 300, 'Order');
      store.events.append('attendee_updated', { attendeeId: person(), affiliation: 'GIST' });
      await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
      store.events.append('attendee_updated', { attendeeId: person(), affiliation: 'POSTECH' });
      const rows = store.db.prepare('SELECT hlc FROM events WHERE device_id = ? ORDER BY device_seq').all(store.deviceId) as { hlc: string }[];
      expect(rows.length).toBeGreaterThan(3);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.hlc > rows[i - 1]!.hlc, `event ${i}`).toBe(true);
    });
  }

  it('answers each chunk at once and says at the next step why the worker refused one', async () => {
    const ctx = context();
    const uploadId = randomUUID();
    const data = Buffer.from(`${HEADER}\r\nKim,Minjun,,mk@mit.edu,MIT,postdoc,ai,T-1`).toString('base64');
    expect(await callApi(ctx, 'import:upload', { uploadId, fileName: 'a.csv', index: 0, count: 2, data })).toEqual({ received: 1 });
    // The same upload now claims three chunks: the worker refuses the chunk.
    await callApi(ctx, 'import:upload', { uploadId, fileName: 'a.csv', index: 1, count: 3, data });
    expect(await callApiError(ctx, 'import:parse', { uploadId })).toMatchObject({ code: 'VALIDATION' });
  });

  it('ends a commit the writer thread failed early (nothing kept, said clearly), and writes the next one through it', async () => {
    const ctx = context();
    const { uploadId, mapping } = await uploadRows(ctx, 5_000, 'Early');
    const runner = importRunner(ctx.store);
    const events = (ctx.store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    // The writer's insert of the third person fails: the session learns it while still sending (20 slices).
    ctx.store.db.exec("CREATE TRIGGER refuse BEFORE INSERT ON registrations WHEN NEW.scan_token = 'Early-2' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    await expect(runner.call('commit', { uploadId, stopId: DEMO_STOP, mapping, actorId: null })).rejects.toMatchObject({ code: 'IMPORT_NOT_WRITTEN' });
    expect((ctx.store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(events);
    ctx.store.db.exec('DROP TRIGGER refuse');
    // What was left of the failed commit's slices is dropped by the writer; the next commit is whole.
    expect(await runner.call('commit', { uploadId, stopId: DEMO_STOP, mapping, actorId: null })).toMatchObject({ created: 5_000, events: 20, writtenBy: 'writer' });
    const hash = ctx.store.events.projectionHash();
    ctx.store.events.rebuildProjections();
    expect(ctx.store.events.projectionHash()).toBe(hash);
  });

  it('imports into an encrypted store through both threads (each opens it with the key); the file holds no plaintext', async () => {
    const key = randomBytes(32);
    const file = path.join(tempDir(), 'roadshow.sqlite');
    const store = track(openStore(file, { key }));
    seedDemoIfEmpty(store, loadDemoData(RESOURCES_DIR), { attendees: 10, schedules: false });
    const ctx = createTestContext(store);
    const { uploadId, mapping } = await uploadRows(ctx, 600, 'Cipher');
    // Checked first: the plan is staged in the writer's memory (attached to its encrypted connection) before the commit takes it.
    expect(await importRunner(store).call('check', { uploadId, stopId: DEMO_STOP, mapping })).toMatchObject({ toCreate: 600 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await importRunner(store).call('commit', { uploadId, stopId: DEMO_STOP, mapping, actorId: null })).toMatchObject({ created: 600, writtenBy: 'writer' });
    const [hit] = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Cipher599', limit: 5 });
    expect(hit!.attendee.email).toBe('cipher599@example.edu');
    await importRunner(store).close();
    store.close();
    // Nor does any other file beside it (staging is in memory, never a temporary file).
    const dir = path.dirname(file);
    for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f)).includes(Buffer.from('cipher599@example.edu')), f).toBe(false);
    expect(existsSync(file)).toBe(true);
  });

  it('imports in-process for an in-memory store, and starts a new worker after the store’s worker was stopped', async () => {
    const mem = track(openStore(':memory:'));
    expect(importRunner(mem).mode).toBe('in-process');

    const ctx = context();
    const first = await uploadRows(ctx, 10, 'Again');
    const runner = importRunner(ctx.store);
    expect(runner.mode).toBe('worker');
    await runner.close();
    // The upload lived in the stopped worker: it is gone, said clearly.
    expect(await callApiError(ctx, 'import:check', { uploadId: first.uploadId, stopId: DEMO_STOP, mapping: first.mapping })).toMatchObject({ code: 'IMPORT_EXPIRED' });
    const second = await uploadRows(ctx, 10, 'Again');
    // Stored by the session worker's writer thread (the new worker has one too).
    expect(await runner.call('commit', { uploadId: second.uploadId, stopId: DEMO_STOP, mapping: second.mapping, actorId: null })).toMatchObject({ created: 10, writtenBy: 'writer' });
    expect(runner.mode).toBe('worker');
  });
});
