import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { loadOrCreateSelfSigned, type TlsMaterial } from '../../hq/server/tls';
import { formatHubInvite } from '../../shared/sync/hubInvite';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp, openAppPage } from '../helpers/browser';
import { tempDir } from '../helpers/testStore';

interface Hub {
  app: FastifyInstance;
  storage: SqliteHqStorage;
  tls: TlsMaterial;
  url: string;
  closed: boolean;
  close(): Promise<void>;
  invite(): Promise<string>;
}

/** A venue hub on loopback: the HQ server on HTTPS with its own self-signed certificate, as `npm run hq -- --hub` runs it. */
async function startHub(): Promise<Hub> {
  const dir = tempDir('roadshow-e2e-hub-');
  const tls = loadOrCreateSelfSigned(dir);
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const server = buildHqApp({ storage, https: { key: tls.key, cert: tls.cert } });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const url = `https://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  const hub: Hub = {
    app: server,
    storage,
    tls,
    url,
    closed: false,
    async close() {
      if (hub.closed) return;
      hub.closed = true;
      await server.close();
      await storage.close();
    },
    invite: async () => formatHubInvite({ url, certFingerprint: tls.fingerprint, code: (await issueEnrollmentCode(storage, { label: 'desk' })).code }),
  };
  return hub;
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const hubs: Hub[] = [];
const apps: BrowserModeApp[] = [];
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const a of apps) await a.stop();
  for (const h of hubs) await h.close();
});

async function openDesk(language: 'English' | '한국어' = 'English'): Promise<{ page: Page; errors: string[] }> {
  const app = await startBrowserMode();
  apps.push(app);
  return openAppPage(browser, app, { english: language === 'English' });
}

async function joinHub(page: Page, invite: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sync' }).click();
  const section = page.getByRole('region', { name: 'Venue hub', exact: true });
  await section.getByRole('textbox', { name: 'Hub code' }).fill(invite);
  await section.getByRole('button', { name: 'Connect to hub' }).click();
  await expect.poll(() => page.getByRole('status', { name: 'Venue hub: Online' }).count(), { timeout: 30_000 }).toBe(1);
}

describe('venue hub on the Sync screen in real Chromium', () => {
  it('explains a hub that is not running, joins a running one by its code, and shows it offline once it stops (English and Korean)', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const deadUrl = `https://127.0.0.1:${await closedPort()}`;
    const { page, errors } = await openDesk();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sync' }).click();
    const section = page.getByRole('region', { name: 'Venue hub', exact: true });
    await expect.poll(() => section.getByRole('textbox', { name: 'Hub code' }).count()).toBe(1);

    // Not an invite: said at once, nothing filled in.
    await section.getByRole('textbox', { name: 'Hub code' }).fill('K7QD-93MX-T2HB-4ZRA');
    await expect.poll(() => section.getByText(/This is not a hub code/).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('hub-invite-invalid-en'), fullPage: true });

    // The invite of a hub that is not running: the fields fill in, connecting says the hub cannot be reached.
    await section.getByRole('textbox', { name: 'Hub code' }).fill(formatHubInvite({ url: deadUrl, certFingerprint: hub.tls.fingerprint, code: 'K7QD-93MX-T2HB-4ZRA' }));
    expect(await section.getByRole('textbox', { name: 'Hub address' }).inputValue()).toBe(deadUrl);
    expect(await section.getByRole('textbox', { name: 'Fingerprint of the hub’s certificate (SHA-256)' }).inputValue()).toBe(hub.tls.fingerprint);
    expect(await section.getByRole('textbox', { name: 'Join code' }).inputValue()).toBe('K7QD-93MX-T2HB-4ZRA');
    await section.getByRole('textbox', { name: 'Name of this desk at the hub' }).fill('Desk A, entrance');
    await section.getByRole('button', { name: 'Connect to hub' }).click();
    await expect.poll(() => section.getByRole('alert').filter({ hasText: 'The hub cannot be reached' }).count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: screenshotPath('hub-unreachable-en'), fullPage: true });

    // The running hub's invite: joined, online, automatic sync on; the header shows the hub.
    const code = (await issueEnrollmentCode(hub.storage, { label: 'Desk A' })).code;
    await section.getByRole('textbox', { name: 'Hub code' }).fill(formatHubInvite({ url: hub.url, certFingerprint: hub.tls.fingerprint, code }));
    await section.getByRole('button', { name: 'Connect to hub' }).click();
    await expect.poll(() => section.getByText('Connected to the hub.').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByRole('status', { name: 'Venue hub: Online' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await section.getByRole('switch', { name: 'Sync with the hub automatically' }).isChecked()).toBe(true);
    await expect.poll(() => section.getByRole('row', { name: /Events of this desk not yet at the hub 0/ }).count(), { timeout: 30_000 }).toBe(1);
    expect((await hub.storage.listDevices()).length).toBe(1);
    await page.screenshot({ path: screenshotPath('hub-connected-en'), fullPage: true });

    await page.getByText('한국어', { exact: true }).click();
    const ko = page.getByRole('region', { name: '현장 허브', exact: true });
    await expect.poll(() => ko.getByRole('switch', { name: '허브와 자동 동기화' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('status', { name: '현장 허브: 연결됨' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('hub-connected-ko'), fullPage: true });

    // The hub stops: the desk carries on, and says so.
    await hub.close();
    await expect.poll(() => page.getByRole('status', { name: '현장 허브: 오프라인' }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => ko.getByRole('row', { name: /마지막 시도 실패/ }).filter({ hasText: '허브에 연결할 수 없습니다' }).count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: screenshotPath('hub-offline-ko'), fullPage: true });
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Venue hub: Offline' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('hub-offline-en'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a check-in at desk A shows on desk B’s check-in screen by itself, through the hub', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const [a, b] = [await openDesk(), await openDesk()];
    await joinHub(a.page, await hub.invite());
    await joinHub(b.page, await hub.invite());

    // Desk A: someone not checked in yet.
    await a.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Check-in' }).click();
    await a.page.getByRole('textbox', { name: 'Search attendees' }).fill('a');
    const checkIn = a.page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /^Check in / }).first();
    await expect.poll(() => checkIn.count(), { timeout: 30_000 }).toBe(1);
    const name = (await checkIn.getAttribute('aria-label'))!.replace(/^Check in /, '');

    // Desk B shows that person, not checked in.
    await b.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Check-in' }).click();
    await b.page.getByRole('textbox', { name: 'Search attendees' }).fill(name);
    const rowB = b.page.getByRole('list', { name: 'Search results' }).getByRole('listitem', { name, exact: true });
    await expect.poll(() => rowB.getByRole('button', { name: `Check in ${name}`, exact: true }).count(), { timeout: 30_000 }).toBe(1);
    const checkedInB = Number(((await b.page.getByLabel(/^Checked in: \d+$/).getAttribute('aria-label')) ?? '').replace(/\D/g, ''));

    await checkIn.click();
    await expect.poll(() => a.page.getByRole('status', { name: 'Checked in' }).count()).toBe(1);

    // Nobody touches desk B: the hub brings the check-in, the screen shows it.
    await expect.poll(() => rowB.getByRole('button', { name: `Undo check-in of ${name}`, exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => b.page.getByLabel(`Checked in: ${checkedInB + 1}`, { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await b.page.screenshot({ path: screenshotPath('hub-live-checkin-desk-b-en'), fullPage: true });
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
