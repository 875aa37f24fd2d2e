import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT, tempDir } from './testStore';

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');

/** Debian's Chromium. Missing Chromium fails the test: CI must not pass without the browser test. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  for (const c of candidates) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch {
      /* try the next */
    }
  }
  throw new Error('Chromium is not installed (apt-get install chromium): the browser tests cannot run.');
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-sync', '--disable-background-networking', '--disable-component-update'],
  });
}

export interface BrowserModeApp {
  /** The URL with the launch token, as `npm start` prints it. */
  openUrl: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the host printed so far (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built browser-mode host (dist/host/host.mjs) as its own process on a temporary data folder.
 * Staff sign-in is mandatory in the app; by default the host starts signed in as the demo stop lead
 * (`--demo-sign-in`; demo staff are added if the store has no staff). Pass `signedIn: false` to see
 * the lock screen, then sign in with `signIn(page, name, pin)` (demo PINs in core/security/demoStaff.ts).
 */
export async function startBrowserMode(opts: { dataDir?: string; args?: string[]; signedIn?: boolean } = {}): Promise<BrowserModeApp> {
  const dataDir = opts.dataDir ?? tempDir('roadshow-e2e-');
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/host/host.mjs'), '--data-dir', dataDir, ...(opts.signedIn === false ? [] : ['--demo-sign-in']), ...(opts.args ?? [])], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`browser mode exited with ${code}: ${out}`)));
  });
  return {
    openUrl,
    dataDir,
    process: child,
    log: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

/**
 * Signs in on the lock screen: picks the person by (part of) their name and types the PIN.
 * Works in both languages (the controls are found by their role and accessible name).
 */
export async function signIn(page: Page, staffName: string, pin: string): Promise<void> {
  const form = page.getByRole('form', { name: /Sign in|로그인/ });
  await form.getByRole('radio', { name: new RegExp(staffName) }).check();
  await form.getByLabel(/^(PIN)$/).fill(pin);
  await form.getByRole('button', { name: /^(Sign in|로그인)$/ }).click();
}

/**
 * A new page on the app (which opens in Korean on its check-in screen), collecting page errors;
 * switched to English and to the Sync screen when asked.
 */
export async function openAppPage(
  browser: Browser,
  app: BrowserModeApp,
  opts: { height?: number; english?: boolean; syncScreen?: boolean } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: opts.height ?? 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.openUrl);
  await page.getByRole('heading', { name: '체크인' }).waitFor({ timeout: 30_000 });
  if (opts.english ?? true) await page.getByText('English', { exact: true }).click();
  if (opts.syncScreen) await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sync' }).click();
  return { page, errors };
}

/**
 * Answers the consent part of the walk-in form as the person would (issue #22: nothing is chosen for them):
 * their career stage, their sharing choice, and the staff member's confirmation.
 */
export async function answerWalkInConsent(page: Page, dialog: Locator, opts: { korean?: boolean; stage?: string; share?: boolean } = {}): Promise<void> {
  const ko = opts.korean ?? false;
  await dialog.getByRole('textbox', { name: ko ? /^경력 단계/ : /^Career stage/ }).click();
  await page.getByRole('option', { name: opts.stage ?? (ko ? '박사후연구원' : 'Postdoc') }).click();
  const choice = opts.share ? (ko ? /^이번 투어에 참여하는 모든 기관/ : /^All institutions taking part/) : ko ? /^본부 통계용으로만/ : /^HQ statistics only/;
  await dialog.getByRole('radio', { name: choice }).check();
  await dialog.getByRole('checkbox', { name: ko ? /직접 선택했습니다/ : /made this choice themselves/ }).check();
}

/** The desk's own API, as its page calls it (browser mode: the per-launch token from the page's address). */
export async function callDeskApi<T = unknown>(app: BrowserModeApp, channel: string, input: unknown): Promise<T> {
  const url = new URL(app.openUrl);
  const token = /token=([\w-]+)/.exec(url.hash)![1]!;
  const res = await fetch(`${url.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { code: string } };
  if (!body.ok) throw new Error(`${channel}: ${body.error?.code}`);
  return body.value;
}
