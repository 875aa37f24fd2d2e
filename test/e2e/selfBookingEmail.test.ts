import { rmSync } from 'node:fs';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore, type Store } from '../../core/store/openStore';
import { HqActions } from '../../hq/server/admin/hqActions';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { MailService } from '../../hq/server/mail/mailService';
import type { MailTransport } from '../../hq/server/mail/sender';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { formatName } from '../../renderer/i18n/formatName';
import { callDeskApi, launchBrowser, openAppPage, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { TestSmtp } from '../helpers/mailHarness';
import { RESOURCES_DIR, tempDir } from '../helpers/testStore';

/**
 * Issue #21, bullet 5, from the email itself to the desk's booth grid: HQ (mail service on, sending to an
 * SMTP server started by the test) mails the confirmation with the QR ticket to two people pre-registered
 * for the demo desk's stop; the test parses what the SMTP server received, takes the self-booking link out
 * of the message (the HTML's link, checked against the plain text's), opens the message in Chromium and
 * follows the link, books a KAIST slot (one person in English, one who chose Korean: the page speaks the
 * message's language, whatever the browser's), HQ mails the booking confirmation, and the desk, after its
 * sync, shows both bookings on its booth grid. (test/e2e/selfBooking.test.ts covers the pages themselves.)
 * HQ holds the whole demo tour and mails all of it; the SMTP server gets the two people's messages.
 */
const STOP = 'stop-03-new-york';
const KAIST = `booth-${STOP}-inst-kaist`;
/** 12:30 in New York on the stop's day (14 Nov 2025, EST): every slot of the afternoon is ahead. */
const NOON = Date.parse('2025-11-14T17:30:00Z');
const FROM = 'Roadshow HQ <roadshow@hq.roadshow.test>';

/** The addresses whose messages go to the test's SMTP server (set once the two people are chosen). */
const FOLLOWED = new Set<string>();
/** Messages to everyone else in the demo tour (some 500 of them), counted, not sent: the test reads two people's mail. */
let elsewhere = 0;
function followed(smtpTransport: MailTransport): MailTransport {
  return {
    sendMail: (m) => (FOLLOWED.has(m.to.address) ? smtpTransport.sendMail(m) : Promise.resolve({ messageId: `<not-followed-${++elsewhere}@test>` })),
    close: () => smtpTransport.close?.(),
  };
}

let app: BrowserModeApp;
let browser: Browser;
let smtp: TestSmtp;
let hq: { url: string; app: FastifyInstance; store: Store; storage: SqliteHqStorage; projections: HqProjections; mail: MailService; dataDir: string };

beforeAll(async () => {
  smtp = new TestSmtp();
  await smtp.start();
  const dataDir = tempDir('roadshow-e2e-selfbook-mail-');
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  // One queue for HQ's own events (self-booking and messages), as hq/server/main.ts wires them.
  const actions = new HqActions(store, storage, dataDir);
  const mail = new MailService({
    dataDir,
    store,
    actions,
    transport: followed(smtp.transport()),
    // The messages and the pages run on the stop's day; sync keeps the real clock (the desk stamps its events with it).
    now: () => NOON,
    config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: FROM, publicUrl: 'http://127.0.0.1', ratePerMinute: 100_000, reminderMinutes: 120, thanksDays: 14, planEveryMs: 60_000, sendEveryMs: 5_000 },
  });
  const hqApp = buildHqApp({
    storage,
    projections,
    demoEvents: () => buildDemoEvents(loadDemoData(RESOURCES_DIR)),
    selfBooking: { storage, projections, dataDir, actions, now: () => NOON },
    mail,
  });
  await hqApp.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(hqApp.server.address() as { port: number }).port}`;
  // No public address configured: the links name the address HQ listens on (as `npm run hq -- serve` does).
  mail.planner.setPublicUrl(url);
  hq = { url, app: hqApp, store, storage, projections, mail, dataDir };
  app = await startBrowserMode(); // the demo desk, stop lead signed in, at the New York stop
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (hq) {
    await hq.app.close();
    await hq.mail.stop();
    hq.mail.close();
    hq.projections.stop();
    await hq.projections.catchUp().catch(() => 0);
    await hq.storage.close();
    hq.store.close();
    rmSync(hq.dataDir, { recursive: true, force: true });
  }
  await smtp?.stop();
});

interface Person {
  attendeeId: string;
  familyName: string;
  givenName: string;
  nameKo: string;
  email: string;
  scanToken: string;
}

/** People pre-registered for the stop with an email, both a Latin and a Hangul name, and no booking yet (HQ's view). */
function preRegistered(store: Store, n: number): Person[] {
  return store.db
    .prepare<[string, string], Person>(
      `SELECT a.id AS attendeeId, a.family_name AS familyName, a.given_name AS givenName, a.name_ko AS nameKo, a.email, r.scan_token AS scanToken
       FROM registrations r JOIN attendees a ON a.id = r.attendee_id
       WHERE r.stop_id = ? AND r.source = 'preregistered' AND a.email <> '' AND a.family_name <> '' AND a.name_ko <> ''
         AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.attendee_id = a.id AND b.stop_id = ?) ORDER BY a.id LIMIT ${n}`,
    )
    .all(STOP, STOP);
}

/** Plans and sends what is due; answers the messages the SMTP server received for `email`. */
async function deliver(email: string): Promise<ParsedMail[]> {
  await hq.mail.plan();
  const report = await hq.mail.tick();
  expect(report.failed).toBe(0);
  return smtp.to(email);
}

/** The self-booking link of a message: the HTML's link, the same one the plain text spells out. */
function bookingLinkOf(mail: ParsedMail): string {
  const html = String(mail.html);
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => h.startsWith(`${hq.url}/book/`));
  expect(hrefs).toHaveLength(1);
  expect(mail.text).toContain(hrefs[0]!);
  return hrefs[0]!;
}

/** Shows the received message in Chromium and follows its self-booking link, as a reader clicks it. */
async function openFromMessage(page: Page, mail: ParsedMail, link: string, shot: string): Promise<void> {
  // As a mail program shows it: the inline QR ticket (cid:) from the message's own attachment.
  let html = String(mail.html);
  for (const a of mail.attachments) if (a.cid) html = html.replaceAll(`cid:${a.cid}`, `data:${a.contentType};base64,${a.content.toString('base64')}`);
  await page.setContent(html);
  expect(await page.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth))).toEqual([240]);
  await page.screenshot({ path: screenshotPath(shot), fullPage: true });
  const anchor = page.getByRole('link', { name: link, exact: true });
  expect(await anchor.count()).toBe(1);
  await Promise.all([page.waitForURL(link), anchor.click()]);
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

describe('self-booking from the confirmation email to the desk’s booth grid', () => {
  it('mails the confirmation, books through the link in the message (en and ko), and the desk shows both bookings', async () => {
    // The desk joins HQ (HQ takes the demo tour when a demo desk enrolls) and sends what it has.
    await callDeskApi(app, 'sync:configure', { url: hq.url });
    await callDeskApi(app, 'sync:enroll', { code: (await issueEnrollmentCode(hq.storage, { label: 'Desk A' })).code, label: 'Desk A, New York' });
    await callDeskApi(app, 'sync:now', {});
    await hq.projections.catchUp();
    const [en, ko] = preRegistered(hq.store, 2) as [Person, Person];
    expect(ko).toBeDefined();
    FOLLOWED.add(en.email).add(ko.email);
    // The second person chose Korean for their messages (through the language link of an earlier message).
    await hq.mail.setLanguage({ purpose: 'unsubscribe', attendeeId: ko.attendeeId, stopId: STOP, expiresAt: '2026-01-01T00:00:00Z' }, 'ko');
    await hq.projections.catchUp();
    const errors: string[] = [];

    // English: the confirmation with the ticket, then the link in it, in a browser whose language is English.
    const [enMail, ...enMore] = await deliver(en.email);
    expect(elsewhere).toBeGreaterThan(100); // the rest of the tour's confirmations went out too
    expect(smtp.received.every((r) => r.envelopeTo.every((to) => FOLLOWED.has(to)))).toBe(true);
    expect(enMore).toHaveLength(0);
    expect(enMail!.subject).toMatch(/: your ticket for New York on Friday, November 14, 2025$/);
    expect(enMail!.text).toContain(`Dear ${en.givenName} ${en.familyName},`);
    expect(enMail!.text).toContain(en.scanToken);
    const enLink = bookingLinkOf(enMail!);
    const enPage = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    enPage.on('pageerror', (e) => errors.push(e.message));
    await openFromMessage(enPage, enMail!, enLink, 'selfbook-mail-en-message');
    await expect.poll(() => enPage.getByRole('heading', { name: 'Book a consultation' }).count()).toBe(1);
    await expect.poll(() => enPage.getByText(`Hello, ${en.givenName} ${en.familyName}`).count()).toBe(1);
    const enTime = await bookFirstKaistSlot(enPage, /^Book KAIST, /);
    await expect.poll(() => enPage.getByRole('status').filter({ hasText: `Booked: KAIST, ${enTime}.` }).count()).toBe(1);
    await enPage.screenshot({ path: screenshotPath('selfbook-mail-en-booked-1366'), fullPage: false });

    // Korean: the message is in Korean, and so is the page its link opens, in an English-language browser.
    const [koMail, ...koMore] = smtp.to(ko.email);
    expect(koMore).toHaveLength(0);
    expect(koMail!.subject).toMatch(/: 2025년 11월 14일 금요일 뉴욕 입장권$/);
    expect(koMail!.text).toContain(`${ko.nameKo}님, 안녕하세요.`);
    expect(koMail!.text).toContain(ko.scanToken);
    const koLink = bookingLinkOf(koMail!);
    expect(koLink).not.toBe(enLink);
    const koPage = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    koPage.on('pageerror', (e) => errors.push(e.message));
    await openFromMessage(koPage, koMail!, koLink, 'selfbook-mail-ko-message');
    await expect.poll(() => koPage.getByRole('heading', { name: '상담 예약' }).count()).toBe(1);
    await expect.poll(() => koPage.getByText(`${ko.nameKo}님, 안녕하세요`).count()).toBe(1);
    const koTime = await bookFirstKaistSlot(koPage, /^KAIST .* 예약$/);
    await expect.poll(() => koPage.getByRole('status').filter({ hasText: `예약되었습니다: KAIST, ${koTime}.` }).count()).toBe(1);
    await koPage.screenshot({ path: screenshotPath('selfbook-mail-ko-booked-390'), fullPage: true });

    // HQ's next round mails each a booking confirmation whose link leads back to the same page.
    await hq.projections.catchUp();
    const enBooked = (await deliver(en.email)).find((m) => m !== enMail);
    expect(enBooked?.subject).toMatch(new RegExp(`^Booked: Korea Advanced Institute of Science and Technology at ${Number(enTime.slice(0, 2)) % 12 || 12}:${enTime.slice(3, 5)} PM EST, New York$`));
    expect(bookingLinkOf(enBooked!)).toBe(enLink);
    const koBooked = smtp.to(ko.email).find((m) => m !== koMail);
    expect(koBooked?.subject).toMatch(new RegExp(`^예약 완료: 뉴욕 .+ 오후 ${Number(koTime.slice(0, 2)) % 12 || 12}:${koTime.slice(3, 5)}`));
    expect(bookingLinkOf(koBooked!)).toBe(koLink);

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
      await desk.screenshot({ path: screenshotPath(`selfbook-mail-desk-grid-${p === en ? 'en' : 'ko'}`) });
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      await expect.poll(() => desk.getByRole('dialog').count()).toBe(0);
    }
    expect(errors).toEqual([]);
  });
});
