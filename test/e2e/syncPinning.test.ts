import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { AdminStore } from '../../hq/server/admin/adminStore';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { HqProjections } from '../../hq/server/hqProjections';
import { openStore } from '../../core/store/openStore';
import { buildHqApp } from '../../hq/server/hqApp';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { loadOrCreateSelfSigned, pinText, type TlsMaterial } from '../../hq/server/tls';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp, openAppPage } from '../helpers/browser';
import { tempDir } from '../helpers/testStore';

let app: BrowserModeApp;
let browser: Browser;
let hub: { app: FastifyInstance; storage: SqliteHqStorage; tls: TlsMaterial; url: string };
beforeAll(async () => {
  const dir = tempDir('roadshow-hub-e2e-');
  const tls = loadOrCreateSelfSigned(dir);
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const server = buildHqApp({ storage, https: { key: tls.key, cert: tls.cert } });
  await server.listen({ host: '127.0.0.1', port: 0 });
  hub = { app: server, storage, tls, url: `https://127.0.0.1:${(server.server.address() as { port: number }).port}` };
  app = await startBrowserMode();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await hub?.app.close();
  await hub?.storage.close();
});

describe('pinning a venue hub certificate in real Chromium', () => {
  it('refuses a wrong fingerprint with a clear error, then enrolls with the right one (English and Korean)', async () => {
    const { page, errors } = await openAppPage(browser, app, { height: 1100, syncScreen: true });

    await page.getByRole('textbox', { name: 'HQ address' }).fill(hub.url);
    await page.getByRole('textbox', { name: 'Certificate fingerprint (SHA-256)' }).fill('12'.repeat(32));
    await page.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => page.getByText('HQ address saved.').count()).toBe(1);
    const code = (await issueEnrollmentCode(hub.storage, { label: 'e2e' })).code;
    await page.getByRole('textbox', { name: 'Enrollment code' }).fill(code);
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'does not match the fingerprint you entered' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('sync-pin-mismatch-en'), fullPage: true });

    await page.getByText('한국어', { exact: true }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '입력한 지문과 일치하지 않습니다' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('sync-pin-mismatch-ko'), fullPage: true });

    await page.getByRole('textbox', { name: '인증서 지문 (SHA-256)' }).fill(hub.tls.fingerprint);
    await page.getByRole('button', { name: '주소 저장' }).click();
    await expect.poll(() => page.getByText(`신뢰하는 인증서: ${hub.tls.fingerprint}`).count()).toBe(1);
    await page.getByRole('textbox', { name: '등록 코드' }).fill(code);
    await page.getByRole('button', { name: '등록', exact: true }).click();
    await expect.poll(async () => (await hub.storage.listDevices()).length, { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: screenshotPath('sync-pin-ok-ko'), fullPage: true });
    expect(errors).toEqual([]);
  }, 90_000);

  it('the hub dashboard shows its certificate for desks to pin (English and Korean)', async () => {
    const dir = tempDir('roadshow-hub-e2e-dash-');
    const tls = loadOrCreateSelfSigned(dir);
    const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
    const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
    const projections = new HqProjections(store, storage);
    const admin = new AdminStore(path.join(dir, 'hq-admin.sqlite'));
    admin.addAdmin('admin@hq.example', 'HQ Admin', 'correct horse battery');
    const dashboard = { storage, projections, admin, dataDir: dir, secureCookies: true };
    const server = buildHqApp({ storage, projections, https: { key: tls.key, cert: tls.cert }, dashboard });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = `https://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    Object.assign(dashboard, { hubPin: { address, fingerprint: tls.fingerprint, qrDataUrl: await QRCode.toDataURL(pinText(address, tls.fingerprint), { margin: 2, width: 400 }) } });
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 1000 } });
    try {
      const page = await context.newPage();
      await page.goto(`${address}/dashboard/sign-in?lang=en`);
      await page.getByLabel('Email').fill('admin@hq.example');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.goto(`${address}/dashboard/enrollment?lang=en`);
      await expect.poll(() => page.getByRole('region', { name: 'This hub’s certificate' }).count()).toBe(1);
      await expect.poll(() => page.getByText(tls.fingerprint).count()).toBe(1);
      await expect.poll(() => page.getByRole('img', { name: 'QR code with the address and fingerprint' }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      await page.screenshot({ path: screenshotPath('hub-pin-dashboard-en'), fullPage: true });
      await page.goto(`${address}/dashboard/enrollment?lang=ko`);
      await expect.poll(() => page.getByRole('img', { name: '주소와 지문이 담긴 QR 코드' }).count()).toBe(1);
      await page.screenshot({ path: screenshotPath('hub-pin-dashboard-ko'), fullPage: true });
    } finally {
      await context.close();
      await server.close();
      projections.stop();
      await storage.close();
      store.close();
      admin.close();
    }
  }, 60_000);
});
