// The installed app, started for real: run only by .github/workflows/installers.yml after `npm run dist`, on
// each OS where Electron can be downloaded (never by `npm test`: it needs the packaged app). Playwright's
// Electron support launches the packaged executable, a person's steps follow: sign in as the demo stop lead,
// check someone in, look at Settings → Updates, quit.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../core/security/demoStaff';

const root = path.resolve(import.meta.dirname, '..', '..');
const release = path.join(root, 'release');
const shots = path.join(root, 'test-results', 'electron-smoke');
/** Generous waits: a fresh CI runner starts the app cold; nothing here is a timing assertion. */
const SLOW = { timeout: 60_000 };

/** The packaged executable electron-builder left in release/ (ROADSHOW_APP_PATH overrides). */
export function packagedExecutable(platform: NodeJS.Platform = process.platform, dir = release): string {
  if (process.env.ROADSHOW_APP_PATH) return process.env.ROADSHOW_APP_PATH;
  const candidates: string[] = [];
  const subdirs = existsSync(dir) ? readdirSync(dir) : [];
  for (const sub of subdirs) {
    if (platform === 'win32' && /^win(-\w+)?-unpacked$/.test(sub)) candidates.push(path.join(dir, sub, 'Roadshow Desk.exe'));
    if (platform === 'darwin' && /^mac(-\w+)?$/.test(sub)) candidates.push(path.join(dir, sub, 'Roadshow Desk.app', 'Contents', 'MacOS', 'Roadshow Desk'));
    if (platform === 'linux' && /^linux(-\w+)?-unpacked$/.test(sub)) candidates.push(path.join(dir, sub, 'roadshow-desk'));
  }
  // The runner's own architecture first (macos-latest is arm64: release/mac-arm64).
  candidates.sort((a, b) => Number(b.includes(process.arch)) - Number(a.includes(process.arch)));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`No packaged app in ${dir} for ${platform} (looked for ${candidates.join(', ') || 'release/*-unpacked'}). Run npm run dist first.`);
  return found;
}

let app: ElectronApplication | null = null;
afterAll(async () => {
  await app?.close().catch(() => undefined);
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${process.platform}-${name}.png`) });
}

describe('the packaged app', () => {
  it('starts, signs in the demo stop lead, checks someone in, shows its update status and quits cleanly', async () => {
    const lead = DEMO_STAFF.find((s) => s.role === 'stop_lead')!;
    app = await electron.launch({ executablePath: packagedExecutable(), timeout: 120_000 });
    const page = await app.firstWindow();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1366, height: 768 });

    // Locked on first start, in Korean; English on the lock screen.
    const form = page.getByRole('form', { name: /Sign in|로그인/ });
    await expect.poll(() => form.count(), SLOW).toBe(1);
    await page.getByText('English', { exact: true }).first().click();
    await expect.poll(() => page.getByRole('form', { name: 'Sign in' }).count(), SLOW).toBe(1);
    await shot(page, 'locked');
    await form.getByRole('radio', { name: new RegExp(lead.name) }).check();
    await form.getByLabel(/^PIN$/).fill(lead.pin);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Check-in' }).count(), SLOW).toBe(1);

    // Check someone in from the search results.
    await page.getByRole('textbox', { name: 'Search attendees' }).fill('Kim');
    const results = page.getByRole('list', { name: 'Search results' });
    const checkIn = results.getByRole('button', { name: /^Check in / }).first();
    await expect.poll(() => checkIn.count(), SLOW).toBe(1);
    const who = (await checkIn.getAttribute('aria-label'))!.replace(/^Check in /, '');
    await checkIn.click();
    await expect.poll(() => page.getByRole('status', { name: 'Checked in' }).filter({ hasText: who.split(' (')[0]! }).count(), SLOW).toBe(1);
    await shot(page, 'checked-in');

    // The updater loaded in the packaged app and reports on this build (no feed in CI builds).
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
    const updates = page.getByRole('region', { name: 'Updates' });
    await expect.poll(() => updates.getByText(/update address|downloaded in the background|announced here/).count(), SLOW).toBeGreaterThan(0);
    await shot(page, 'settings-updates');
    expect(errors).toEqual([]);

    // Quit as a person would (the store is closed on the way out) and expect a clean exit.
    const exited = new Promise<number | null>((resolve) => app!.process().once('exit', (code) => resolve(code)));
    await app.evaluate(({ app: electronApp }) => electronApp.quit());
    expect(await exited).toBe(0);
    app = null;
  });
});
