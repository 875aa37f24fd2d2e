import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore } from '../../core/store/openStore';
import type { BenchResult } from './benchTypes';
import { REPO_ROOT, RESOURCES_DIR, tempDir } from '../helpers/testStore';
import { launchBrowser, startBrowserMode } from '../helpers/browser';

/** Check-in writes: each one an event plus its projection in one durable (synchronous=FULL, WAL) transaction. */
async function checkInWrites(): Promise<BenchResult[]> {
  const store = openStore(path.join(tempDir('bench-'), 'roadshow.sqlite'));
  store.events.ingest(buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 2_000, seed: 1 }));
  const regs = store.db.prepare('SELECT id, attendee_id, stop_id FROM registrations').all() as { id: string; attendee_id: string; stop_id: string }[];
  const n = 2_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = regs[i % regs.length]!;
    store.events.append('checked_in', { registrationId: r.id, attendeeId: r.attendee_id, stopId: r.stop_id, desk: 'Bench' });
  }
  const ms = performance.now() - t0;
  store.close();
  return [
    { name: 'check-in write (event + projection, 1 transaction, fsync)', value: Math.round((n / ms) * 1000), unit: 'writes/s', detail: `${n} writes on a store of 2,000 attendees` },
    { name: 'check-in write latency (mean)', value: Number((ms / n).toFixed(3)), unit: 'ms' },
  ];
}

/**
 * Cold start of browser mode: from process spawn until Chromium shows the check-in screen with the stop's
 * counts filled in (the app is usable). First start creates the store and seeds the demo; a warm start reopens it.
 */
async function coldStart(): Promise<BenchResult[]> {
  const browser = await launchBrowser();
  const measure = async (dataDir: string): Promise<number> => {
    const t0 = performance.now();
    const app = await startBrowserMode({ dataDir });
    const page = await browser.newPage();
    await page.goto(app.openUrl);
    await page.getByLabel(/^(Registered|등록): \d+$/).waitFor({ timeout: 60_000 });
    const ms = performance.now() - t0;
    await page.close();
    await app.stop();
    return ms;
  };
  const first: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = tempDir('bench-cold-');
    first.push(await measure(dir));
    warm.push(await measure(dir));
  }
  await browser.close();
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[1]!);
  const http = await httpColdStart();
  return [
    { name: 'browser mode first start (create store, seed 400-attendee demo) to usable page in Chromium', value: median(first), unit: 'ms', detail: 'median of 3' },
    { name: 'browser mode warm start to usable page in Chromium', value: median(warm), unit: 'ms', detail: 'median of 3' },
    ...http,
  ];
}

/** The same start without a browser: process spawn to index.html and a first API answer. */
async function httpColdStart(): Promise<BenchResult[]> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const dataDir = tempDir('bench-cold-');
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/host/host.mjs'), '--data-dir', dataDir, '--app-root', REPO_ROOT], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]+)/.exec(out);
        if (m) resolve(`${m[1]}|${m[2]}`);
      });
      child.on('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    const [base, token] = url.split('|') as [string, string];
    const page = await fetch(base);
    await page.text();
    const res = await fetch(`${base}api/stops:list`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    await res.json();
    runs.push(performance.now() - t0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  runs.sort((a, b) => a - b);
  return [
    { name: 'browser mode first start to index.html + first API answer (no browser)', value: Math.round(runs[1]!), unit: 'ms', detail: 'median of 3, fresh data folder each' },
  ];
}

export async function run(): Promise<BenchResult[]> {
  return [...(await checkInWrites()), ...(await coldStart())];
}
