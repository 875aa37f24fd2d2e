import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openAppPage, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { cliEnrollCode, runHqCli, startHqProcess, type HqProcess } from '../helpers/hqProcess';
import { tempDir } from '../helpers/testStore';

/**
 * Issue #22, README "Try the demo with HQ", step by step: the desk on its demo data (`npm start`), a
 * fresh HQ (`npm run hq`), an enrollment code and a dashboard user from HQ's command line, the Sync
 * screen, then HQ's dashboard: the desk's stop is listed with its figures, with no seeding step.
 */
let app: BrowserModeApp;
let hq: HqProcess;
let browser: Browser;
const hqData = tempDir('roadshow-e2e-hq-');
const ADMIN = { email: 'you@example.org', password: 'a long enough password' };

beforeAll(async () => {
  app = await startBrowserMode(); // npm start: the demo tour, the stop lead signed in
  hq = await startHqProcess(hqData); // npm run hq, on a fresh data folder
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await hq?.kill('SIGTERM');
  rmSync(hqData, { recursive: true, force: true });
});

describe('the demo desk syncs to a fresh HQ, as the README walks through it', () => {
  it('HQ’s dashboard lists the desk’s stop with the figures the desk shows', async () => {
    const code = cliEnrollCode(hqData, ['--label', 'Desk A']); // npm run hq -- enroll-code --label "Desk A"
    runHqCli(hqData, ['add-admin', ADMIN.email], { HQ_ADMIN_PASSWORD: ADMIN.password }); // HQ_ADMIN_PASSWORD=… npm run hq -- add-admin you@example.org

    const { page, errors } = await openAppPage(browser, app, { height: 900 });
    // What the desk shows of its stop before the sync.
    const counts = page.getByRole('group', { name: 'Counts for this stop' });
    await expect.poll(() => counts.getByLabel(/^Registered: \d+$/).count()).toBe(1);
    const registered = Number(/\d+/.exec((await counts.getByLabel(/^Registered: \d+$/).getAttribute('aria-label'))!)![0]);
    const checkedIn = Number(/\d+/.exec((await counts.getByLabel(/^Checked in: \d+$/).getAttribute('aria-label'))!)![0]);
    // The header's stop picker reads "3 · New York · 2025-…"; HQ's dashboard names the stop "3 New York".
    const [round, city] = (await page.getByRole('banner').getByRole('textbox', { name: 'Current stop' }).inputValue()).split(' · ');
    const stopName = `${round} ${city}`;

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sync' }).click();
    await page.getByRole('textbox', { name: 'HQ address' }).fill(hq.url);
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => page.getByText('HQ address saved.').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Enrollment code' }).fill(code);
    await page.getByRole('textbox', { name: 'Name of this laptop at HQ' }).fill('Desk A');
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    // HQ takes the demo's events before it answers a demo desk's enrollment (a few seconds on a busy machine).
    await expect.poll(() => page.getByText('Enrolled: this laptop can sync with HQ.').count(), { timeout: 60_000 }).toBe(1);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: 'Sync now' }).click();
    // A look at the progress while it runs (it may be over before the bar shows: not asserted here).
    await page
      .getByRole('progressbar', { name: 'Sync progress' })
      .waitFor({ timeout: 5_000 })
      .then(() => page.screenshot({ path: screenshotPath('demo-desk-sync-progress-en') }))
      .catch(() => undefined);
    await expect.poll(() => page.getByText(/^Sent \d+, received \d+, conflicts \d+\.$/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/^HQ holds all \d+ events? of this laptop\.$/).count()).toBe(1);
    // The header and the Sync card show one figure: nothing left to send.
    await expect.poll(() => page.getByRole('banner').getByText('0 events not yet at HQ').count()).toBe(1);
    await expect.poll(() => page.getByRole('row', { name: /^Events not yet at HQ/ }).innerText()).toMatch(/\t0$/);
    await page.screenshot({ path: screenshotPath('demo-desk-synced-en'), fullPage: true });

    const dash = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    dash.on('pageerror', (e) => errors.push(e.message));
    await dash.goto(`${hq.url}/dashboard?lang=en`);
    await dash.getByLabel('Email').fill(ADMIN.email);
    await dash.getByLabel('Password').fill(ADMIN.password);
    await dash.getByRole('button', { name: 'Sign in' }).click();
    const table = dash.getByRole('table', { name: 'Every stop side by side' });
    await expect.poll(() => table.count(), { timeout: 30_000 }).toBe(1);
    expect(await dash.getByText(/No stops at HQ yet/).count()).toBe(0);
    const headers = await table.getByRole('columnheader').allInnerTexts();
    const col = headers.findIndex((h) => h.split('\n')[0] === stopName);
    expect(col, `${stopName} among ${headers.join(' | ')}`).toBeGreaterThan(0);
    const cell = async (row: RegExp) => Number((await table.getByRole('row', { name: row }).getByRole('cell').nth(col - 1).innerText()).trim());
    await expect.poll(() => cell(/^Registered/)).toBe(registered);
    await expect.poll(() => cell(/^Checked in/)).toBe(checkedIn);
    await dash.screenshot({ path: screenshotPath('demo-desk-at-hq-en'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
