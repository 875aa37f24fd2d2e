import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { tempDir } from '../helpers/testStore';

/**
 * No-show → waitlist offer with a countdown → expiry → the next person offered (issue #19), in real
 * Chromium against the built host. The host runs on the test's clock (`--clock-file`, an instant the
 * test writes) and the page on Playwright's page.clock, moved together: no real waiting.
 */
const T0 = Date.parse('2025-11-14T18:10:00Z'); // 13:10 in New York, the day of the demo's current stop
const iso = (ms: number) => new Date(ms).toISOString();
const slot = (min: number) => iso(Date.parse('2025-11-14T18:00:00Z') + min * 60_000);

let app: BrowserModeApp;
let browser: Browser;
let clockDir: string;
let clockFile: string;
let stopId: string;

/** The host's API, as the renderer calls it (the launch token from the address). */
async function api<T>(channel: string, input: unknown): Promise<T> {
  const url = new URL(app.openUrl);
  const token = url.hash.replace('#token=', '');
  const res = await fetch(`${url.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!body.ok) throw new Error(`${channel}: ${JSON.stringify(body.error)}`);
  return body.value;
}

/** Moves the host's and the page's clocks to the same instant. */
async function setClocks(page: Page, ms: number): Promise<void> {
  writeFileSync(clockFile, iso(ms));
  await page.clock.setFixedTime(new Date(ms));
}

beforeAll(async () => {
  clockDir = tempDir('roadshow-test-clock-');
  clockFile = path.join(clockDir, 'now.txt');
  writeFileSync(clockFile, iso(T0));
  app = await startBrowserMode({ args: ['--no-demo-schedules', '--clock-file', clockFile] });
  browser = await launchBrowser();
  stopId = (await api<{ currentStopId: string }>('settings:get', {})).currentStopId;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(clockDir, { recursive: true, force: true });
});

async function openBooths(page: Page, english: boolean): Promise<void> {
  await page.goto(app.openUrl);
  // The desk keeps the language chosen last (the English test may have run first).
  await expect.poll(() => page.getByRole('heading', { name: /^(체크인|Check-in)$/ }).count(), { timeout: 30_000 }).toBe(1);
  await page.getByText(english ? 'English' : '한국어', { exact: true }).click();
  await page.getByRole('navigation', { name: english ? 'Main navigation' : '주 메뉴' }).getByRole('button', { name: english ? 'Booths' : '부스' }).click();
  await expect.poll(() => page.getByRole('heading', { name: english ? 'Booths' : '부스' }).count()).toBe(1);
}

describe('no-show → waitlist offer → expiry in real Chromium', () => {
  it('English: the stop lead sets the rules, a no-show is offered on with a countdown, and passes on when it expires', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await setClocks(page, T0);
    await api('booths:setPlan', { boothId: `booth-${stopId}-inst-kaist`, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
    await openBooths(page, true);

    // The stop lead's rules: offers expire after 5 minutes.
    await expect.poll(() => page.getByTestId('noshow-rules').textContent()).toBe('No-shows are marked by hand · offers wait for an answer');
    await page.getByRole('button', { name: 'No-show & offer rules' }).click();
    const rules = page.getByRole('dialog');
    await rules.getByRole('checkbox', { name: 'Mark no-show automatically' }).check();
    await rules.getByRole('textbox', { name: 'Minutes into the slot' }).fill('');
    await rules.getByRole('checkbox', { name: 'Waitlist offers expire' }).check();
    await rules.getByRole('button', { name: 'Save rules' }).click();
    // Bad input: the error is next to its field and nothing is lost.
    await expect.poll(() => rules.getByText('Enter whole minutes from 1 to 120').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('noshow-rules-en') });
    await rules.getByRole('checkbox', { name: 'Mark no-show automatically' }).uncheck();
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => page.getByTestId('noshow-rules').textContent()).toBe('No-shows are marked by hand · offers expire after 5 min');

    // Book a person at 13:30 and put two others on the waitlist.
    await page.getByRole('button', { name: /^KAIST 13:30–13:45/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Find attendee' }).fill('a');
    const found = dialog.getByRole('list', { name: 'Attendees found' });
    await expect.poll(() => found.getByRole('listitem').count()).toBeGreaterThanOrEqual(3);
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push((await found.getByRole('listitem').nth(i).getAttribute('aria-label'))!);
    await dialog.getByRole('button', { name: `Book ${names[0]}` }).click();
    await expect.poll(() => dialog.getByRole('list', { name: 'Bookings in this slot' }).getByRole('listitem', { name: names[0] }).count()).toBe(1);
    await dialog.getByRole('button', { name: `Put ${names[1]} on the waitlist` }).click();
    await expect.poll(() => dialog.getByRole('list', { name: 'Waitlist of KAIST' }).getByRole('listitem').count()).toBe(1);
    await dialog.getByRole('button', { name: `Put ${names[2]} on the waitlist` }).click();
    const waitlist = dialog.getByRole('list', { name: 'Waitlist of KAIST' });
    await expect.poll(() => waitlist.getByRole('listitem').count()).toBe(2);

    // The booked person does not come: marked no-show, the place is offered to the first waiting, with 5 minutes to answer.
    await dialog.getByRole('button', { name: `Mark ${names[0]} no-show` }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain(`A place freed at KAIST, 13:30: offered to ${names[1]}, first on the waitlist.`);
    const first = waitlist.getByRole('listitem', { name: names[1] });
    await expect.poll(() => first.getByRole('timer').textContent()).toBe('05:00 left');
    await setClocks(page, T0 + 61_000);
    await expect.poll(() => first.getByRole('timer').textContent()).toBe('03:59 left');
    await waitlist.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('noshow-countdown-en') });

    // Five minutes pass on both clocks: the offer expired, the next person holds the place.
    await setClocks(page, T0 + 5 * 60_000);
    const second = waitlist.getByRole('listitem', { name: names[2] });
    await expect.poll(() => second.getByRole('timer').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => second.getByRole('timer').textContent()).toBe('05:00 left');
    await expect.poll(() => first.getByText('Offer for 13:30 expired').count()).toBe(1);
    expect(await first.getByRole('button', { name: `Accept offer for ${names[1]}` }).count()).toBe(0);
    await waitlist.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('noshow-expired-en') });
    // The second person accepts in time.
    await second.getByRole('button', { name: `Accept offer for ${names[2]}` }).click();
    await expect.poll(() => dialog.getByRole('list', { name: 'Bookings in this slot' }).getByRole('listitem', { name: names[2] }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Korean: the same flow, with the countdown and the expired offer in Korean', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t1 = T0 + 20 * 60_000; // 13:30: the GIST slot at 14:00 is still ahead
    await setClocks(page, t1);
    const gist = `booth-${stopId}-inst-gist`;
    // Independent of the English test: the rules as the stop lead set them there.
    await api('noshow:setSettings', { stopId, autoNoShowMinutes: null, offerExpiryMinutes: 5 });
    await api('booths:setPlan', { boothId: gist, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
    const people = await api<{ registrationId: string; attendee: { familyName: string; givenName: string; nameKo: string } }[]>('checkin:search', { stopId, query: 'a', limit: 8 });
    const [p0, p1, p2] = people;
    await api('booths:book', { boothId: gist, slotStart: slot(60), registrationId: p0!.registrationId });
    await api('booths:waitlistJoin', { boothId: gist, registrationId: p1!.registrationId });
    await api('booths:waitlistJoin', { boothId: gist, registrationId: p2!.registrationId });
    await openBooths(page, false);
    await expect.poll(() => page.getByTestId('noshow-rules').textContent()).toBe('노쇼는 직접 표시합니다 · 제안은 5분 후 만료');

    await page.getByRole('button', { name: /^GIST 14:00–14:15/ }).click();
    const dialog = page.getByRole('dialog');
    const booked = dialog.getByRole('list', { name: '이 시간대의 예약' }).getByRole('listitem');
    await expect.poll(() => booked.count()).toBe(1);
    const bookedName = (await booked.first().getAttribute('aria-label'))!;
    await dialog.getByRole('button', { name: `${bookedName} 불참 표시` }).click();
    const waitlist = dialog.getByRole('list', { name: 'GIST 대기자 명단' });
    const timers = waitlist.getByRole('timer');
    await expect.poll(() => timers.count()).toBe(1);
    await expect.poll(() => timers.first().textContent()).toBe('05:00 남음');
    await setClocks(page, t1 + 90_000);
    await expect.poll(() => timers.first().textContent()).toBe('03:30 남음');
    await waitlist.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('noshow-countdown-ko') });
    const firstName = (await waitlist.getByRole('listitem').first().getAttribute('aria-label'))!;
    expect(await timers.first().getAttribute('aria-label')).toBe(`${firstName} 님에게 한 제안: 응답까지 03:30 남음`);

    await setClocks(page, t1 + 5 * 60_000);
    await expect.poll(() => waitlist.getByRole('listitem').first().getByText('14:00 제안 만료').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => waitlist.getByRole('listitem').nth(1).getByRole('timer').textContent()).toBe('05:00 남음');
    await waitlist.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('noshow-expired-ko') });
    await dialog.getByRole('button', { name: /닫기/ }).first().click();

    // The stop lead's rules form in Korean.
    await page.getByRole('button', { name: '노쇼·제안 규칙' }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('checkbox', { name: '대기자 제안 만료' }).isChecked()).toBe(true);
    // Photographed once the dialog has finished fading in.
    await expect.poll(() => page.locator('.mantine-Modal-content').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(el).opacity)).toBe('1');
    await page.screenshot({ path: screenshotPath('noshow-rules-ko') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
