import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';

let app: BrowserModeApp;
let browser: Browser;
beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('browser mode in real Chromium', () => {
  it('opens on the demo data in Korean, switches to English, finds and checks in a person', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.openUrl);
    await expect.poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: screenshotPath('smoke-ko'), fullPage: true });

    // Mantine's segmented control hides the radio input under its visible label: click what a person sees.
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Check-in' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('navigation', { name: 'Main navigation' }).count()).toBe(1);

    const registered = await page.getByLabel(/^Registered: \d+$/).textContent();
    expect(Number(registered)).toBeGreaterThan(0);
    const checkedInBefore = Number(await page.getByLabel(/^Checked in: \d+$/).textContent());

    const search = page.getByRole('textbox', { name: 'Search attendees' });
    await search.fill('');
    const list = page.getByRole('list', { name: 'Search results' });
    await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThan(0);
    const target = list.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Check in / }) }).first();
    const name = (await target.getAttribute('aria-label'))!;
    await search.fill(name.replace(/ \(.*\)$/, ''));
    await expect.poll(() => list.getByRole('listitem', { name }).count()).toBeGreaterThan(0);
    await list.getByRole('button', { name: `Check in ${name}` }).first().click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is checked in' }).count()).toBe(1);
    await expect.poll(async () => Number(await page.getByLabel(/^Checked in: \d+$/).textContent())).toBe(checkedInBefore + 1);
    await page.screenshot({ path: screenshotPath('smoke-en-checked-in'), fullPage: true });

    // The language choice persists across a reload (it is stored locally, not in the page).
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Check-in' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('refuses API calls from a page that lacks the launch token', async () => {
    const page = await browser.newPage();
    await page.goto(app.openUrl.replace(/#token=.*/, ''));
    const status = await page.evaluate(async () => (await fetch('/api/stops:list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
    expect(status).toBe(401);
  });
});
