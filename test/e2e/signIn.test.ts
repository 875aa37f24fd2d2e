import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, signIn, startBrowserMode, type BrowserModeApp } from '../helpers/browser';

/** PIN checks are slow on purpose (scrypt); a loaded CI machine needs more than the default second. */
const SLOW = { timeout: 20_000 };

let app: BrowserModeApp;
let browser: Browser;
beforeAll(async () => {
  app = await startBrowserMode({ signedIn: false, args: ['--lock-minutes', '1'] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('staff sign-in in real Chromium', () => {
  it('opens locked in Korean, refuses a wrong PIN, signs in the stop lead, and locks again', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.openUrl);
    await expect.poll(() => page.getByRole('form', { name: '로그인' }).count()).toBe(1);
    expect(await page.getByRole('navigation').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('signin-locked-ko'), fullPage: true });

    // The API itself refuses a locked desk, whatever the page shows.
    const refused = await page.evaluate(`(async () => {
      const token = sessionStorage.getItem('roadshow.launchToken');
      const res = await fetch('/api/stops:list', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: '{}' });
      return res.json();
    })()`);
    expect(refused).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });

    await signIn(page, 'Kim Minji', '000000');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'PIN이 틀렸습니다' }).count(), SLOW).toBe(1);
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Sign in' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('signin-locked-en'), fullPage: true });
    await signIn(page, 'Kim Minji', '111111');
    await expect.poll(() => page.getByRole('heading', { name: 'Check-in' }).count(), SLOW).toBe(1);
    await expect.poll(() => page.getByRole('group', { name: 'Signed in: Kim Minji (Stop lead)' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('signin-signed-in-en'), fullPage: true });
    // The stop lead's part of Settings: staff and backups.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Staff of this desk' }).getByText('Park Jiwoo').count(), SLOW).toBe(1);
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Backups on this laptop' }).count(), SLOW).toBe(1);
    await page.screenshot({ path: screenshotPath('security-settings-en'), fullPage: true });
    await page.getByRole('banner').getByText('한국어', { exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: '이 데스크의 직원' }).count(), SLOW).toBe(1);
    await page.screenshot({ path: screenshotPath('security-settings-ko'), fullPage: true });
    await page.getByRole('banner').getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Staff of this desk' }).count(), SLOW).toBe(1);
    await page.getByRole('button', { name: 'Lock this desk' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Sign in' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
