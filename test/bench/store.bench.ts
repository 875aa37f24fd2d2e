import path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore } from '../../core/store/openStore';
import type { BenchResult } from './benchTypes';
import { REPO_ROOT, RESOURCES_DIR, tempDir } from '../helpers/testStore';
import type { Browser, Page } from 'playwright-core';
import os from 'node:os';
import { launchBrowser } from '../helpers/browser';

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

/** One start measured: milliseconds from spawning the host to each point. */
interface StartRun {
  /**
   * The host printed its address: its HTTP server listens (browser mode's host listens first, then opens the
   * store and seeds a new one while the browser opens the page: the API's calls wait for it).
   */
  listening: number;
  /** Chromium's first request to the host, its document answered, its first API request. */
  documentAnswered: number;
  firstApiCall: number;
  /** Its first API answer received (browser mode: `app:boot`, the first screen's reads in one call). */
  firstApiAnswer: number;
  /** The check-in screen usable (see `waitUsable`). */
  usable: number;
  /** Its text in the UI font (the font slices loaded and swapped in). */
  fontsShown: number;
  /** The host's own phases (ROADSHOW_START_TRACE=1, core/host/startTrace.ts): name → ms. */
  phases: Map<string, number>;
  /** The host's CPU time (user + system, ms) when it had sent its first API answer: its work, whatever the load. */
  cpuAtFirstAnswer: number;
}

/**
 * "Usable": the check-in screen's search box is there and enabled, the stop's counts are shown ("Registered: N"
 * with its number, not the dash shown while the counts load) and its list holds people: a desk can search and
 * check someone in. Watched from inside the page (a MutationObserver, added before the page's own scripts run),
 * and the instant taken at the next frame after all three hold, the frame that shows them: Playwright's
 * locator waits poll at 0, 20, 50, 100, 100 ms and then every 500 ms, so they saw the screen up to half a second
 * after it was there (a start that got 100 ms slower could read 500 ms slower). `waitUsable` checks with
 * Playwright's locators afterwards, untimed, that the screen is what the in-page check said.
 */
const USABLE_PROBE = `(() => {
  window.__roadshowUsable = new Promise((resolve) => {
    const shown = (e) => !!e && e.getClientRects().length > 0;
    const ready = () => {
      const counts = Array.prototype.some.call(document.querySelectorAll('[aria-label]'), (e) => /^(Registered|등록): \\d+$/.test(e.getAttribute('aria-label') || '') && (e.textContent || '').trim() !== '–' && shown(e));
      const search = Array.prototype.some.call(document.querySelectorAll('input'), (e) => !e.disabled && shown(e) && /^(Search attendees|참가자 검색)/.test((e.labels && e.labels[0] ? e.labels[0].textContent : e.getAttribute('aria-label')) || ''));
      const list = shown(document.querySelector('[role="list"] > *'));
      return counts && search && list;
    };
    let done = false;
    const check = () => {
      if (done || !ready()) return;
      done = true;
      observer.disconnect();
      requestAnimationFrame(() => {
        resolve(performance.timeOrigin + performance.now());
        // When the screen's text is in the UI font too (a machine without Korean fonts shows boxes until the Hangul slice is in).
        window.__roadshowFontsShown = document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => r(performance.timeOrigin + performance.now()))));
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
})();`;

/**
 * The epoch milliseconds at which the page showed a usable check-in screen (see USABLE_PROBE), and then its text in
 * the UI font (not waited for by "usable": text shows in a system font until then), checked with Playwright after.
 */
async function waitUsable(page: Page): Promise<{ at: number; fontsAt: number }> {
  const at = await page.evaluate(() => (globalThis as unknown as { __roadshowUsable: Promise<number> }).__roadshowUsable);
  const fontsAt = await page.evaluate(() => (globalThis as unknown as { __roadshowFontsShown: Promise<number> }).__roadshowFontsShown);
  await page.getByLabel(/^(Registered|등록): \d+$/).first().waitFor({ timeout: 60_000 });
  const search = page.getByRole('textbox', { name: /^(Search attendees|참가자 검색)/ });
  await search.waitFor({ timeout: 60_000 });
  await (await search.elementHandle())!.waitForElementState('enabled', { timeout: 60_000 });
  await page.locator('[role="list"] > *').first().waitFor({ timeout: 60_000 });
  return { at, fontsAt };
}

/**
 * Cold start of browser mode, as `npm start` runs it where there is no Electron (scripts/start.mjs
 * imports dist/host/host.mjs, prebuilt JavaScript: no TypeScript compiled at start): from spawning the
 * host until Chromium shows a usable check-in screen. First start: a new data folder (key file, new
 * encrypted store, migrations, the demo seeded from resources/). Warm: the same folder again.
 */
export async function startOnce(browser: Browser, dataDir: string, hostDir: string = REPO_ROOT): Promise<StartRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(hostDir, 'dist/host/host.mjs'), '--data-dir', dataDir, '--demo-sign-in', '--app-root', hostDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ROADSHOW_START_TRACE: '1' },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (c) => reject(new Error(`host exited ${c}: ${err}`)));
    });
    const listening = performance.now() - t0;
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    let documentAnswered = 0;
    let firstApiCall = 0;
    let firstApiAnswer = 0;
    page.on('response', (r) => {
      if (!documentAnswered && r.request().resourceType() === 'document') documentAnswered = performance.now() - t0;
      if (!firstApiAnswer && r.url().includes('/api/')) firstApiAnswer = performance.now() - t0;
    });
    page.on('request', (r) => {
      if (!firstApiCall && r.url().includes('/api/')) firstApiCall = performance.now() - t0;
    });
    await page.addInitScript(USABLE_PROBE);
    // 'commit': the page's own probe says when it is usable (the load event also waits for the fonts, which the screen does not).
    await page.goto(url, { waitUntil: 'commit' });
    const shown = await waitUsable(page);
    const usable = shown.at - (performance.timeOrigin + t0);
    const fontsShown = shown.fontsAt - (performance.timeOrigin + t0);
    await page.close();
    const phases = new Map<string, number>();
    let cpuAtFirstAnswer = 0;
    for (const line of err.split('\n')) {
      const m = /^\[start\] (.+) ([\d.]+) [\d.]+(?: cpu ([\d.]+))?$/.exec(line);
      if (m) phases.set(m[1]!, Number(m[2]));
      if (m?.[1] === 'first API answer sent') cpuAtFirstAnswer = Number(m[3]);
    }
    return { listening, documentAnswered, firstApiCall, firstApiAnswer, usable, fontsShown, phases, cpuAtFirstAnswer };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const COLD_RUNS = 5;

/** The phases of a set of runs: each one's median, in the order the host goes through them. */
function phaseLine(runs: StartRun[]): string {
  const names = [...runs[0]!.phases.keys()];
  const host = names.map((n) => `${n} ${Math.round(median(runs.map((r) => r.phases.get(n) ?? 0)))}`).join(', ');
  const m = (f: (r: StartRun) => number) => Math.round(median(runs.map(f)));
  return `host: ${host} → listening at ${m((r) => r.listening)} ms; Chromium: document answered at ${m((r) => r.documentAnswered)}, first API call at ${m((r) => r.firstApiCall)}, first answer at ${m((r) => r.firstApiAnswer)}, usable at ${m((r) => r.usable)}, in the UI font at ${m((r) => r.fontsShown)}; host CPU by its first API answer ${m((r) => r.cpuAtFirstAnswer)} ms`;
}

/**
 * Fresh and warm starts, median of COLD_RUNS each. With ROADSHOW_BENCH_BASELINE=DIR (a built checkout
 * of another commit, e.g. `git worktree add DIR <commit> && (cd DIR && node scripts/build.mjs)`), the
 * same starts of that build run interleaved with these, for a ratio in the same run.
 */
async function coldStart(): Promise<BenchResult[]> {
  const browser = await launchBrowser();
  const baseline = process.env.ROADSHOW_BENCH_BASELINE;
  const runs = { fresh: [] as StartRun[], warm: [] as StartRun[], baseFresh: [] as StartRun[], baseWarm: [] as StartRun[] };
  try {
    for (let i = 0; i < COLD_RUNS; i++) {
      const dir = tempDir('bench-cold-');
      runs.fresh.push(await startOnce(browser, dir));
      runs.warm.push(await startOnce(browser, dir));
      if (baseline) {
        const bdir = tempDir('bench-cold-base-');
        runs.baseFresh.push(await startOnce(browser, bdir, baseline));
        runs.baseWarm.push(await startOnce(browser, bdir, baseline));
      }
    }
  } finally {
    await browser.close();
  }
  const all = (xs: StartRun[]) => xs.map((r) => Math.round(r.usable)).join(', ');
  const load = os.loadavg()[0]!.toFixed(1);
  const baseNote = (xs: StartRun[]) => (xs.length ? `; baseline ${path.basename(baseline!)} in the same run: ${Math.round(median(xs.map((r) => r.usable)))} ms (${all(xs)})` : '');
  const http = await httpColdStart();
  return [
    {
      name: 'browser mode first start (new data folder: key, encrypted store, migrations, 400-attendee demo) to a usable check-in screen in Chromium',
      value: Math.round(median(runs.fresh.map((r) => r.usable))),
      unit: 'ms',
      detail: `median of ${COLD_RUNS} (${all(runs.fresh)}); usable: search box enabled, the stop's counts and list shown; goal ≤ 1,500 ms; load average ${load}${baseNote(runs.baseFresh)}`,
    },
    { name: '… its phases (medians)', value: Math.round(median(runs.fresh.map((r) => r.listening))), unit: 'ms', detail: phaseLine(runs.fresh) },
    {
      name: 'browser mode warm start (same data folder) to a usable check-in screen in Chromium',
      value: Math.round(median(runs.warm.map((r) => r.usable))),
      unit: 'ms',
      detail: `median of ${COLD_RUNS} (${all(runs.warm)}); goal ≤ 1,000 ms${baseNote(runs.baseWarm)}`,
    },
    { name: '… its phases (medians)', value: Math.round(median(runs.warm.map((r) => r.listening))), unit: 'ms', detail: phaseLine(runs.warm) },
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
