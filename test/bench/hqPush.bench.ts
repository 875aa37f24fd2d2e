/**
 * HQ's side of sync (issue #20): 100,000 events pushed by a laptop (SyncClient, the app's own push)
 * over HTTP on loopback to the real HQ program (its own process, SQLite), against a plain floor in the
 * same run: the same events, batched 1,000 to a JSON body, posted to a bare node:http server that
 * inserts them into a bare SQLite table (pushFloorServer.ts, its own process). Then HQ's fold caught
 * up, HQ's RSS after the push and after the fold, and HQ serving the pull (pages fetched and
 * JSON-parsed, not applied: the laptop's apply is measured in sync.bench.ts) against the floor's.
 * HQ_PUSH_EVENTS shrinks the size; HQ_PUSH_BASELINE_ROOT=/path/to/another/checkout also runs that
 * checkout's HQ in the same run (before/after figures).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openStore } from '../../core/store/openStore';
import { openSqlite } from '../../core/store/sqlite';
import { rowJson } from '../../core/sync/envelopeJson';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { enrollDevice, SyncClient } from '../../core/sync/syncClient';
import type { StoredEventRow } from '../../core/store/eventStore';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { hqEntry } from '../helpers/hqProcess';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { REPO_ROOT, tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

const EVENTS = Number(process.env.HQ_PUSH_EVENTS ?? 100_000);
const BASELINE = process.env.HQ_PUSH_BASELINE_ROOT;
const DEVICE = 'bench-push';

const secs = (ms: number) => Math.round(ms / 10) / 100;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident and peak memory of a process (MB), from /proc. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function spawnUntil(args: string[], cwd: string, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve(m);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
  return { child, match };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Pages of the log fetched and parsed as a laptop's pull receives them (no apply). */
async function rawPull(url: string, token: string | null, expected: number): Promise<number> {
  let cursor = '0';
  let n = 0;
  const t0 = performance.now();
  for (;;) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ cursor, limit: 1000 }),
    });
    const page = (await res.json()) as { events: unknown[]; cursor: string; has_more: boolean };
    n += page.events.length;
    cursor = page.cursor;
    if (!page.has_more) break;
  }
  if (n !== expected) throw new Error(`pulled ${n} of ${expected}`);
  return performance.now() - t0;
}

interface HqFigures {
  pushMs: number;
  foldMs: number;
  pullMs: number;
  afterPush: { rss: number; peak: number };
  afterFold: { rss: number; peak: number };
  afterIdle: { rss: number; peak: number };
}

/** One HQ program (this checkout's, or another's) on a fresh data folder: push, fold, RSS, pull. */
async function hqRun(root: string, laptopFile: string): Promise<HqFigures> {
  const dataDir = tempDir('roadshow-bench-hqpush-');
  const prof = process.env.HQ_PUSH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.HQ_PUSH_PROFILE_DIR] : [];
  // This checkout's HQ as `npm run hq` runs it (its bundle once built: `npm run bench` builds it); another checkout's from its sources.
  const entry = root === REPO_ROOT ? hqEntry() : ['--import', 'tsx', path.join(root, 'hq/server/main.ts')];
  const { child, match } = await spawnUntil([...prof, ...entry, 'serve', '--data-dir', dataDir, '--port', '0'], root, /HQ listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const url = match[1]!;
  const codes = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const copy = path.join(tempDir('roadshow-bench-laptop-'), 'roadshow.sqlite');
  copyFileSync(laptopFile, copy);
  const laptop = openStore(copy, { deviceId: DEVICE });
  try {
    const t = createHttpTransport(url);
    const token = await enrollDevice(t, DEVICE, (await issueEnrollmentCode(codes)).code, DEVICE);
    const reader = await enrollDevice(t, 'bench-reader', (await issueEnrollmentCode(codes)).code, 'reader');
    const client = new SyncClient(laptop, t, token);
    const t0 = performance.now();
    const sent = await client.push();
    const pushMs = performance.now() - t0;
    if (sent !== EVENTS) throw new Error(`pushed ${sent} of ${EVENTS}`);
    const afterPush = rssOf(child.pid!);
    const top = await codes.highWater();
    const proj = openSqlite(path.join(dataDir, 'hq-projections.sqlite'), { readonly: true });
    const cursorOf = () => proj.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'hq_projection_cursor'").get()?.value ?? '0';
    while (cursorOf() !== top) await sleep(50);
    const foldMs = performance.now() - t0;
    proj.close();
    const afterFold = rssOf(child.pid!);
    // HQ left alone for a while (its fold thread, idle, ends after 10 s and gives its memory back).
    await sleep(12_000);
    const afterIdle = rssOf(child.pid!);
    const pullMs = await rawPull(`${url}/v1/sync/pull`, reader, EVENTS);
    return { pushMs, foldMs, pullMs, afterPush, afterFold, afterIdle };
  } finally {
    laptop.close();
    await codes.close();
    await stop(child);
  }
}

/** The floor: the laptop's events read page by page, each page one JSON body posted to the bare server. */
async function floorRun(laptopFile: string): Promise<{ pushMs: number; pullMs: number; rss: number }> {
  const dir = tempDir('roadshow-bench-floor-');
  const { child, match } = await spawnUntil(['--import', 'tsx', path.join(REPO_ROOT, 'test/bench/pushFloorServer.ts'), dir], REPO_ROOT, /FLOOR_PORT (\d+)/);
  const url = `http://127.0.0.1:${match[1]}`;
  const db = openSqlite(laptopFile, { readonly: true });
  try {
    const page = db.prepare<[string, number], StoredEventRow>('SELECT * FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT 1000');
    const t0 = performance.now();
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = page.all(DEVICE, after);
      if (rows.length === 0) break;
      const body = `{"device_id":${JSON.stringify(DEVICE)},"events":[${rows.map(rowJson).join(',')}]}`;
      const res = await fetch(`${url}/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      n += ((await res.json()) as { n: number }).n;
      after = rows[rows.length - 1]!.device_seq;
    }
    const pushMs = performance.now() - t0;
    if (n !== EVENTS) throw new Error(`floor took ${n} of ${EVENTS}`);
    const rss = rssOf(child.pid!).rss;
    const pullMs = await rawPull(`${url}/pull`, null, EVENTS);
    return { pushMs, pullMs, rss };
  } finally {
    db.close();
    await stop(child);
  }
}

export async function run(): Promise<BenchResult[]> {
  const laptop = createLaptop(DEVICE);
  for (let done = 0; done < EVENTS / 4; done += 2500) writeActivity(laptop, Math.min(2500, EVENTS / 4 - done));
  const file = path.join(path.dirname(laptop.db.name), 'roadshow.sqlite');
  laptop.close();
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const floor = await floorRun(file);
  const before = BASELINE ? await hqRun(BASELINE, file) : null;
  const ours = await hqRun(REPO_ROOT, file);
  const n = EVENTS.toLocaleString('en');
  const line = (label: string, f: HqFigures): BenchResult[] => [
    { name: `${label}push ${n} events to the HQ process (SQLite, loopback)`, value: secs(f.pushMs), unit: 's', detail: `${rate(EVENTS, f.pushMs)} events/s; ${(f.pushMs / floor.pushMs).toFixed(2)}× the plain floor (${secs(floor.pushMs)} s, same run)` },
    { name: `${label}push + HQ projections caught up`, value: secs(f.foldMs), unit: 's', detail: `${rate(EVENTS, f.foldMs)} events/s until HQ's state holds every pushed event` },
    { name: `${label}HQ serving the pull of ${n} events (fetched and parsed, not applied)`, value: secs(f.pullMs), unit: 's', detail: `${rate(EVENTS, f.pullMs)} events/s; ${(f.pullMs / floor.pullMs).toFixed(2)}× the floor's (${secs(floor.pullMs)} s)` },
    { name: `${label}push + pull served, against the floor`, value: Number(((f.pushMs + f.pullMs) / (floor.pushMs + floor.pullMs)).toFixed(2)), unit: '×', detail: `${secs(f.pushMs + f.pullMs)} s vs ${secs(floor.pushMs + floor.pullMs)} s` },
    { name: `${label}HQ RSS after the push`, value: f.afterPush.rss, unit: 'MB', detail: `peak so far ${f.afterPush.peak} MB` },
    { name: `${label}HQ RSS after the fold caught up`, value: f.afterFold.rss, unit: 'MB', detail: `peak ${f.afterFold.peak} MB (goal ≤ 250 MB after receiving ${n} events)` },
    { name: `${label}HQ RSS 12 s after the fold caught up`, value: f.afterIdle.rss, unit: 'MB', detail: 'HQ idle: its fold thread ends after 10 s without work' },
  ];
  return [
    { name: `plain floor: push ${n} events (bare node:http + SQLite table, JSON batches of 1,000)`, value: secs(floor.pushMs), unit: 's', detail: `${rate(EVENTS, floor.pushMs)} events/s; load average at start ${load}; HQ ${hqEntry()[0]?.endsWith('.mjs') ? 'from its bundle (dist/hq)' : 'from its sources (tsx)'}` },
    { name: 'plain floor: pull served', value: secs(floor.pullMs), unit: 's', detail: `${rate(EVENTS, floor.pullMs)} events/s; floor server RSS ${floor.rss} MB` },
    ...(before ? line('before (baseline checkout): ', before) : []),
    ...line('', ours),
  ];
}
