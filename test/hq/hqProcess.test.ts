import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/openStore';
import { createSyncQueries } from '../../core/store/queries/syncQueries';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { enrollDevice, SyncClient } from '../../core/sync/syncClient';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { AppError } from '../../shared/errors';
import { cliEnrollCode, runHqCli, startHqProcess, type HqProcess } from '../helpers/hqProcess';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';

/** The real HQ program (`npm run hq`) as a separate process on loopback. */
let running: HqProcess[] = [];
afterEach(async () => {
  for (const p of running) await p.kill('SIGKILL');
  running = [];
});
async function start(dataDir: string, port = 0): Promise<HqProcess> {
  const p = await startHqProcess(dataDir, port);
  running.push(p);
  return p;
}

/** Enrollment with a code from the CLI (`npm run hq -- enroll-code`), or, to save process starts, issued on HQ's database directly. */
async function enroll(dataDir: string, url: string, deviceId: string, opts: { cli?: boolean; forDevice?: boolean } = {}): Promise<string> {
  let code: string;
  if (opts.cli) code = cliEnrollCode(dataDir, opts.forDevice ? ['--device', deviceId] : []);
  else {
    const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
    code = (await issueEnrollmentCode(storage, { deviceId: opts.forDevice ? deviceId : null })).code;
    await storage.close();
  }
  return enrollDevice(createHttpTransport(url), deviceId, code, deviceId);
}

async function expectSyncError(p: Promise<unknown>, code: string): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** Opens HQ's stores after its process stopped: events held per device and the projection hash. */
async function hqState(dataDir: string) {
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const digest = await storage.digest();
  await storage.close();
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const hash = store.events.projectionHash();
  // How far HQ's fold got: its cursor (server sequence numbers; one per event here). The projection
  // store keeps no copy of the devices' events (one copy of the log at HQ): none may be there.
  const cursor = (store.db.prepare("SELECT value FROM settings WHERE key = 'hq_projection_cursor'").get() as { value: string } | undefined)?.value ?? '0';
  const copies = (store.db.prepare("SELECT COUNT(*) AS n FROM events WHERE device_id <> 'hq'").get() as { n: number }).n;
  const projected = copies === 0 ? Number(cursor) : -copies;
  store.close();
  return { digest, hash, projected };
}

describe('HQ server process', () => {
  it('survives SIGKILL during a sync: restart, resume, nothing lost or doubled', async () => {
    const dataDir = tempDir('roadshow-hqproc-');
    let hq = await start(dataDir);
    const laptop = createLaptop('dev-kill');
    writeActivity(laptop, 1500); // 6,000 events, 6 batches
    const token = await enroll(dataDir, hq.url, 'dev-kill', { cli: true });
    let batches = 0;
    const client = new SyncClient(laptop, createHttpTransport(hq.url), token, {
      onProgress: (p) => {
        if (p.phase === 'push' && ++batches === 2) hq.child.kill('SIGKILL');
      },
    });
    await expectSyncError(client.sync(), 'SYNC_OFFLINE');
    const acked = createSyncQueries(laptop.db).ackedSeq();
    expect(acked).toBe(2000);

    hq = await start(dataDir, hq.port); // same data, same address
    const resumed = new SyncClient(laptop, createHttpTransport(hq.url), token);
    const summary = await resumed.sync();
    expect(summary.sent).toBeLessThanOrEqual(6000 - 2000); // continued, did not start over
    expect(await resumed.digestCheck()).toEqual({ ok: true, localCount: 6000, hqCount: 6000, localMaxSeq: 6000, hqMaxSeq: 6000 });
    await hq.kill('SIGTERM');
    const state = await hqState(dataDir);
    expect(state.digest).toEqual([expect.objectContaining({ deviceId: 'dev-kill', count: 6000, maxSeq: 6000 })]);
    expect(state.projected).toBe(6000);
    expect(state.hash).toBe(laptop.events.projectionHash());
  }, 180_000);

  it('stops a sync cleanly when the token is revoked mid-way, and resumes after re-enrollment', async () => {
    const dataDir = tempDir('roadshow-hqproc-');
    const hq = await start(dataDir);
    const laptop = createLaptop('dev-revoke');
    writeActivity(laptop, 750); // 3,000 events
    const token = await enroll(dataDir, hq.url, 'dev-revoke');
    let batches = 0;
    const client = new SyncClient(laptop, createHttpTransport(hq.url), token, {
      onProgress: (p) => {
        if (p.phase === 'push' && ++batches === 2) runHqCli(dataDir, ['revoke', 'dev-revoke']);
      },
    });
    const err = await expectSyncError(client.sync(), 'SYNC_REVOKED');
    expect(err.details).toMatchObject({ hqCode: 'REVOKED', status: 401 });
    const acked = createSyncQueries(laptop.db).ackedSeq();
    expect(acked).toBe(2000);
    const transport = createHttpTransport(hq.url);
    const digest = await transport.request('GET', '/v1/sync/digest', undefined, await enroll(dataDir, hq.url, 'dev-observer'));
    expect((digest.body as { devices: { device_id: string; count: number }[] }).devices.find((d) => d.device_id === 'dev-revoke')?.count).toBe(2000);
    await expectSyncError(new SyncClient(laptop, transport, token).sync(), 'SYNC_REVOKED');
    // HQ issues a re-enrollment code for this very laptop; the sync continues where it stopped.
    const fresh = await enroll(dataDir, hq.url, 'dev-revoke', { cli: true, forDevice: true });
    const again = new SyncClient(laptop, transport, fresh);
    expect((await again.sync()).sent).toBe(1000);
    expect((await again.digestCheck()).ok).toBe(true);
  }, 180_000);

  it('takes a laptop days behind, refuses one days ahead with a clear reason, and converges', async () => {
    const dataDir = tempDir('roadshow-hqproc-');
    const hq = await start(dataDir);
    const day = 86_400_000;
    const behind = createLaptop('dev-behind', { now: () => Date.now() - 4 * day });
    const ahead = createLaptop('dev-ahead', { now: () => Date.now() + 3 * day });
    const normal = createLaptop('dev-normal');
    const { registrationIds } = writeActivity(normal, 5);
    writeActivity(behind, 5);
    writeActivity(ahead, 5);
    const t = createHttpTransport(hq.url);
    const clients = await Promise.all([normal, behind, ahead].map(async (s) => new SyncClient(s, t, await enroll(dataDir, hq.url, s.deviceId))));
    const [cn, cb, ca] = clients as [SyncClient, SyncClient, SyncClient];
    await cn.sync();
    // The slow laptop edits an attendee it got from the normal one: its clock is behind, but the
    // HLC it received keeps its later edit later, so the edit wins everywhere.
    await cb.sync();
    const attendee = (behind.db.prepare('SELECT attendee_id AS a FROM registrations WHERE id = ?').get(registrationIds[0]) as { a: string }).a;
    behind.events.append('attendee_updated', { attendeeId: attendee, affiliation: 'KAIST' });
    await cb.sync();
    await cn.sync();
    expect((normal.db.prepare('SELECT affiliation FROM attendees WHERE id = ?').get(attendee) as { affiliation: string }).affiliation).toBe('KAIST');

    const err = await expectSyncError(ca.sync(), 'SYNC_CLOCK_AHEAD');
    expect(err.details).toMatchObject({ hqCode: 'EVENT_IN_FUTURE', device_seq: 1 });
    expect(String(err.details?.stamped_at)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(createSyncQueries(ahead.db).ackedSeq()).toBe(0);
    expect(await ca.digestCheck()).toMatchObject({ ok: false, hqCount: 0, localCount: 20 });
    // The other laptops agree with each other and with HQ.
    await hq.kill('SIGTERM');
    const state = await hqState(dataDir);
    expect(state.digest.map((d) => d.deviceId).sort()).toEqual(['dev-behind', 'dev-normal']);
    expect(behind.events.projectionHash()).toBe(normal.events.projectionHash());
    expect(state.hash).toBe(normal.events.projectionHash());
  }, 180_000);

  it('moves a 60,000-event backlog to HQ, which projects it to the laptop’s state', async () => {
    const dataDir = tempDir('roadshow-hqproc-');
    const hq = await start(dataDir);
    const big = createLaptop('dev-backlog');
    writeActivity(big, 15_000); // 60,000 events
    const t = createHttpTransport(hq.url);
    const cb = new SyncClient(big, t, await enroll(dataDir, hq.url, 'dev-backlog'));
    expect(await cb.sync()).toMatchObject({ sent: 60_000, received: 0 });
    expect(await cb.digestCheck()).toEqual({ ok: true, localCount: 60_000, hqCount: 60_000, localMaxSeq: 60_000, hqMaxSeq: 60_000 });
    await hq.kill('SIGTERM');
    const state = await hqState(dataDir);
    expect(state.projected).toBe(60_000);
    expect(state.hash).toBe(big.events.projectionHash());
  }, 300_000);
});
