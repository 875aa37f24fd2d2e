import { createServer } from 'node:net';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHubInvite } from '../../shared/sync/hubInvite';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp, openAppPage } from '../helpers/browser';

/** A port nothing listens on (bound on every interface, as the hub binds, then released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '0.0.0.0', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Scrolls the card to just below the app's sticky header, so its screenshot shows it whole. */
async function showWhole(card: Locator): Promise<void> {
  const box = await card.boundingBox(); // relative to the viewport
  await card.page().evaluate(`window.scrollBy(0, ${Math.round((box?.y ?? 0) - 80)})`);
}

const apps: BrowserModeApp[] = [];
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const a of apps) await a.stop();
});

describe('running the venue hub from the Sync screen in real Chromium', () => {
  it('starts the hub (QR code, join code, this desk joined), shows it in English and Korean, and stops it', async () => {
    const port = await freePort();
    const app = await startBrowserMode({ args: ['--hub-port', String(port)] });
    apps.push(app);
    const { page, errors } = await openAppPage(browser, app, { height: 1300, syncScreen: true });

    const card = page.getByRole('region', { name: 'Run the venue hub on this laptop' });
    await expect.poll(() => card.getByRole('button', { name: 'Start the hub' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await card.getByRole('textbox', { name: 'Hub code from HQ (optional)' }).count()).toBe(1);
    await showWhole(card);
    await card.screenshot({ path: screenshotPath('hub-serve-start-en') });
    await card.getByRole('button', { name: 'Start the hub' }).click();

    const qr = card.getByRole('img', { name: 'QR code to join this hub (address, certificate fingerprint and join code)' });
    await expect.poll(() => qr.count(), { timeout: 30_000 }).toBe(1);
    // Legible: the QR code is drawn large, not squeezed by the details beside it.
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(240);
    expect(box.height).toBeGreaterThanOrEqual(240);
    // The invite text under it is the one the desks paste: this hub's address on the chosen port, its pin and join code.
    const invite = parseHubInvite(await card.getByLabel('Hub code as text').innerText())!;
    expect(invite.url).toMatch(new RegExp(`^https://.+:${port}$`));
    expect(invite.certFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const details = card.getByRole('table', { name: 'Hub details' });
    expect(await card.getByLabel('Venue join code').innerText()).toBe(invite.code);
    await expect.poll(() => details.getByText('1 desk (this laptop included)').count(), { timeout: 30_000 }).toBe(1);

    // This laptop's own desk is joined to its hub, online; the stop can be checked at the hub.
    await expect.poll(() => page.getByRole('status', { name: 'Venue hub: Online' }).count(), { timeout: 30_000 }).toBe(1);
    const hubSection = page.getByRole('region', { name: 'Venue hub', exact: true });
    expect(await hubSection.getByText('This laptop runs the hub: its own desk syncs with it directly.').count()).toBe(1);
    const close = page.getByRole('region', { name: 'Close the stop' });
    await expect.poll(() => close.getByRole('button', { name: /^Check .+ at the venue hub$/ }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => hubSection.getByRole('row', { name: /Events of this desk not yet at the hub 0/ }).count(), { timeout: 30_000 }).toBe(1);
    await close.getByRole('button', { name: /^Check .+ at the venue hub$/ }).click();
    await expect.poll(() => close.getByRole('columnheader', { name: 'At the hub' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await close.getByRole('status').innerText()).toMatch(/hub/);
    await showWhole(close);
    await close.screenshot({ path: screenshotPath('hub-serve-closing-check-en') });

    await showWhole(card);
    await card.screenshot({ path: screenshotPath('hub-serve-en') });
    await page.screenshot({ path: screenshotPath('hub-serve-page-en'), fullPage: true });

    await page.getByText('한국어', { exact: true }).click();
    const ko = page.getByRole('region', { name: '이 노트북에서 현장 허브 실행' });
    await expect.poll(() => ko.getByRole('img', { name: '이 허브에 참여하는 QR 코드 (주소, 인증서 지문, 참여 코드)' }).count()).toBe(1);
    await expect.poll(() => ko.getByText('데스크 1대 (이 노트북 포함)').count()).toBe(1);
    await showWhole(ko);
    await ko.screenshot({ path: screenshotPath('hub-serve-ko') });

    // Stop, after the confirmation: back to the start form; this desk's link to its own hub is gone.
    await ko.getByRole('button', { name: '허브 중지' }).click();
    const dialog = page.getByRole('dialog', { name: '허브를 중지할까요?' });
    await expect.poll(() => dialog.count()).toBe(1);
    await page.waitForTimeout(500); // the dialog's opening transition, for the screenshot only
    await page.screenshot({ path: screenshotPath('hub-serve-stop-ko') });
    await dialog.getByRole('button', { name: '허브 중지' }).click();
    await expect.poll(() => ko.getByRole('button', { name: '허브 시작' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await ko.getByText('허브를 중지했습니다. 데스크는 오프라인으로 계속 일합니다.').count()).toBe(1);
    expect(await ko.getByRole('img').count()).toBe(0);
    await expect.poll(() => page.getByRole('region', { name: '현장 허브', exact: true }).getByRole('textbox', { name: '허브 주소' }).count(), { timeout: 30_000 }).toBe(1);
    expect(errors).toEqual([]);
  });
});
