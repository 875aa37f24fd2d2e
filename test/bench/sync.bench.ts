/**
 * Sync benchmarks (issue #7), figures into BENCHMARKS.md via `npm run bench`:
 * - push + pull of 100,000 events on loopback to the real HQ program (own process, SQLite);
 * - 50 laptops pushing at once to HQ on PostgreSQL (events/s, errors);
 * - the same records replicated by PouchDB to a PouchDB server from npm (express-pouchdb, memory
 *   adapter, own process): our rate as "N× PouchDB".
 * SYNC_BENCH_EVENTS / SYNC_BENCH_POUCH_DOCS shrink the sizes for a quick look.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import type { Store } from '../../core/store/openStore';
import { openSqlite } from '../../core/store/sqlite';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { enrollDevice, SyncClient } from '../../core/sync/syncClient';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { PostgresHqStorage } from '../../hq/server/postgresStorage';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import type { EventEnvelope } from '../../shared/events/envelope';
import { startHqProcess, type HqProcess } from '../helpers/hqProcess';
import { startPostgres } from '../helpers/postgres';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { REPO_ROOT, tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

PouchDB.plugin(http).plugin(memory).plugin(replication);

const EVENTS = Number(process.env.SYNC_BENCH_EVENTS ?? 100_000);
const POUCH_DOCS = Number(process.env.SYNC_BENCH_POUCH_DOCS ?? 20_000);
const DEVICES = 50;

const secs = (ms: number) => Math.round(ms / 10) / 100;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));

function laptopWith(id: string, events: number): Store {
  const store = createLaptop(id);
  for (let done = 0; done < events / 4; done += 2500) writeActivity(store, Math.min(2500, events / 4 - done));
  return store;
}

async function enrollOn(storage: SqliteHqStorage | PostgresHqStorage, url: string, deviceId: string): Promise<string> {
  return enrollDevice(createHttpTransport(url), deviceId, (await issueEnrollmentCode(storage)).code, deviceId);
}

async function ours(): Promise<{ results: BenchResult[]; pushRate: number; records: EventEnvelope[] }> {
  const dataDir = tempDir('roadshow-bench-hq-');
  const hq = await startHqProcess(dataDir);
  const codes = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  try {
    const a = laptopWith('bench-a', EVENTS);
    const b = createLaptop('bench-b');
    const t = createHttpTransport(hq.url);
    const ca = new SyncClient(a, t, await enrollOn(codes, hq.url, 'bench-a'));
    const cb = new SyncClient(b, t, await enrollOn(codes, hq.url, 'bench-b'));
    let t0 = performance.now();
    const sent = await ca.push();
    const pushMs = performance.now() - t0;
    // HQ folds the accepted events into its projections right after the burst: time until it caught up.
    const top = await codes.highWater();
    const proj = openSqlite(path.join(dataDir, 'hq-projections.sqlite'), { readonly: true });
    const cursorOf = () => proj.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'hq_projection_cursor'").get()?.value ?? '0';
    while (cursorOf() !== top) await new Promise((r) => setTimeout(r, 50));
    const projectedMs = performance.now() - t0;
    proj.close();
    t0 = performance.now();
    const { received } = await cb.pull();
    const pullMs = performance.now() - t0;
    const digest = await ca.digestCheck();
    if (sent !== EVENTS || received !== EVENTS || !digest.ok) throw new Error(`push/pull incomplete: sent ${sent}, received ${received}, digest ${JSON.stringify(digest)}`);
    const records = a.events.eventsOfDevice('bench-a', 0, POUCH_DOCS);
    a.close();
    b.close();
    return {
      pushRate: rate(EVENTS, pushMs),
      records,
      results: [
        { name: `push ${EVENTS.toLocaleString('en')} events (loopback, HQ on SQLite)`, value: secs(pushMs), unit: 's', detail: `${rate(EVENTS, pushMs)} events/s; batches of 1,000, token auth, zod validation, idempotent; HQ projections folded right after the burst (next line)` },
        { name: 'push + HQ projections caught up', value: secs(projectedMs), unit: 's', detail: `${rate(EVENTS, projectedMs)} events/s until HQ's state includes every pushed event` },
        { name: `pull ${EVENTS.toLocaleString('en')} events into a laptop`, value: secs(pullMs), unit: 's', detail: `${rate(EVENTS, pullMs)} events/s, applied to the projections with the cursor in the same transaction` },
        { name: 'push + pull total', value: secs(pushMs + pullMs), unit: 's', detail: 'digest check afterwards: HQ holds all events' },
      ],
    };
  } finally {
    await codes.close();
    await hq.kill('SIGTERM');
  }
}

async function concurrentPostgres(): Promise<BenchResult[]> {
  const pg = await startPostgres({ durable: true });
  let hq: HqProcess | null = null;
  try {
    const url = await pg.createDatabase('bench_hq');
    hq = await startHqProcess(tempDir('roadshow-bench-pg-'), 0, { DATABASE_URL: url });
    const codes = await PostgresHqStorage.open(url, { max: 2 });
    const per = 2000;
    const clients: SyncClient[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const id = `bench-pg-${String(i).padStart(2, '0')}`;
      clients.push(new SyncClient(laptopWith(id, per), createHttpTransport(hq.url), await enrollOn(codes, hq.url, id)));
    }
    await codes.close();
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(clients.map((c) => c.push()));
    const ms = performance.now() - t0;
    const errors = outcomes.filter((o) => o.status === 'rejected').length;
    const sent = outcomes.reduce((n, o) => n + (o.status === 'fulfilled' ? o.value : 0), 0);
    return [
      { name: `${DEVICES} laptops pushing at once to HQ on PostgreSQL`, value: rate(sent, ms), unit: 'events/s', detail: `${sent.toLocaleString('en')} events in ${secs(ms)} s, ${errors} errors; PostgreSQL 15 with fsync on` },
      { name: `${DEVICES}-laptop push errors`, value: errors, unit: 'errors' },
    ];
  } finally {
    await hq?.kill('SIGTERM');
    pg.stop();
  }
}

async function pouch(records: EventEnvelope[]): Promise<{ result: BenchResult; rate: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/bench/pouchServer.ts')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /POUCH_PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.once('exit', (code) => reject(new Error(`PouchDB server exited ${code}: ${out}`)));
    });
    const local = new PouchDB(`bench-local-${Date.now()}`, { adapter: 'memory' });
    const docs = records.map((e) => ({ _id: e.eventId, ...e }));
    for (let i = 0; i < docs.length; i += 1000) await local.bulkDocs(docs.slice(i, i + 1000));
    const t0 = performance.now();
    const res = await local.replicate.to(`http://127.0.0.1:${port}/hq`, { batch_size: 1000, batches_limit: 1 });
    const ms = performance.now() - t0;
    if (res.docs_written !== docs.length) throw new Error(`PouchDB wrote ${res.docs_written} of ${docs.length}`);
    return {
      rate: rate(docs.length, ms),
      result: { name: `PouchDB replication of the same ${docs.length.toLocaleString('en')} records (express-pouchdb, memory adapter)`, value: secs(ms), unit: 's', detail: `${rate(docs.length, ms)} docs/s` },
    };
  } finally {
    child.kill('SIGTERM');
  }
}

export async function run(): Promise<BenchResult[]> {
  const mine = await ours();
  const p = await pouch(mine.records);
  const pg = await concurrentPostgres();
  return [
    ...mine.results,
    p.result,
    { name: 'our push vs PouchDB replication', value: Math.round((mine.pushRate / p.rate) * 10) / 10, unit: '× PouchDB', detail: `${mine.pushRate} vs ${p.rate} records/s on the same machine in the same run (goal ≥ 20×)` },
    ...pg,
  ];
}
