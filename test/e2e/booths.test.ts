import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';

let app: BrowserModeApp;
let browser: Browser;
beforeAll(async () => {
  // Start without the demo's booth plans and bookings: this test lays out its own.
  app = await startBrowserMode({ args: ['--no-demo-schedules'] });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Names of the first `n` people the booking search finds ("a" begins many names and affiliations). */
async function findPeople(page: Page, n: number): Promise<string[]> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Find attendee' }).fill('a');
  const list = dialog.getByRole('list', { name: 'Attendees found' });
  await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThanOrEqual(n);
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push((await list.getByRole('listitem').nth(i).getAttribute('aria-label'))!);
  return names;
}

async function openSlot(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('button', { name }).click();
  await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
}

async function closeDialog(page: Page): Promise<void> {
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).first().click();
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
}

describe('booth scheduling in real Chromium', () => {
  it('plans a booth, books, fills a slot, moves, promotes from the waitlist, cancels and marks a no-show', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // 13:20 in New York on the day of the demo's current stop (round 3-1, 14 Nov 2025).
    await page.clock.setFixedTime(new Date('2025-11-14T18:20:00Z'));
    await page.goto(app.openUrl);
    await expect.poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Booths' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Booths' }).count()).toBe(1);

    // Plan: 13:00–15:00, 15-minute slots, one place each, a break at 14:00.
    await page.getByRole('button', { name: 'Set consultation plan of KAIST' }).click();
    const planDialog = page.getByRole('dialog', { name: 'Consultation plan: KAIST' });
    await planDialog.getByRole('textbox', { name: 'Consultations end' }).fill('15:00');
    await planDialog.getByRole('textbox', { name: 'Places per slot' }).fill('1');
    await planDialog.getByRole('textbox', { name: 'Breaks' }).fill('14:00-14:15');
    await planDialog.getByRole('button', { name: 'Save plan' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Plan of KAIST saved.' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 13:00–13:15: 0 of 1 booked, Past' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 14:15–14:30: 0 of 1 booked, Free' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^KAIST 14:00–/ }).count()).toBe(0); // the break
    expect(await page.getByTestId('now-marker').textContent()).toBe('Now 13:20');

    // Book A at 13:30: the slot is then full; B is refused and put on the waitlist.
    await openSlot(page, /^KAIST 13:30–13:45: 0 of 1 booked/);
    const dialog = page.getByRole('dialog');
    const [a, b] = await findPeople(page, 2) as [string, string];
    await dialog.getByRole('button', { name: `Book ${a}` }).click();
    await expect.poll(() => dialog.getByRole('status').filter({ hasText: `${a} is booked at KAIST, 13:30.` }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 13:30–13:45: 1 of 1 booked, Full', includeHidden: true }).count()).toBe(1);
    await dialog.getByRole('button', { name: `Book ${b}` }).click();
    await expect.poll(() => dialog.getByRole('alert').filter({ hasText: 'KAIST at 13:30 is full (1 places).' }).count()).toBe(1);
    await dialog.getByRole('button', { name: `Put ${b} on the waitlist` }).click();
    const waitlist = dialog.getByRole('list', { name: 'Waitlist of KAIST' });
    await expect.poll(() => waitlist.getByRole('listitem', { name: b }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('booths-slot-full-waitlist') });

    // Move A to 13:45: 13:30 frees and is offered to B, first on the waitlist, who accepts.
    await dialog.getByRole('button', { name: `Move booking of ${a}` }).click();
    await dialog.getByRole('textbox', { name: 'Move to' }).click();
    await page.getByRole('option', { name: /^KAIST 13:45/ }).click();
    await dialog.getByRole('button', { name: 'Move booking', exact: true }).click();
    await expect.poll(() => dialog.getByRole('status').filter({ hasText: `offered to ${b}, first on the waitlist` }).count()).toBe(1);
    await expect.poll(() => waitlist.getByText('Offered 13:30').count()).toBe(1);
    await dialog.getByRole('button', { name: `Accept offer for ${b}` }).click();
    const bookings = dialog.getByRole('list', { name: 'Bookings in this slot' });
    await expect.poll(() => bookings.getByRole('listitem', { name: b }).count()).toBe(1);
    await expect.poll(() => bookings.getByRole('listitem', { name: b }).getByText('From waitlist').count()).toBe(1);
    await expect.poll(() => waitlist.getByRole('listitem').count()).toBe(0);

    // B does not come: no-show. The place is free again.
    await dialog.getByRole('button', { name: `Mark ${b} no-show` }).click();
    // Marked: the attendance badge says so and the button is spent (the button's own label is "No-show" too).
    await expect.poll(() => bookings.getByRole('button', { name: `Mark ${b} no-show` }).isDisabled()).toBe(true);
    expect(await bookings.getByRole('listitem', { name: b }).getByText('No-show', { exact: true }).count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: screenshotPath('booths-no-show') });
    await closeDialog(page);
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 13:30–13:45: 0 of 1 booked, Free' }).count()).toBe(1);

    // Cancel A's booking at 13:45.
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 13:45–14:00: 1 of 1 booked, Full' }).count()).toBe(1);
    await openSlot(page, /^KAIST 13:45–14:00/);
    await page.getByRole('dialog').getByRole('button', { name: `Cancel booking of ${a}` }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('status').filter({ hasText: 'Booking cancelled.' }).count()).toBe(1);
    await closeDialog(page);
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 13:45–14:00: 0 of 1 booked, Free' }).count()).toBe(1);

    // A walk-up at 14:15, then the printable schedule of the booth.
    await openSlot(page, /^KAIST 14:15–14:30/);
    const [c] = await findPeople(page, 3).then((n) => n.slice(2));
    await page.getByRole('dialog').getByRole('button', { name: `Record walk-up of ${c}` }).click();
    await expect.poll(() => page.getByRole('dialog').getByRole('status').filter({ hasText: `Walk-up of ${c} at KAIST recorded.` }).count()).toBe(1);
    await closeDialog(page);
    await page.screenshot({ path: screenshotPath('booths-grid-en'), fullPage: true });
    await page.getByRole('button', { name: 'Print schedule of KAIST' }).click();
    const sheet = page.getByRole('table', { name: 'KAIST — consultation schedule' });
    await expect.poll(() => sheet.getByRole('row').filter({ hasText: c! }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('booths-print-preview') });
    await page.emulateMedia({ media: 'print' });
    // On paper: the sheet alone, no app shell, no dialog.
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).isVisible()).toBe(false);
    expect(await page.locator('.rd-print-root').getByText(c!).isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('booths-print-schedule'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await closeDialog(page);

    // The attendee's card with their bookings.
    await openSlot(page, /^KAIST 14:15–14:30/);
    await page.getByRole('dialog').getByRole('button', { name: `Print booking card of ${c}` }).click();
    const card = page.getByRole('table', { name: 'Your consultations' });
    await expect.poll(() => card.getByRole('row').filter({ hasText: '14:15–14:30' }).filter({ hasText: 'KAIST' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('booths-attendee-card') });
    await closeDialog(page);

    // The same grid in Korean.
    await page.getByText('한국어', { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: '부스' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'KAIST 14:15–14:30: 1석 중 1석 예약, 마감' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('booths-grid-ko'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
