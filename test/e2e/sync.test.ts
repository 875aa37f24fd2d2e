import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp, openAppPage } from '../helpers/browser';
import { startHttpHq, type HttpHq } from '../helpers/hqHttp';

let app: BrowserModeApp;
let browser: Browser;
let hq: HttpHq;
beforeAll(async () => {
  hq = await startHttpHq();
  app = await startBrowserMode();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await hq?.close();
});

describe('end-of-day sync in real Chromium', () => {
  it('sets up HQ, enrolls, syncs with a summary, and proves HQ holds everything (English and Korean)', async () => {
    const { page, errors } = await openAppPage(browser, app, { height: 1000, syncScreen: true });
    await expect.poll(() => page.getByRole('status', { name: /Connection to HQ: HQ not set up/ }).count()).toBe(1);

    await page.getByRole('textbox', { name: 'HQ address' }).fill('http://hq.example.org');
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'must start with https://' }).count()).toBe(1);
    await page.getByRole('textbox', { name: 'HQ address' }).fill(hq.url);
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => page.getByText('HQ address saved.').count()).toBe(1);
    await page.getByRole('textbox', { name: 'Enrollment code' }).fill(await hq.newCode());
    await page.getByRole('textbox', { name: 'Name of this laptop at HQ' }).fill('Desk A, New York');
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await expect.poll(() => page.getByText('Enrolled: this laptop can sync with HQ.').count()).toBe(1);

    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.getByText(/^Sent \d+, received \d+, conflicts 0\.$/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/^HQ holds all \d+ events? of this laptop\.$/).count()).toBe(1);
    await page.getByRole('button', { name: 'Check that HQ holds everything' }).click();
    await page.reload();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sync' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Connection to HQ: Online with HQ' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('row', { name: /Last successful sync/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Check that HQ holds everything' }).click();
    await expect.poll(() => page.getByText(/^HQ holds all \d+ events? of this laptop\.$/).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('sync-en'), fullPage: true });

    await page.getByText('한국어', { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: '동기화', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: '본부가 모두 받았는지 확인' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /이벤트 \d+건을 모두 보관하고 있습니다/ }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('sync-ko'), fullPage: true });

    // HQ goes away: the next sync says why, in Korean.
    await hq.close();
    await page.getByRole('button', { name: '지금 동기화' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '본부에 연결할 수 없습니다' }).count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: screenshotPath('sync-ko-offline'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
