import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, signIn, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { scanWithWedge } from '../helpers/wedgeScanner';

/**
 * Issue #19 in real Chromium: the demo has no sessions, so the stop lead adds two over the desk's own
 * HTTP API (one cancelled); the desk picks the briefing as its door, scans and searches people into
 * it, sees the session's counts, undoes one with a reason (with the stop check-in made with it), in
 * English and Korean, then the desk staff carries on after the stop lead locks the desk.
 */
const poll = <T,>(fn: () => T | Promise<T>, opts: { timeout: number } = { timeout: 15_000 }) => expect.poll(fn, opts);

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

/** The desk's own API over HTTP, as the renderer calls it (the launch token from the printed address). */
async function call<T>(channel: string, input: unknown): Promise<T> {
  const url = new URL(app.openUrl);
  const token = /token=([\w-]+)/.exec(url.hash)![1]!;
  const res = await fetch(`${url.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body.error)}`);
  return body.value;
}


interface Person {
  registrationId: string;
  scanToken: string;
  attendee: { givenName: string; familyName: string; nameKo: string };
  checkIn: unknown;
}

describe('session check-in in real Chromium', () => {
  it('picks a session, scans and searches people into it, shows its counts, undoes one; English and Korean', async () => {
    const settings = await call<{ currentStopId: string }>('settings:get', {});
    const stopId = settings.currentStopId;
    await call('session:upsert', { stopId, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '10:00', endTime: '11:30', room: 'Ballroom A', capacity: 300 });
    await call('session:upsert', { stopId, kind: 'ir_round', title: 'Company IR', titleKo: '기업 IR', startTime: '15:00', endTime: '16:00', room: 'Room 204', cancelled: true });
    // Three people registered at the stop who have not come in yet (as a pre-registration would have them).
    const person = (familyName: string, givenName: string, nameKo: string, careerStage: string) =>
      call<Person>('checkin:registerWalkIn', { stopId, familyName, givenName, nameKo, email: `${givenName.toLowerCase()}.${familyName.toLowerCase()}@example.edu`, affiliation: 'Purdue University', careerStage, fields: ['ai'], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1', checkInNow: false });
    const p1 = await person('Yoon', 'Haerin', '윤해린', 'postdoc');
    const p2 = await person('Baek', 'Junho', '백준호', 'student');
    const p3 = await person('Seo', 'Yuna', '서유나', 'professor');
    const latin = (p: Person) => `${p.attendee.givenName} ${p.attendee.familyName}`;

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.openUrl);
    await poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await page.getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Check-in' }).count()).toBe(1);
    const stopCheckedIn = async () => Number(await page.getByLabel(/^Checked in: \d+$/).textContent());
    await poll(() => page.getByLabel(/^Checked in: \d+$/).count()).toBe(1);
    const stopBefore = await stopCheckedIn();

    // 1. The door: the cancelled session is listed, not pickable; the briefing is.
    const picker = page.getByRole('textbox', { name: 'Checking in at' });
    await picker.click();
    await poll(() => page.getByRole('option', { name: '15:00–16:00 Company IR · Room 204 (cancelled)' }).getAttribute('data-combobox-disabled')).toBe('true');
    await page.screenshot({ path: screenshotPath('session-door-picker-en') });
    await page.getByRole('option', { name: '10:00–11:30 Policy briefing · Ballroom A' }).click();
    const counts = page.getByRole('group', { name: 'Counts for this session' });
    await poll(() => counts.getByLabel('In the session: 0').count()).toBe(1);
    await poll(() => counts.getByLabel('Seats: 300').count()).toBe(1);
    await poll(() => page.getByText('Nobody is checked in to this session yet.', { exact: false }).count()).toBe(1);

    // 2. A scan: in the session, and (their first check-in of the stop) at the stop too.
    await scanWithWedge(page, p1!.scanToken);
    const ok = page.getByRole('status', { name: 'Checked in: Policy briefing' });
    await poll(() => ok.filter({ hasText: latin(p1!) }).count()).toBe(1);
    await poll(() => ok.getByText('First check-in of the stop: checked in at the stop too.').count()).toBe(1);
    await poll(() => counts.getByLabel('In the session: 1').count()).toBe(1);
    await poll(() => page.getByRole('group', { name: 'In the session by career stage' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('session-door-scanned-en') });
    await scanWithWedge(page, p1!.scanToken);
    await poll(() => page.getByRole('status', { name: 'Already in: Policy briefing' }).count()).toBe(1);

    // 3. A search, Enter checks the first hit into the session.
    const search = page.getByRole('textbox', { name: 'Search attendees' });
    await search.fill(p2!.attendee.nameKo);
    const results = page.getByRole('list', { name: 'Search results' });
    await poll(() => results.getByRole('listitem').first().textContent()).toContain('Not in this session');
    await search.press('Enter');
    await poll(() => page.getByRole('status', { name: 'Checked in: Policy briefing' }).filter({ hasText: p2!.attendee.nameKo }).count()).toBe(1);
    await poll(() => counts.getByLabel('In the session: 2').count()).toBe(1);
    await search.fill('');

    // 4. Undo the first with a reason, and the stop check-in made with it (the wrong badge was scanned).
    const latest = page.getByRole('list', { name: 'Latest in this session' });
    const row = latest.getByRole('listitem').filter({ hasText: latin(p1!) });
    await poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: /^Undo check-in of/ }).click();
    const undo = page.getByRole('dialog', { name: 'Undo session check-in' });
    await undo.getByRole('textbox', { name: 'Reason for undoing' }).fill('Scanned the wrong badge');
    await undo.getByRole('checkbox', { name: /Also undo the stop check-in/ }).check();
    await page.screenshot({ path: screenshotPath('session-door-undo-en') });
    await undo.getByRole('button', { name: 'Undo' }).click();
    await poll(() => page.getByRole('status', { name: 'Session check-in undone: Policy briefing' }).count()).toBe(1);
    await poll(() => counts.getByLabel('In the session: 1').count()).toBe(1);

    // 5. Korean: the same door, a scan confirmed with the name in both scripts.
    await page.getByText('한국어', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await scanWithWedge(page, p3!.scanToken);
    await poll(() => page.getByRole('status', { name: '세션 체크인: 정책 설명회' }).filter({ hasText: p3!.attendee.nameKo }).count()).toBe(1);
    const countsKo = page.getByRole('group', { name: '이 세션 현황' });
    await poll(() => countsKo.getByLabel('세션 참석: 2').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('session-door-scanned-ko') });

    // 6. Back at the stop entrance: the stop's counts, with the two people who came in through the session door.
    await page.getByRole('textbox', { name: '체크인 위치' }).click();
    await page.getByRole('option', { name: '행사장 입구' }).click();
    await poll(() => page.getByRole('group', { name: /현황|Counts for this stop/ }).count()).toBeGreaterThan(0);
    await poll(async () => Number(await page.getByLabel(/^체크인: \d+$/).textContent())).toBe(stopBefore + 2);

    // 7. The desk staff takes over the door after the stop lead locks the desk.
    await page.getByRole('textbox', { name: '체크인 위치' }).click();
    await page.getByRole('option', { name: '10:00–11:30 정책 설명회 · Ballroom A' }).click();
    await page.getByRole('button', { name: '이 데스크 잠그기' }).click();
    await signIn(page, 'Park Jiwoo', '222222');
    await poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await poll(() => page.getByRole('group', { name: '이 세션 현황' }).getByLabel('세션 참석: 2').count()).toBe(1);
    await scanWithWedge(page, p1!.scanToken);
    await poll(() => page.getByRole('status', { name: '세션 체크인: 정책 설명회' }).filter({ hasText: p1!.attendee.nameKo }).count()).toBe(1);
    await poll(() => page.getByRole('group', { name: '이 세션 현황' }).getByLabel('세션 참석: 3').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('session-door-desk-staff-ko') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
