/**
 * Sync benchmarks (issues #7, #20), figures into BENCHMARKS.md via `npm run bench`, all from one run:
 * - ours: push + pull of 100,000 events on loopback through the real HQ program (own process,
 *   SQLite), from one encrypted laptop store (the app's) into another, each direction timed, the
 *   result digest-verified (HQ holds the pushing laptop's log; the pulling laptop holds the same log);
 * - the plain batched floor: the same events as JSON batches as large as ours (1,000, then HQ's announced
 *   batch) over loopback HTTP to a bare
 *   server inserting into a bare SQLite table (test/bench/floorServer.ts), then pulled back in pages of
 *   1,000 into another bare SQLite table;
 * - PouchDB: the same events as documents, replicated by PouchDB (LevelDB adapter) to pouchdb-server
 *   (express-pouchdb on LevelDB, own process: test/bench/pouchServer.ts), then from it into a fresh
 *   LevelDB database;
 * - the ratios ours/floor (goal ≤ 1.5×) and PouchDB/ours (goal ≥ 10×);
 * - linearity: ours at 10,000 and 100,000 events (300,000 with SYNC_BENCH_300K=1: several minutes);
 * - 50 laptops pushing at once to HQ on PostgreSQL.
 * SYNC_BENCH_EVENTS shrinks the main size for a quick look (the floor and PouchDB follow it);
 * SYNC_BENCH_PG=0 leaves out the PostgreSQL part, SYNC_BENCH_POUCH=0 PouchDB (quick looks only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { BulkEvent } from '../../core/store/eventStore';
import type { Store } from '../../core/store/openStore';
import { openSqlite } from '../../core/store/sqlite';
import { createSyncQueries } from '../../core/store/queries/syncQueries';
import { rowJson } from '../../core/sync/envelopeJson';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { enrollDevice, SyncClient } from '../../core/sync/syncClient';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { PostgresHqStorage } from '../../hq/server/postgresStorage';
import { cliEnrollCode, hqEntry, startHqProcess, type HqProcess } from '../helpers/hqProcess';
import { startPostgres } from '../helpers/postgres';
import { createLaptop } from '../helpers/syncFixtures';
import { REPO_ROOT, tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';
import { HQ_BATCH_BYTES, HQ_BATCH_EVENTS, MAX_BATCH_EVENTS } from '../../shared/sync/hqProtocol';

const require = createRequire(import.meta.url);

const EVENTS = Number(process.env.SYNC_BENCH_EVENTS ?? 100_000);
const SMALL = 10_000;
const LARGE = 300_000;
const RUN_LARGE = process.env.SYNC_BENCH_300K === '1';
const DEVICES = 50;
const STOP = 'stop-03-new-york';

const secs = (ms: number) => Math.round(ms / 10) / 100;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const n = (x: number) => x.toLocaleString('en');
/** SYNC_BENCH_MARKS=1: prints the monotonic clock (µs, the clock of `--cpu-prof` profiles) at each phase, to cut profiles to a phase. */
const mark = (what: string) => {
  if (process.env.SYNC_BENCH_MARKS === '1') console.log(`MARK ${what} ${process.hrtime.bigint() / 1000n}`);
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/**
 * CPU time (ms, user + system) of this process (every thread: the laptops, the pull's apply thread)
 * and of a helper process's main thread (HQ's, the floor server's; Linux /proc, else 0): a measure
 * that moves less with the machine's load than the clock.
 */
interface Cpu {
  self: number;
  child: number;
}
function cpuOf(pid: number | undefined): Cpu {
  const self = process.cpuUsage();
  let child = 0;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th (clock ticks, 100 a second on Linux).
    // The helper's main thread only: HQ's fold thread (nice 19) folds the pushed events during the
    // push and after it as the machine leaves it time; it is timed apart ("HQ projections caught up").
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    child = (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    child = 0;
  }
  return { self: (self.user + self.system) / 1000, child };
}
const cpuSince = (a: Cpu, b: Cpu): Cpu => ({ self: b.self - a.self, child: b.child - a.child });
const cpuText = (c: Cpu, who: string) => `CPU ${secs(c.self)} s laptops, ${secs(c.child)} s ${who}`;

/**
 * A laptop's encrypted store (the app's) holding `events` of its own: walk-in style activity, each
 * person registered, consented, registered for the stop and checked in (4 events).
 */
function laptopWith(id: string, events: number): Store {
  const store = createLaptop(id, { key: randomBytes(32) });
  const people = Math.floor(events / 4);
  for (let done = 0; done < people; done += 2500) {
    const items: BulkEvent[] = [];
    for (let i = done; i < Math.min(people, done + 2500); i++) {
      const attendeeId = randomUUID();
      const registrationId = randomUUID();
      items.push(
        { type: 'attendee_registered', payload: { attendeeId, familyName: 'Kim', givenName: `P${i}`, nameKo: '김민준', email: '', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] } },
        { type: 'consent_recorded', payload: { consentId: randomUUID(), attendeeId, scope: 'hq_stats', institutionId: null, textVersion: '2025-1' } },
        { type: 'registration_created', payload: { registrationId, attendeeId, stopId: STOP, source: 'walk_in', scanToken: `RS-${registrationId.slice(0, 8).toUpperCase()}` } },
        { type: 'checked_in', payload: { registrationId, attendeeId, stopId: STOP, desk: id } },
      );
    }
    store.events.appendMany(items, { stopId: STOP });
  }
  return store;
}

function dropStore(store: Store): void {
  const dir = path.dirname(store.db.name);
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** A helper server (floor or PouchDB) in its own process, like HQ; resolves with its port. */
async function startChild(script: string, dir: string, ready: RegExp): Promise<{ port: number; pid: number | undefined; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, script), dir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
  return {
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * HQ folds what a push brought into its projections behind the push. If this HQ keeps them in its
 * projection store with a cursor (hq-projections.sqlite), wait until it caught up with `top`, so the
 * pull that follows is timed alone; answers the wait, or null when there is nothing to wait for.
 */
async function hqFoldCaughtUp(dataDir: string, top: string): Promise<number | null> {
  let proj;
  try {
    proj = openSqlite(path.join(dataDir, 'hq-projections.sqlite'), { readonly: true });
  } catch {
    return null;
  }
  try {
    const cursor = () => {
      try {
        return proj.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'hq_projection_cursor'").get()?.value ?? null;
      } catch {
        return null;
      }
    };
    const t0 = performance.now();
    for (let c = cursor(); c !== null && BigInt(c) < BigInt(top); c = cursor()) {
      if (performance.now() - t0 > 600_000) throw new Error('HQ did not fold the pushed events within 10 minutes');
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - t0;
  } finally {
    proj.close();
  }
}

interface OursRun {
  events: number;
  pushMs: number;
  pullMs: number;
  /** From the push's end until HQ's projections held every pushed event (null: not measurable on this HQ). */
  foldMs: number | null;
  /** Every pushed event's JSON as the wire carries it (for the floor and PouchDB), when asked for. */
  records: string[];
  pushCpu: Cpu;
  pullCpu: Cpu;
}

/** Ours: push of `events` from an encrypted laptop to the HQ process, then a pull into another encrypted laptop. */
async function ours(events: number, keepRecords: boolean): Promise<OursRun> {
  const dataDir = tempDir('roadshow-bench-hq-');
  const hq = await startHqProcess(dataDir);
  const a = laptopWith('bench-a', events);
  const b = createLaptop('bench-b', { key: randomBytes(32) });
  try {
    const code = cliEnrollCode(dataDir, ['--uses', '2']);
    const t = createHttpTransport(hq.url);
    const ca = new SyncClient(a, t, await enrollDevice(t, 'bench-a', code, 'bench-a'));
    const cb = new SyncClient(b, t, await enrollDevice(t, 'bench-b', code, 'bench-b'));
    let c0 = cpuOf(hq.child.pid);
    let t0 = performance.now();
    mark(`push ${events} start`);
    const sent = await ca.push();
    const pushMs = performance.now() - t0;
    mark(`push ${events} end`);
    const pushCpu = cpuSince(c0, cpuOf(hq.child.pid));
    const digestBefore = await ca.digestCheck();
    const serverSeq = String(digestBefore.hqMaxSeq);
    const foldMs = await hqFoldCaughtUp(dataDir, serverSeq);
    c0 = cpuOf(hq.child.pid);
    t0 = performance.now();
    mark(`pull ${events} start`);
    const { received } = await cb.pull();
    const pullMs = performance.now() - t0;
    mark(`pull ${events} end`);
    const pullCpu = cpuSince(c0, cpuOf(hq.child.pid));
    // Digest-verified: HQ holds exactly A's log, and B now holds exactly that log too.
    const digest = await ca.digestCheck();
    const mine = createSyncQueries(a.db).ownDigest('bench-a');
    const copy = createSyncQueries(b.db).ownDigest('bench-a');
    if (sent !== events || received !== events || !digest.ok || copy.hash !== mine.hash || copy.count !== events) {
      throw new Error(`push/pull incomplete: sent ${sent}, received ${received}, HQ digest ${JSON.stringify(digest)}, pulled copy ${copy.count} events ${copy.hash === mine.hash ? 'same' : 'different'} hash`);
    }
    const records = keepRecords ? [...createSyncQueries(a.db).ownRowsAfter('bench-a', 0, events)].map(rowJson) : [];
    return { events, pushMs, pullMs, foldMs, records, pushCpu, pullCpu };
  } finally {
    dropStore(a);
    dropStore(b);
    await hq.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor: the same events' JSON in batches as large as ours to a bare server, then pulled back into a bare table in pages of 1,000. */
async function floor(records: string[]): Promise<{ pushMs: number; pullMs: number; pushCpu: Cpu; pullCpu: Cpu }> {
  const dir = tempDir('roadshow-bench-floor-');
  const server = await startChild('test/bench/floorServer.ts', dir, /FLOOR_PORT (\d+)/);
  const local = new Database(path.join(dir, 'floor-laptop.sqlite'));
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const post = async (route: string, body: string): Promise<string> => {
      const res = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`floor ${route}: ${res.status}`);
      return res.text();
    };
    let c0 = cpuOf(server.pid);
    let t0 = performance.now();
    let pushed = 0;
    // Batches as large as ours (like with like): the first two within MAX_BATCH_EVENTS, then what HQ announces.
    for (let i = 0, k = 0; i < records.length; k++) {
      const size = k < 2 ? MAX_BATCH_EVENTS : HQ_BATCH_EVENTS;
      pushed += (JSON.parse(await post('/push', `{"events":[${records.slice(i, i + size).join(',')}]}`)) as { added: number }).added;
      i += size;
    }
    const pushMs = performance.now() - t0;
    const pushCpu = cpuSince(c0, cpuOf(server.pid));
    local.pragma('journal_mode = WAL');
    local.pragma('synchronous = FULL');
    local.exec('CREATE TABLE events (event_id TEXT PRIMARY KEY, body TEXT NOT NULL); CREATE TABLE cursor (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
    const insert = local.prepare<[string, string]>('INSERT OR IGNORE INTO events (event_id, body) VALUES (?, ?)');
    const setCursor = local.prepare<[number]>('INSERT OR REPLACE INTO cursor (id, at) VALUES (1, ?)');
    // One page, and the cursor after it, per transaction.
    const apply = local.transaction((events: { eventId: string }[], cursor: number) => {
      for (const e of events) insert.run(e.eventId, JSON.stringify(e));
      setCursor.run(cursor);
    });
    c0 = cpuOf(server.pid);
    t0 = performance.now();
    let after = 0;
    for (;;) {
      const page = JSON.parse(await post('/pull', JSON.stringify({ after, limit: 1000 }))) as { events: { eventId: string }[]; cursor: number; has_more: boolean };
      apply(page.events, page.cursor);
      after = page.cursor;
      if (!page.has_more) break;
    }
    const pullMs = performance.now() - t0;
    const pullCpu = cpuSince(c0, cpuOf(server.pid));
    const held = local.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
    if (pushed !== records.length || held !== records.length) throw new Error(`floor incomplete: pushed ${pushed}, pulled ${held} of ${records.length}`);
    return { pushMs, pullMs, pushCpu, pullCpu };
  } finally {
    local.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PouchDb {
  bulkDocs(docs: object[]): Promise<unknown>;
  replicate: {
    to(target: PouchDb, opts: object): Promise<{ docs_written: number }>;
    from(source: PouchDb, opts: object): Promise<{ docs_written: number }>;
  };
  close(): Promise<void>;
}

/** PouchDB (LevelDB adapter) replicating the same events as documents to pouchdb-server, then from it into a fresh database. */
async function pouch(records: string[]): Promise<{ pushMs: number; pullMs: number }> {
  const dir = tempDir('roadshow-bench-pouch-');
  mkdirSync(path.join(dir, 'server'));
  const server = await startChild('test/bench/pouchServer.ts', path.join(dir, 'server'), /POUCH_PORT (\d+)/);
  // `pouchdb`: the full build, whose default adapter is LevelDB (LevelDOWN); a local database's name is its folder.
  const PouchDB = require('pouchdb') as new (name: string) => PouchDb;
  const remote = new PouchDB(`http://127.0.0.1:${server.port}/hq`);
  const source = new PouchDB(path.join(dir, 'laptop-push'));
  const target = new PouchDB(path.join(dir, 'laptop-pull'));
  try {
    for (let i = 0; i < records.length; i += 1000) {
      await source.bulkDocs(records.slice(i, i + 1000).map((r) => {
        const e = JSON.parse(r) as { eventId: string };
        return { _id: e.eventId, ...e };
      }));
    }
    const opts = { batch_size: 1000 };
    let t0 = performance.now();
    const pushed = await source.replicate.to(remote, opts);
    const pushMs = performance.now() - t0;
    t0 = performance.now();
    const pulled = await target.replicate.from(remote, opts);
    const pullMs = performance.now() - t0;
    if (pushed.docs_written !== records.length || pulled.docs_written !== records.length) {
      throw new Error(`PouchDB wrote ${pushed.docs_written} and read back ${pulled.docs_written} of ${records.length}`);
    }
    return { pushMs, pullMs };
  } finally {
    await source.close();
    await target.close();
    await remote.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function concurrentPostgres(): Promise<BenchResult[]> {
  const pg = await startPostgres({ durable: true });
  let hq: HqProcess | null = null;
  const laptops: Store[] = [];
  try {
    const url = await pg.createDatabase('bench_hq');
    const dataDir = tempDir('roadshow-bench-pg-');
    hq = await startHqProcess(dataDir, 0, { DATABASE_URL: url });
    const codes = await PostgresHqStorage.open(url, { max: 2 });
    const per = 2000;
    const clients: SyncClient[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const id = `bench-pg-${String(i).padStart(2, '0')}`;
      const laptop = laptopWith(id, per);
      laptops.push(laptop);
      clients.push(new SyncClient(laptop, createHttpTransport(hq.url), await enrollDevice(createHttpTransport(hq.url), id, (await issueEnrollmentCode(codes)).code, id)));
    }
    await codes.close();
    const t0 = performance.now();
    const outcomes = await Promise.allSettled(clients.map((c) => c.push()));
    const ms = performance.now() - t0;
    const errors = outcomes.filter((o) => o.status === 'rejected').length;
    const sent = outcomes.reduce((s, o) => s + (o.status === 'fulfilled' ? o.value : 0), 0);
    return [
      { name: `${DEVICES} laptops pushing at once to HQ on PostgreSQL`, value: rate(sent, ms), unit: 'events/s', detail: `${n(sent)} events in ${secs(ms)} s, ${errors} errors; PostgreSQL with fsync on` },
      { name: `${DEVICES}-laptop push errors`, value: errors, unit: 'errors' },
    ];
  } finally {
    for (const l of laptops) dropStore(l);
    await hq?.kill('SIGTERM');
    pg.stop();
  }
}

const pace = (r: OursRun) => `${n(rate(r.events, r.pushMs + r.pullMs))} events/s (push ${secs(r.pushMs)} s, pull ${secs(r.pullMs)} s)`;

export async function run(): Promise<BenchResult[]> {
  const loadAtStart = load();
  const main = await ours(EVENTS, true);
  const fl = await floor(main.records);
  const pd = process.env.SYNC_BENCH_POUCH === '0' ? null : await pouch(main.records);
  main.records.length = 0;
  const small = EVENTS > SMALL ? await ours(SMALL, false) : null;
  const large = RUN_LARGE ? await ours(LARGE, false) : null;
  // SYNC_BENCH_PG=0 leaves out the 50 laptops on PostgreSQL (a quicker look at the main figures).
  const pg = process.env.SYNC_BENCH_PG === '0' ? [] : await concurrentPostgres();

  const oursMs = main.pushMs + main.pullMs;
  const floorMs = fl.pushMs + fl.pullMs;
  const pouchMs = pd ? pd.pushMs + pd.pullMs : NaN;
  const size = `${n(EVENTS)} events`;
  const results: BenchResult[] = [
    { name: `sync push + pull of ${size} (ours: encrypted laptop → HQ process → encrypted laptop, loopback)`, value: secs(oursMs), unit: 's', detail: `${n(rate(EVENTS, oursMs))} events/s; digest-verified: HQ and the pulling laptop hold exactly the pushing laptop's log; HQ ${hqEntry()[0]?.endsWith('.mjs') ? 'from its bundle (dist/hq)' : 'from its sources (tsx)'}; load average ${loadAtStart} at start, ${load()} at the end` },
    { name: `push of ${size} (ours)`, value: secs(main.pushMs), unit: 's', detail: `${n(rate(EVENTS, main.pushMs))} events/s; batches of ≤ 1,000 events / 1 MiB twice, then HQ's announced ≤ ${n(HQ_BATCH_EVENTS)} / ${HQ_BATCH_BYTES / 1024 / 1024} MiB, token auth, validated, idempotent, gap-checked` },
    { name: `pull of ${size} into an encrypted laptop (ours)`, value: secs(main.pullMs), unit: 's', detail: `${n(rate(EVENTS, main.pullMs))} events/s; pages of 1,000 read ahead, applied in bulk to log and projections with the cursor in the same transaction, on the pull's own thread` },
    main.foldMs === null
      ? { name: 'HQ projections caught up after the push', value: 0, unit: 's', detail: 'not measurable on this HQ (no projection cursor to read); the pull started right after the push' }
      : { name: 'HQ projections caught up after the push (waited for before the pull)', value: secs(main.foldMs), unit: 's', detail: 'from the push\'s end until HQ\'s state included every pushed event' },
    { name: `plain batched floor: push + pull of the same ${size}`, value: secs(floorMs), unit: 's', detail: `${n(rate(EVENTS, floorMs))} events/s (push ${secs(fl.pushMs)} s, pull ${secs(fl.pullMs)} s); JSON batches as large as ours (1,000 twice, then ${n(HQ_BATCH_EVENTS)}) over loopback HTTP to a bare server (own process) inserting into one bare SQLite table, pulled back in pages of 1,000 into another (WAL, synchronous FULL, no encryption, no validation, no projections)` },
    { name: `PouchDB push + pull of the same ${size} (LevelDB adapter, pouchdb-server)`, value: secs(pouchMs), unit: 's', detail: `${n(rate(EVENTS, pouchMs))} docs/s (push ${secs(pd?.pushMs ?? NaN)} s, pull ${secs(pd?.pullMs ?? NaN)} s); PouchDB 9 on LevelDOWN replicating to express-pouchdb on LevelDB (own process), then into a fresh LevelDB database; batch_size 1,000` },
    {
      name: 'CPU time, ours vs plain floor (push + pull)',
      value: secs(main.pushCpu.self + main.pushCpu.child + main.pullCpu.self + main.pullCpu.child),
      unit: 's',
      detail: `ours: push ${cpuText(main.pushCpu, 'HQ')}; pull ${cpuText(main.pullCpu, 'HQ')}; floor ${secs(fl.pushCpu.self + fl.pushCpu.child + fl.pullCpu.self + fl.pullCpu.child)} s: push ${cpuText(fl.pushCpu, 'server')}; pull ${cpuText(fl.pullCpu, 'server')} (HQ's and the server's main thread; HQ's fold thread not included)`,
    },
    { name: 'ours / plain floor (push + pull)', value: Math.round((oursMs / floorMs) * 100) / 100, unit: '×', detail: `goal ≤ 1.5×; push ${Math.round((main.pushMs / fl.pushMs) * 100) / 100}×, pull ${Math.round((main.pullMs / fl.pullMs) * 100) / 100}×` },
    { name: 'PouchDB / ours (push + pull)', value: Math.round((pouchMs / oursMs) * 10) / 10, unit: '× faster than PouchDB', detail: `goal ≥ 10×; push ${Math.round(((pd?.pushMs ?? NaN) / main.pushMs) * 10) / 10}×, pull ${Math.round(((pd?.pullMs ?? NaN) / main.pullMs) * 10) / 10}×` },
  ];
  if (small) results.push({ name: `linearity: ours at ${n(SMALL)} events`, value: rate(SMALL, small.pushMs + small.pullMs), unit: 'events/s', detail: pace(small) });
  results.push({ name: `linearity: ours at ${size}`, value: rate(EVENTS, oursMs), unit: 'events/s', detail: `${pace(main)}${small ? `; ${Math.round((rate(EVENTS, oursMs) / rate(SMALL, small.pushMs + small.pullMs)) * 100)}% of the ${n(SMALL)} rate` : ''}` });
  if (large) results.push({ name: `linearity: ours at ${n(LARGE)} events`, value: rate(LARGE, large.pushMs + large.pullMs), unit: 'events/s', detail: `${pace(large)}; ${Math.round((rate(LARGE, large.pushMs + large.pullMs) / rate(EVENTS, oursMs)) * 100)}% of the ${size} rate` });
  // Not run by default (several minutes): SYNC_BENCH_300K=1 npx tsx test/bench/run.ts sync.bench. No row rather than a 0 that reads as a figure.
  return [...results, ...pg];
}
