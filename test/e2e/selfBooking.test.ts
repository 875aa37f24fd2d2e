import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore, type Store } from '../../core/store/openStore';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { LinkSigner } from '../../hq/server/links/signedLinks';
import { selfBookingLink } from '../../hq/server/selfBooking/selfBookingRoutes';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { formatName } from '../../renderer/i18n/formatName';
import type { FastifyInstance } from 'fastify';
import { callDeskApi, launchBrowser, openAppPage, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { RESOURCES_DIR, tempDir } from '../helpers/testStore';

/**
 * Issue #21, bullet 5, from the email's link to the desk's booth grid: the demo desk syncs with HQ; an
 * attendee of the desk's stop opens the self-booking link (signed as the confirmation email signs it),
 * books a KAIST slot in English, another attendee in Korean; the desk syncs and its booth grid shows both.
 */
const STOP = 'stop-03-new-york';
const KAIST = `booth-${STOP}-inst-kaist`;
/** 12:30 in New York on the stop's day (14 Nov 2025, EST): every slot of the afternoon is ahead. */
const NOON = Date.parse('2025-11-14T17:30:00Z');

let app: BrowserModeApp;
let browser: Browser;
let hq: { url: string; app: FastifyInstance; store: Store; storage: SqliteHqStorage; projections: HqProjections; dataDir: string };

beforeAll(async () => {
  const dataDir = tempDir('roadshow-e2e-selfbook-');
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const hqApp = buildHqApp({
    storage,
    projections,
    demoEvents: () => buildDemoEvents(loadDemoData(RESOURCES_DIR)),
    // The pages run on the stop's day; sync keeps the real clock (the desk stamps its events with it).
    selfBooking: { storage, projections, dataDir, now: () => NOON },
  });
  await hqApp.listen({ host: '127.0.0.1', port: 0 });
  hq = { url: `http://127.0.0.1:${(hqApp.server.address() as { port: number }).port}`, app: hqApp, store, storage, projections, dataDir };
  app = await startBrowserMode(); // the demo desk, stop lead signed in, at the New York stop
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (hq) {
    await hq.app.close();
    hq.projections.stop();
    await hq.projections.catchUp().catch(() => 0);
    await hq.storage.close();
    hq.store.close();
    rmSync(hq.dataDir, { recursive: true, force: true });
  }
});

interface Person {
  attendeeId: string;
  familyName: string;
  givenName: string;
  nameKo: string;
}

/** People of the stop with both a Latin and a Hangul name and no booking yet (HQ's view). */
function freePeople(store: Store, n: number): Person[] {
  return store.db
    .prepare<[string, string], Person>(
      `SELECT a.id AS attendeeId, a.family_name AS familyName, a.given_name AS givenName, a.name_ko AS nameKo FROM registrations r JOIN attendees a ON a.id = r.attendee_id
       WHERE r.stop_id = ? AND a.family_name <> '' AND a.name_ko <> ''
         AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.attendee_id = a.id AND b.stop_id = ?) ORDER BY a.id LIMIT ${n}`,
    )
    .all(STOP, STOP);
}

/** Books the first free KAIST slot on the self-booking page; answers the slot's label ("13:00–13:15"). */
async function bookFirstKaistSlot(page: Page, buttonName: RegExp): Promise<string> {
  await page.locator(`details#booth-${KAIST} > summary`).click();
  const button = page.getByRole('button', { name: buttonName }).first();
  const label = (await button.getAttribute('aria-label'))!;
  const time = /(\d\d:\d\d–\d\d:\d\d)/.exec(label)![1]!;
  await button.click();
  return time;
}

describe('self-booking from the email link to the desk’s booth grid', () => {
  it('books from the link in English and in Korean; the desk shows both bookings after its sync', async () => {
    // The desk joins HQ (HQ takes the demo tour when a demo desk enrolls) and sends what it has.
    await callDeskApi(app, 'sync:configure', { url: hq.url });
    await callDeskApi(app, 'sync:enroll', { code: (await issueEnrollmentCode(hq.storage, { label: 'Desk A' })).code, label: 'Desk A, New York' });
    await callDeskApi(app, 'sync:now', {});
    await hq.projections.catchUp();
    const [en, ko] = freePeople(hq.store, 2) as [Person, Person];
    expect(ko).toBeDefined();
    // The links, signed as the confirmation email signs them (HQ's own link key in its data folder).
    const signer = LinkSigner.forDataDir(hq.dataDir);
    const linkOf = (p: Person) => selfBookingLink(signer, hq.url, { attendeeId: p.attendeeId, stopId: STOP, expiresAt: '2025-11-15T05:00:00Z' });
    const errors: string[] = [];

    // English (the browser's language), at a laptop's width.
    const enPage = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    enPage.on('pageerror', (e) => errors.push(e.message));
    const enResponse = await enPage.goto(linkOf(en));
    expect(enResponse?.status()).toBe(200);
    expect(enResponse?.headers()['content-security-policy']).toContain("default-src 'none'");
    await expect.poll(() => enPage.getByRole('heading', { name: 'Book a consultation' }).count()).toBe(1);
    await expect.poll(() => enPage.getByText(`Hello, ${en.givenName} ${en.familyName}`).count()).toBe(1);
    await expect.poll(() => enPage.getByText('All times are local times at the venue: America/New_York (EST).').count()).toBe(1);
    await enPage.screenshot({ path: screenshotPath('selfbook-en-1366'), fullPage: false });
    const enTime = await bookFirstKaistSlot(enPage, /^Book KAIST, /);
    await expect.poll(() => enPage.getByRole('status').filter({ hasText: `Booked: KAIST, ${enTime}.` }).count()).toBe(1);
    await expect.poll(() => enPage.getByRole('list', { name: 'Your bookings' }).getByRole('listitem').filter({ hasText: `${enTime} · KAIST` }).count()).toBe(1);
    await enPage.screenshot({ path: screenshotPath('selfbook-en-booked-1366'), fullPage: false });
    // A second booking at the same time, at another booth: refused, the reason beside that slot.
    await enPage.locator(`details#booth-booth-${STOP}-inst-postech > summary`).click();
    await enPage.getByRole('button', { name: `Book POSTECH, ${enTime}` }).click();
    const refusal = enPage.getByRole('alert').filter({ hasText: `You already have a booking at this time (KAIST ${enTime})` });
    await expect.poll(() => refusal.count()).toBe(1);
    await refusal.scrollIntoViewIfNeeded();
    await enPage.screenshot({ path: screenshotPath('selfbook-en-refused-1366'), fullPage: false });
    await enPage.setViewportSize({ width: 390, height: 844 });
    await enPage.screenshot({ path: screenshotPath('selfbook-en-refused-390'), fullPage: false });
    await enPage.goto(linkOf(en));
    await enPage.screenshot({ path: screenshotPath('selfbook-en-390'), fullPage: true });

    // Korean (the browser's language is Korean: no ?lang in the link), on a phone.
    const koContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
    const koPage = await koContext.newPage();
    koPage.on('pageerror', (e) => errors.push(e.message));
    await koPage.goto(linkOf(ko));
    await expect.poll(() => koPage.getByRole('heading', { name: '상담 예약' }).count()).toBe(1);
    await expect.poll(() => koPage.getByText(`${ko.nameKo}님, 안녕하세요`).count()).toBe(1);
    await koPage.screenshot({ path: screenshotPath('selfbook-ko-390'), fullPage: false });
    const koTime = await bookFirstKaistSlot(koPage, /^KAIST .* 예약$/);
    await expect.poll(() => koPage.getByRole('status').filter({ hasText: `예약되었습니다: KAIST, ${koTime}.` }).count()).toBe(1);
    await koPage.screenshot({ path: screenshotPath('selfbook-ko-booked-390'), fullPage: true });
    await koPage.setViewportSize({ width: 1366, height: 768 });
    await koPage.screenshot({ path: screenshotPath('selfbook-ko-booked-1366'), fullPage: false });
    // The language switch keeps the person on their page.
    await koPage.getByRole('link', { name: '이 페이지를 영어로 보기' }).click();
    await expect.poll(() => koPage.getByRole('heading', { name: 'Book a consultation' }).count()).toBe(1);
    await koContext.close();

    // The desk pulls HQ's events: both bookings are on its booth grid, in the slots booked.
    await callDeskApi(app, 'sync:now', {});
    const { page: desk } = await openAppPage(browser, app, { height: 900 });
    desk.on('pageerror', (e) => errors.push(e.message));
    await desk.clock.setFixedTime(new Date(NOON));
    await desk.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Booths' }).click();
    await expect.poll(() => desk.getByRole('heading', { name: 'Booths' }).count()).toBe(1);
    for (const [p, time] of [
      [en, enTime],
      [ko, koTime],
    ] as const) {
      await desk.getByRole('button', { name: new RegExp(`^KAIST ${time}: \\d of 2 booked`) }).click();
      const dialog = desk.getByRole('dialog');
      const item = dialog.getByRole('list', { name: 'Bookings in this slot' }).getByRole('listitem', { name: formatName(p) });
      await expect.poll(() => item.count()).toBe(1);
      expect(await item.getByText('Booked online by the attendee').count()).toBe(1);
      await desk.screenshot({ path: screenshotPath(`selfbook-desk-grid-${p === en ? 'en' : 'ko'}`) });
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      await expect.poll(() => desk.getByRole('dialog').count()).toBe(0);
    }
    expect(errors).toEqual([]);
  });
});
