/**
 * Issue #22: the sync of a stop right after a large import. 100,000 rows (SYNC_IMPORT_ROWS for a
 * quick look, e.g. 10000) imported through the app's API (core/api/dispatch, what browser mode's host
 * and Electron's IPC call) into an encrypted demo store, then "Sync now" (sync:now: the backup, push,
 * pull, digest check) to the real HQ program (`npm run hq`, own process, SQLite) over HTTP on loopback.
 * Reports the time, events and bytes, the phases as the Sync screen saw them (sync:status polled),
 * and when HQ's dashboard data (its projection store) held the stop's imported people.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ApiContext } from '../../core/api/apiContext';
import { importRunner } from '../../core/import/importRunner';
import { createSyncQueries } from '../../core/store/queries/syncQueries';
import { openSqlite } from '../../core/store/sqlite';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import type { SyncProgress } from '../../shared/ipc/syncContract';
import { callApi } from '../helpers/callApi';
import { startHqProcess } from '../helpers/hqProcess';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore, tempDir } from '../helpers/testStore';
import { benchPeople } from './benchPeople';
import type { BenchResult } from './benchTypes';

const ROWS = Number(process.env.SYNC_IMPORT_ROWS ?? 100_000);
const CHUNK = 2 * 1024 * 1024;

function exportCsv(): Buffer {
  const lines = ['First Name,Last Name,Email,Barcode #,Company,Job Title,Name in Korean,Research fields'];
  for (const p of benchPeople(ROWS)) lines.push([p.givenName, p.familyName, p.email, p.scanToken, `"${p.affiliation}"`, p.careerStage, p.nameKo, `"${p.fields}"`].join(','));
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

async function importRows(ctx: ApiContext): Promise<number> {
  const bytes = exportCsv();
  const uploadId = randomUUID();
  const count = Math.ceil(bytes.length / CHUNK);
  for (let i = 0; i < count; i++) await callApi(ctx, 'import:upload', { uploadId, fileName: 'eventbrite.csv', index: i, count, data: bytes.subarray(i * CHUNK, (i + 1) * CHUNK) });
  const parsed = await callApi(ctx, 'import:parse', { uploadId, stopId: DEMO_STOP });
  const mapping = { ...parsed.mapping };
  await callApi(ctx, 'import:check', { uploadId, stopId: DEMO_STOP, mapping });
  const outcome = await callApi(ctx, 'import:commit', { uploadId, stopId: DEMO_STOP, mapping });
  if (outcome.created !== ROWS) throw new Error(`import created ${outcome.created} of ${ROWS}`);
  return outcome.events;
}

const secs = (ms: number) => Math.round(ms / 10) / 100;
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

export async function run(): Promise<BenchResult[]> {
  // Encrypted, as the app keeps its store; the demo as the app seeds it (400 people, booth plans).
  const ctx = createTestContext(createTestStore({ demo: true, attendees: 400, schedules: true, key: randomBytes(32) }));
  const dataDir = tempDir('roadshow-bench-hq-');
  const hq = await startHqProcess(dataDir);
  const codes = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  try {
    const importEvents = await importRows(ctx);
    await importRunner(ctx.store).close();
    await callApi(ctx, 'sync:configure', { url: hq.url });
    await callApi(ctx, 'sync:enroll', { code: (await issueEnrollmentCode(codes)).code, label: 'bench desk' });
    const pending = createSyncQueries(ctx.store.db).pendingOwn(ctx.store.deviceId, 0);

    // The Sync screen's view: sync:status polled while sync:now runs (the host answers between batches).
    const seen: { at: number; p: SyncProgress }[] = [];
    let running = true;
    const t0 = performance.now();
    const poll = (async () => {
      while (running) {
        const s = await callApi(ctx, 'sync:status', { probe: false });
        if (s.progress) seen.push({ at: performance.now() - t0, p: s.progress });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const result = await callApi(ctx, 'sync:now', {});
    const syncMs = performance.now() - t0;
    running = false;
    await poll;
    if (!result.digest.ok || result.sent !== pending.events) throw new Error(`sync incomplete: ${JSON.stringify(result)}`);

    // HQ's dashboard reads its projection store: time until it holds every imported person of the stop.
    const proj = openSqlite(path.join(dataDir, 'hq-projections.sqlite'), { readonly: true });
    const held = () => proj.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM registrations WHERE stop_id = ?').get(DEMO_STOP)!.n;
    while (held() < ROWS) {
      if (performance.now() - t0 > 10 * 60_000) throw new Error(`HQ holds ${held()} registrations of ${DEMO_STOP} after 10 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const visibleMs = performance.now() - t0;
    proj.close();

    const first = (phase: SyncProgress['phase']) => seen.find((s) => s.p.phase === phase)?.at ?? null;
    const pushAt = first('push');
    const pullAt = first('pull');
    const pushes = seen.filter((s) => s.p.phase === 'push');
    const moving = new Set(pushes.map((s) => s.p.bytesSent)).size;
    const rows = ROWS.toLocaleString('en');
    return [
      {
        name: `sync now after a ${rows}-row import (backup, push, pull, digest check; HQ process on loopback)`,
        value: secs(syncMs),
        unit: 's',
        detail: `${pending.events} own events (${importEvents} registrations_imported), ${mb(pending.bytes)} of JSON, ${Math.round(pending.bytes / 1e6 / (syncMs / 1000))} MB/s overall; encrypted store; digest: HQ holds all`,
      },
      { name: '… of which the backup before the sync', value: pushAt === null ? 0 : secs(pushAt), unit: 's', detail: 'VACUUM INTO of the store, first sync:status answer in phase push (polled every 100 ms)' },
      { name: '… of which the push', value: pushAt === null || pullAt === null ? 0 : secs(pullAt - pushAt), unit: 's', detail: `batches of ≤ 1 MiB of JSON, payload text sent verbatim; progress moved ${moving} times in ${pushes.length} polls` },
      { name: '… of which the pull and the digest check', value: pullAt === null ? 0 : secs(syncMs - pullAt), unit: 's' },
      { name: `HQ's dashboard holds the ${rows} people of the stop (from sync now)`, value: secs(visibleMs), unit: 's', detail: "HQ's projection store folded the pushed events after acknowledging them" },
    ];
  } finally {
    await codes.close();
    await hq.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.join(ctx.dataDir, 'backups'), { recursive: true, force: true });
    disposeTestStore(ctx.store);
  }
}
