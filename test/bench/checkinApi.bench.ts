import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CareerStage, ResearchField } from '../../shared/vocab';
import { loadDemoData } from '../../core/demo/demoData';
import { seedDemoIfEmpty } from '../../core/demo/seedDemo';
import { loadOrCreateKeyFile } from '../../core/host/keyFile';
import { STORE_FILE_NAME } from '../../core/host/bootstrap';
import { openStore } from '../../core/store/openStore';
import { openSqlite } from '../../core/store/sqlite';
import type { BulkEvent } from '../../core/store/eventStore';
import type { BenchResult } from './benchTypes';
import { benchPeople } from './benchPeople';
import { DEMO_STOP, REPO_ROOT, RESOURCES_DIR, tempDir } from '../helpers/testStore';

/** People registered at the measured stop (besides the demo's own). */
const N = 20_000;
/** Check-ins of one desk, one after the other (after a warm-up). */
const SEQUENTIAL = 2_000;
const WARM_UP = 300;
/** Check-ins per concurrency level. */
const CONCURRENT = 3_000;
const LEVELS = [8, 32, 64] as const;
/** The old figure: check-ins written by calling the store directly (EventStore.append), as the store bench does. */
const DIRECT = 2_000;

/**
 * The encrypted store of a browser-mode data folder (key file as `npm start` makes it), with the demo
 * tour and N more people registered at the demo's New York stop, written as events.
 */
export function prepareDataDir(): { dataDir: string; regs: { id: string; attendeeId: string }[] } {
  const dataDir = tempDir('bench-checkin-api-');
  mkdirSync(dataDir, { recursive: true });
  const key = loadOrCreateKeyFile(dataDir);
  const store = openStore(path.join(dataDir, STORE_FILE_NAME), { key });
  try {
    seedDemoIfEmpty(store, loadDemoData(RESOURCES_DIR), { attendees: 50, schedules: false });
    const regs: { id: string; attendeeId: string }[] = [];
    const items: BulkEvent[] = [];
    for (const p of benchPeople(N, 20)) {
      const attendeeId = randomUUID();
      const registrationId = randomUUID();
      const fields = [...new Set(p.fields.split('; '))] as ResearchField[];
      items.push({ type: 'attendee_registered', payload: { attendeeId, familyName: p.familyName, givenName: p.givenName, nameKo: p.nameKo, email: p.email, affiliation: p.affiliation, careerStage: p.careerStage as CareerStage, fields }, hints: { fresh: true } });
      items.push({ type: 'registration_created', payload: { registrationId, attendeeId, stopId: DEMO_STOP, source: 'import', scanToken: p.scanToken }, hints: { fresh: true } });
      regs.push({ id: registrationId, attendeeId });
    }
    store.events.appendMany(items);
    return { dataDir, regs };
  } finally {
    store.close();
  }
}

/** The old figure: `EventStore.append` called in-process on the same encrypted store, one transaction (fsync) per check-in. */
function directWrites(dataDir: string, regs: { id: string; attendeeId: string }[]): { perSec: number; p95: number } {
  const store = openStore(path.join(dataDir, STORE_FILE_NAME), { key: loadOrCreateKeyFile(dataDir) });
  try {
    const lat: number[] = [];
    const t0 = performance.now();
    for (const r of regs) {
      const t = performance.now();
      store.events.append('checked_in', { registrationId: r.id, attendeeId: r.attendeeId, stopId: DEMO_STOP, desk: 'Bench' });
      lat.push(performance.now() - t);
    }
    const ms = performance.now() - t0;
    return { perSec: Math.round((regs.length / ms) * 1000), p95: pct(lat, 0.95) };
  } finally {
    store.close();
  }
}

/** Check-ins whose WAL frames are counted (after the direct writes, on the same copy). */
const PAGES_SAMPLE = 300;

/**
 * WAL pages a lone check-in writes (each one encrypted, authenticated and written before the commit's
 * fsync): `EventStore.append` of a check-in, one transaction each, with the automatic checkpoint off
 * so the WAL only grows. The same pages as a group of one through the API (issue #20: a figure that
 * does not depend on the machine's load).
 */
function walPagesPerCheckIn(dataDir: string, regs: { id: string; attendeeId: string }[]): number {
  const file = path.join(dataDir, STORE_FILE_NAME);
  const store = openStore(file, { key: loadOrCreateKeyFile(dataDir) });
  try {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.pragma('wal_autocheckpoint = 0');
    const frame = (store.db.pragma('page_size', { simple: true }) as number) + 24;
    const size = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    const before = size();
    for (const r of regs) store.events.append('checked_in', { registrationId: r.id, attendeeId: r.attendeeId, stopId: DEMO_STOP, desk: 'Bench' });
    return Number(((size() - before) / frame / regs.length).toFixed(2));
  } finally {
    store.close();
  }
}

interface Host {
  child: ChildProcess;
  port: number;
  token: string;
}

/** The built browser-mode host (what `npm start` runs) on the folder, signed in as the demo stop lead. */
export async function startHostProcess(bundle: string, dataDir: string): Promise<Host> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`node scripts/build.mjs\` (npm run bench does)`);
  const child = spawn(process.execPath, [...(process.env.CHECKIN_BENCH_HOST_FLAGS?.split(' ').filter(Boolean) ?? []), bundle, '--data-dir', dataDir, '--no-demo', '--demo-sign-in', '--app-root', REPO_ROOT], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Open http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), token: m[2]! });
    });
    child.once('exit', (code) => reject(new Error(`the host exited (${code}) before it served: ${out}`)));
  });
  return { child, port, token };
}

export async function stopHost(host: Host): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((r) => host.child.once('exit', r));
  host.child.kill('SIGTERM');
  await exited;
}

type Answer = { ok: boolean; value?: { created?: boolean }; error?: { code: string } };

/**
 * One desk's connection to the host, as cheap for the bench's own process as a client can be (issue #20:
 * node:http's client cost the bench ~0.5 ms of CPU per call, so on 2 cores the bench, not the host, set the
 * ceiling at ~800–1,700 check-ins/s). A keep-alive socket; each call writes the request's bytes at once with
 * the headers the renderer's HTTP transport sends from Chromium (token, same-origin, JSON); answers are read
 * by their Content-Length, in order (several calls may be in flight: HTTP/1.1 pipelining). The host parses,
 * guards, dispatches and answers exactly as for the page.
 */
class DeskConnection {
  private readonly socket: net.Socket;
  private readonly waiting: { resolve(a: Answer): void; reject(e: Error): void }[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private readonly head: string;
  private failed: Error | null = null;

  constructor(host: Host) {
    this.head =
      `Host: 127.0.0.1:${host.port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${host.token}\r\n` +
      `Origin: http://127.0.0.1:${host.port}\r\nSec-Fetch-Site: same-origin\r\nConnection: keep-alive\r\nContent-Length: `;
    this.socket = net.connect({ host: '127.0.0.1', port: host.port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => this.read(d));
    const fail = (err: Error) => {
      this.failed = err;
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('the host closed the connection')));
  }

  call(channel: string, input: unknown): Promise<Answer> {
    if (this.failed) return Promise.reject(this.failed);
    const body = JSON.stringify(input);
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(`POST /api/${channel} HTTP/1.1\r\n${this.head}${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  private read(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers = this.buf.toString('latin1', 0, end);
      const len = /\r\ncontent-length: *(\d+)/i.exec(headers);
      if (!len) {
        this.socket.destroy(new Error(`an answer without Content-Length: ${headers.slice(0, 200)}`));
        return;
      }
      const total = end + 4 + Number(len[1]);
      if (this.buf.length < total) return;
      const text = this.buf.toString('utf8', end + 4, total);
      this.buf = this.buf.subarray(total);
      const w = this.waiting.shift();
      try {
        w?.resolve(JSON.parse(text) as Answer);
      } catch (err) {
        w?.reject(err as Error);
      }
    }
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }
}

/** `sockets` desk connections; each call goes to the least busy one (one call each at a time when callers wait for answers). */
export function caller(host: Host, sockets: number) {
  const conns = Array.from({ length: sockets }, () => new DeskConnection(host));
  const busy = new Array<number>(sockets).fill(0);
  const call = async (channel: string, input: unknown): Promise<Answer> => {
    let k = 0;
    for (let j = 1; j < sockets; j++) if (busy[j]! < busy[k]!) k = j;
    busy[k]!++;
    try {
      return await conns[k]!.call(channel, input);
    } finally {
      busy[k]!--;
    }
  };
  return { call, close: () => conns.forEach((c) => c.close()) };
}

/** CPU time the host process used so far (user + system, ms), from /proc on Linux; null elsewhere. */
function hostCpuMs(host: Host): number | null {
  try {
    const stat = readFileSync(`/proc/${host.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the file (11 and 12 after the name), in clock ticks (USER_HZ = 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function cpuDetail(before: number | null, after: number | null, n: number, client: NodeJS.CpuUsage): string {
  const host = before === null || after === null ? '' : `; host CPU ${((after - before) / n).toFixed(2)} ms per check-in`;
  return `${host}; bench client CPU ${((client.user + client.system) / 1000 / n).toFixed(2)} ms`;
}

function pct(sorted: number[], p: number): number {
  const xs = [...sorted].sort((a, b) => a - b);
  return Number(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!.toFixed(2));
}

async function checkIn(call: ReturnType<typeof caller>['call'], registrationId: string): Promise<void> {
  const res = await call('checkin:checkIn', { registrationId });
  if (!res.ok || res.value?.created !== true) throw new Error(`check-in of ${registrationId} refused: ${JSON.stringify(res).slice(0, 300)}`);
}

/** One host under test, with the registrations of its own copy of the store not used yet. */
interface Subject {
  label: string;
  host: Host;
  regs: { id: string; attendeeId: string }[];
  next: number;
  out: BenchResult[];
}

function take(s: Subject, n: number): { id: string; attendeeId: string }[] {
  const slice = s.regs.slice(s.next, s.next + n);
  s.next += n;
  if (slice.length < n) throw new Error('not enough registrations for the bench');
  return slice;
}

/** One desk: each check-in waits for the previous answer. */
async function sequential(s: Subject): Promise<void> {
  const one = caller(s.host, 1);
  for (const r of take(s, WARM_UP)) await checkIn(one.call, r.id);
  const lat: number[] = [];
  const cpu0 = hostCpuMs(s.host);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  for (const r of take(s, SEQUENTIAL)) {
    const t = performance.now();
    await checkIn(one.call, r.id);
    lat.push(performance.now() - t);
  }
  const ms = performance.now() - t0;
  const cpu = cpuDetail(cpu0, hostCpuMs(s.host), SEQUENTIAL, process.cpuUsage(client0));
  one.close();
  const detail = `${SEQUENTIAL} check-ins in a row over HTTP (checkin:checkIn) to the browser-mode host process, encrypted store, ${N.toLocaleString('en')} people at the stop`;
  s.out.push(
    { name: `${s.label}check-in through the API, one desk — p50`, value: pct(lat, 0.5), unit: 'ms', detail },
    { name: `${s.label}check-in through the API, one desk — p95`, value: pct(lat, 0.95), unit: 'ms', detail: 'goal ≤ 3 ms' },
    { name: `${s.label}check-in through the API, one desk — p99`, value: pct(lat, 0.99), unit: 'ms' },
    { name: `${s.label}check-in through the API, one desk — rate`, value: Math.round((SEQUENTIAL / ms) * 1000), unit: 'check-ins/s', detail: cpu.slice(2) },
  );
}

/** `clients` desks at once, each sending its next check-in when the last is answered. */
async function concurrent(s: Subject, clients: number): Promise<number> {
  const c = caller(s.host, clients);
  const todo = take(s, CONCURRENT);
  let i = 0;
  const lats: number[] = [];
  const worker = async () => {
    while (i < todo.length) {
      const r = todo[i++]!;
      const t = performance.now();
      await checkIn(c.call, r.id);
      lats.push(performance.now() - t);
    }
  };
  const cpu0 = hostCpuMs(s.host);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, worker));
  const ms = performance.now() - t0;
  const cpu = cpuDetail(cpu0, hostCpuMs(s.host), CONCURRENT, process.cpuUsage(client0));
  c.close();
  const perSec = Math.round((CONCURRENT / ms) * 1000);
  s.out.push(
    { name: `${s.label}check-in through the API, ${clients} concurrent clients — throughput`, value: perSec, unit: 'check-ins/s', detail: `${CONCURRENT} check-ins; goal ≥ 2,000/s${cpu}` },
    { name: `${s.label}check-in through the API, ${clients} concurrent clients — p95`, value: pct(lats, 0.95), unit: 'ms' },
  );
  return perSec;
}

/**
 * The host as built (dist/host/host.mjs). With CHECKIN_BENCH_BEFORE=<another host bundle> (e.g. one built
 * from the commit before a change), that host runs the same measurements on its own copy of the same store,
 * each measurement alternating between the two, so a before/after pair shares the machine's load.
 */
export async function run(): Promise<BenchResult[]> {
  const { dataDir, regs } = prepareDataDir();
  const bundles = [{ label: '', bundle: path.join(REPO_ROOT, 'dist/host/host.mjs'), dir: dataDir }];
  const before = process.env.CHECKIN_BENCH_BEFORE;
  if (before) {
    const dir = tempDir('bench-checkin-api-before-');
    cpSync(dataDir, dir, { recursive: true });
    // SQL that takes the copy back to what the other build expects (e.g. indexes a later migration dropped, and its user_version).
    const backSql = process.env.CHECKIN_BENCH_BEFORE_SQL;
    if (backSql) {
      const copy = openSqlite(path.join(dir, STORE_FILE_NAME), { key: loadOrCreateKeyFile(dir) });
      copy.exec(backSql);
      copy.close();
    }
    bundles.unshift({ label: 'before: ', bundle: path.resolve(before), dir });
  }
  // The store called directly, on a copy of the same store: before the hosts start and after they stop.
  const directDir = tempDir('bench-checkin-direct-');
  cpSync(dataDir, directDir, { recursive: true });
  const directFirst = directWrites(directDir, regs.slice(0, DIRECT));
  const subjects: Subject[] = [];
  try {
    for (const b of bundles) subjects.push({ label: b.label, host: await startHostProcess(b.bundle, b.dir), regs, next: 0, out: [] });
    for (const s of subjects) await sequential(s);
    const best = new Map<Subject, number>();
    for (const clients of LEVELS) {
      for (const s of subjects) best.set(s, Math.max(best.get(s) ?? 0, await concurrent(s, clients)));
    }
    const directLast = directWrites(directDir, regs.slice(DIRECT, 2 * DIRECT));
    const pages = walPagesPerCheckIn(directDir, regs.slice(2 * DIRECT, 2 * DIRECT + PAGES_SAMPLE));
    const direct = Math.round((directFirst.perSec + directLast.perSec) / 2);
    const out: BenchResult[] = [];
    for (const s of subjects) {
      out.push(...s.out, {
        name: `${s.label}check-in through the API, best concurrent throughput ÷ the store called directly`,
        value: Number((best.get(s)! / direct).toFixed(2)),
        unit: '×',
        detail: `${best.get(s)} ÷ ${direct} writes/s`,
      });
    }
    out.push({
      name: 'baseline in the same run: check-in written by calling the store directly (EventStore.append, one transaction + fsync each)',
      value: direct,
      unit: 'writes/s',
      detail: `${DIRECT} writes before the hosts started (${directFirst.perSec}/s, p95 ${directFirst.p95} ms) and ${DIRECT} after they finished (${directLast.perSec}/s, p95 ${directLast.p95} ms), same encrypted store`,
    });
    out.push({
      name: 'WAL pages written by a lone check-in (encrypted store)',
      value: pages,
      unit: 'pages',
      detail: `${PAGES_SAMPLE} check-ins, one transaction each (EventStore.append), automatic checkpoint off; each page is encrypted and authenticated before the commit's fsync`,
    });
    out.push({ name: 'load average at the end of the run (1 min)', value: Number(os.loadavg()[0]!.toFixed(2)), unit: '', detail: `${os.cpus().length} cores, shared` });
    return out;
  } finally {
    for (const s of subjects) await stopHost(s.host);
  }
}
