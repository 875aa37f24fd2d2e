import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';
import { ADMIN, createDashboardHq, syncTwoStops, type DashboardHq } from '../helpers/tourScenario';

let hq: DashboardHq;
let browser: Browser;
let base: string;

beforeAll(async () => {
  hq = await createDashboardHq();
  hq.clock.now = Date.now();
  await syncTwoStops(hq);
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hq?.close();
});

describe('HQ dashboard in Chromium', () => {
  it('signs in, shows two stops side by side with charts, resolves a conflict, exports a follow-up list', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    await page.goto(`${base}/dashboard?lang=en`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.screenshot({ path: screenshotPath('hq-dashboard-sign-in-en') });
    await page.getByRole('button', { name: 'Sign in' }).click();

    const table = page.getByRole('table', { name: 'Every stop side by side' });
    await expect.poll(() => table.getByRole('columnheader').allInnerTexts()).toEqual(['Figure', '1 Boston\n2025-10-20', '5-1 Chicago\n2025-12-05']);
    await expect.poll(() => table.getByRole('row', { name: /^Checked in/ }).innerText()).toBe('Checked in\t1\t1');
    // Chart.js drew on the canvases (a blank canvas has no non-transparent pixel).
    type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    const drawn = await page.locator('canvas#chart-attendance').evaluate((el) => {
      const c = el as unknown as Canvas;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
      return false;
    });
    expect(drawn).toBe(true);
    await page.screenshot({ path: screenshotPath('hq-dashboard-overview-en'), fullPage: true });

    await page.getByRole('link', { name: '한국어' }).click();
    await expect.poll(() => page.getByRole('table', { name: '모든 행사 한눈에 보기' }).getByRole('columnheader').allInnerTexts()).toEqual(['항목', '1 보스턴\n2025-10-20', '5-1 시카고\n2025-12-05']);
    await page.screenshot({ path: screenshotPath('hq-dashboard-overview-ko'), fullPage: true });
    await page.getByRole('link', { name: 'English' }).click();

    await page.getByRole('link', { name: 'Conflicts' }).click();
    const conflicts = page.getByRole('table', { name: 'Conflicts of the whole tour' });
    await expect.poll(() => conflicts.getByRole('row').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('hq-dashboard-conflicts-en'), fullPage: true });
    await page.getByRole('button', { name: /^Void the later check-in of 김민준/ }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Resolved. The decision is an event; laptops receive it at their next sync.');
    await expect.poll(() => page.getByText('No open conflicts.').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('hq-dashboard-conflict-resolved-en'), fullPage: true });

    await page.getByRole('link', { name: 'Same person' }).click();
    await page.screenshot({ path: screenshotPath('hq-dashboard-matches-en'), fullPage: true });
    await page.getByRole('button', { name: /^Confirm: Min-jun Kim \(5-1 Chicago\) is 김민준 · Minjun Kim \(1 Boston\)/ }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Merged. Laptops receive it at their next sync.');

    await page.getByRole('link', { name: 'Follow-up exports' }).click();
    await page.getByLabel('Institution').selectOption('inst-kaist');
    await page.getByLabel('Column language').selectOption('en');
    await page.screenshot({ path: screenshotPath('hq-dashboard-exports-en'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^follow-ups.KAIST.tour.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('mk@mit.edu');
    expect(csv).not.toContain('sora@harvard.edu');

    await page.goto(`${base}/dashboard/stops/stop-boston/report?lang=ko`);
    await page.screenshot({ path: screenshotPath('hq-dashboard-stop-report-ko'), fullPage: true });
    await page.getByRole('link', { name: 'English' }).click();
    await page.goto(`${base}/dashboard/devices`);
    await page.screenshot({ path: screenshotPath('hq-dashboard-devices-en'), fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  });
});
