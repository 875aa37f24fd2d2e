import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callDeskApi, launchBrowser, screenshotPath, signIn, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { describeClipped, findClippedText, type ClippedText } from '../helpers/textOverflow';
import { scanWithWedge } from '../helpers/wedgeScanner';

/**
 * Issue #22 in real Chromium at a laptop's 1366×768: the desk by keyboard (keys typed with no field
 * focused, Space, the search shortcut, scanner bursts), the walk-in form's near-duplicate hint for
 * romanisation variants, a past slot booked only after a confirmation, the bundled Hangul font and
 * the icon, and no text cut off on the main screens, in both languages, as the stop lead and as
 * booth staff.
 */
const poll = <T,>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout });

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

/** The desk's own API, as its page calls it. */
const deskApi = <T = unknown,>(channel: string, input: unknown): Promise<T> => callDeskApi<T>(app, channel, input);

async function open(english = true): Promise<{ page: Page; errors: string[]; missing: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  const missing: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(r.url());
  });
  await page.goto(app.openUrl);
  // The desk keeps the language it was last switched to.
  await page.getByRole('heading', { name: /^(체크인|Check-in)$/ }).waitFor({ timeout: 30_000 });
  await page.getByText(english ? 'English' : '한국어', { exact: true }).click();
  await page.getByRole('heading', { name: english ? 'Check-in' : '체크인' }).waitFor();
  return { page, errors, missing };
}

const blur = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
const activeLabel = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-scan-field'));

describe('the desk by keyboard', () => {
  it('sends keys typed with no field focused to the search box; Space does not scroll; Ctrl+F focuses search; scanner bursts still check in', async () => {
    const { page, errors } = await open();
    const search = page.getByRole('textbox', { name: 'Search attendees' });
    await search.fill('lee');
    // A long page (a busy desk's result list), so that Space would scroll it.
    const scrollable = await page.evaluate(() => {
      const d = globalThis as unknown as { document: { body: { style: { minHeight: string } }; scrollingElement: { scrollHeight: number } }; innerHeight: number };
      d.document.body.style.minHeight = '3000px';
      return d.document.scrollingElement.scrollHeight > d.innerHeight;
    });
    expect(scrollable).toBe(true);

    // 1. Typed with nothing focused: the keys land in the search box, replacing the old query (not "kimkim").
    await blur(page);
    expect(await activeLabel(page)).toBeNull();
    await page.keyboard.type('kim', { delay: 30 });
    await poll(() => search.inputValue()).toBe('kim');
    expect(await activeLabel(page)).not.toBeNull();

    // 2. Space with nothing focused: no scrolling, the caret goes to the search box.
    await blur(page);
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)).toBe(0);
    expect(await activeLabel(page)).not.toBeNull();
    expect(await search.inputValue()).toBe('kim');

    // A key typed on a focused button stays with the button (Space presses it): nothing is taken from it.
    await page.getByRole('button', { name: 'Register walk-in' }).focus();
    await page.keyboard.press('x');
    expect(await search.inputValue()).toBe('kim');

    // 3. Ctrl+F from another control (a navigation button): search focused, its text selected.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Check-in' }).focus();
    await page.keyboard.press('Control+f');
    expect(await activeLabel(page)).not.toBeNull();
    const selection = await search.evaluate((el) => {
      const i = el as unknown as { selectionStart: number; selectionEnd: number; value: string };
      return [i.selectionStart, i.selectionEnd, i.value.length];
    });
    expect(selection).toEqual([0, 3, 3]);
    expect(await search.getAttribute('aria-keyshortcuts')).toContain('Control+F');

    // 4. A scanner burst with nothing focused still checks the person in (its keys pass through the search box).
    const settings = await deskApi<{ currentStopId: string }>('settings:get', {});
    const person = await deskApi<{ scanToken: string; attendee: { givenName: string; familyName: string } }>('checkin:registerWalkIn', {
      stopId: settings.currentStopId, familyName: 'Okonkwo', givenName: 'Adaeze', nameKo: '', email: 'adaeze.okonkwo@example.edu', affiliation: 'Purdue University',
      careerStage: 'postdoc', fields: ['ai'], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1', checkInNow: false,
    });
    await scanWithWedge(page, person.scanToken);
    await poll(() => page.getByRole('status', { name: 'Checked in' }).filter({ hasText: 'Adaeze Okonkwo' }).count()).toBe(1);
    await poll(() => search.inputValue()).toBe('');
    await page.screenshot({ path: screenshotPath('desk-keyboard-scan-en') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hints a person already known under another romanisation while a walk-in is typed', async () => {
    const settings = await deskApi<{ currentStopId: string }>('settings:get', {});
    await deskApi('checkin:registerWalkIn', {
      stopId: settings.currentStopId, familyName: 'Kim', givenName: 'Taeseok', nameKo: '', email: 'taeseok.kim@example.edu', affiliation: 'Georgia Tech',
      careerStage: 'postdoc', fields: ['ai'], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1', checkInNow: false,
    });
    const { page, errors } = await open();
    await blur(page);
    await page.keyboard.press('F2');
    const dialog = page.getByRole('dialog', { name: 'Walk-in registration' });
    await dialog.getByRole('textbox', { name: 'Given name (Latin)' }).fill('Tae-suk');
    await dialog.getByRole('textbox', { name: 'Family name (Latin)' }).fill('Kim');
    const hint = dialog.getByRole('region', { name: 'Possibly already registered' });
    await poll(() => hint.getByRole('button', { name: /Taeseok Kim/ }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('walkin-romanisation-hint-en') });
    const clipped = await findClippedText(page);
    expect(clipped, describeClipped(clipped)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('booking a past slot', () => {
  it('asks before booking a slot that has ended, and books it when confirmed', async () => {
    const { page, errors } = await open();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Booths' }).click();
    await page.getByRole('heading', { name: 'Booths' }).waitFor();
    // The demo tour is in 2025: its slots have all ended. One with a free place:
    const slots = page.getByRole('button', { name: /^KAIST \d\d:\d\d–\d\d:\d\d: \d+ of \d+ booked, Past$/ });
    await poll(() => slots.count()).toBeGreaterThan(0);
    const labels = await slots.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('aria-label')));
    const free = labels.find((l) => {
      const m = /(\d+) of (\d+) booked/.exec(l)!;
      return Number(m[1]) < Number(m[2]);
    });
    expect(free).toBeDefined();
    await page.getByRole('button', { name: free! }).click();
    const dialog = page.getByRole('dialog');
    await poll(() => dialog.getByText(/^This slot ended at \d\d:\d\d\./).count()).toBe(1);
    await dialog.getByRole('textbox', { name: 'Find attendee' }).fill('a');
    const found = dialog.getByRole('list', { name: 'Attendees found' });
    await poll(() => found.getByRole('listitem').count()).toBeGreaterThan(0);
    const name = (await found.getByRole('listitem').first().getAttribute('aria-label'))!;
    const bookings = dialog.getByRole('list', { name: 'Bookings in this slot' });
    const before = await bookings.getByRole('listitem').count();

    await dialog.getByRole('button', { name: `Book ${name}` }).click();
    const ask = dialog.getByRole('alertdialog', { name: 'Book a slot that has ended?' });
    await poll(() => ask.count()).toBe(1);
    await page.screenshot({ path: screenshotPath('booths-past-slot-confirm-en') });
    const clipped = await findClippedText(page);
    expect(clipped, describeClipped(clipped)).toEqual([]);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await poll(() => ask.count()).toBe(0);
    expect(await bookings.getByRole('listitem').count()).toBe(before);

    await dialog.getByRole('button', { name: `Book ${name}` }).click();
    await ask.getByRole('button', { name: 'Book anyway' }).click();
    await poll(() => dialog.getByRole('status').filter({ hasText: `${name} is booked at KAIST` }).count()).toBe(1);
    await poll(() => bookings.getByRole('listitem').count()).toBe(before + 1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('font and icon', () => {
  it('loads the bundled Hangul font and the icon; its licence is served beside it; nothing is missing', async () => {
    const { page, errors, missing } = await open(false);
    const fonts = await page.evaluate(async () => {
      const d = (globalThis as unknown as { document: { fonts: { ready: Promise<unknown>; check(f: string, t: string): boolean; load(f: string, t: string): Promise<unknown[]> } } }).document;
      await d.fonts.load('16px Pretendard', '체크인');
      await d.fonts.load('700 16px Pretendard', '체크인');
      await d.fonts.ready;
      return { regular: d.fonts.check('16px Pretendard', '체크인'), bold: d.fonts.check('700 16px Pretendard', '체크인') };
    });
    expect(fonts).toEqual({ regular: true, bold: true });
    // The headings and body really use it.
    const family = await page.getByRole('heading', { name: '체크인' }).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } }).getComputedStyle(el).fontFamily);
    expect(family.startsWith('Pretendard')).toBe(true);
    const icon = await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { href: string } | null } }).document.querySelector('link[rel="icon"]')?.href);
    expect(icon).toBeTruthy();
    const origin = new URL(app.openUrl).origin;
    expect((await fetch(icon!)).status).toBe(200);
    const licence = await fetch(`${origin}/assets/Pretendard-LICENSE.txt`);
    expect(licence.status).toBe(200);
    expect(await licence.text()).toMatch(/SIL OPEN FONT LICENSE/i);
    expect(missing).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

const SCREENS = [
  ['checkin', 'Check-in', '체크인'],
  ['programme', 'Programme', '프로그램'],
  ['booths', 'Booths', '부스'],
  ['consultations', 'Consultations', '상담'],
  ['conflicts', 'Conflicts', '충돌'],
  ['sync', 'Sync', '동기화'],
  ['settings', 'Settings', '설정'],
] as const;

/** Every main screen at 1366×768 in both languages: a screenshot each, and the text nobody can read whole. */
async function screensFit(page: Page, who: string): Promise<string[]> {
  const problems: string[] = [];
  for (const lang of ['en', 'ko'] as const) {
    await page.getByRole('banner').getByText(lang === 'en' ? 'English' : '한국어', { exact: true }).click();
    const nav = page.getByRole('navigation', { name: lang === 'en' ? 'Main navigation' : '주 메뉴' });
    for (const [key, en, ko] of SCREENS) {
      // Each role sees only its screens (booth staff have no Check-in): measure those it has.
      const button = nav.getByRole('button', { name: lang === 'en' ? en : ko, exact: true });
      if (who !== 'lead' && (await button.count()) === 0) continue;
      await button.click();
      await poll(() => page.locator('main h2').count()).toBeGreaterThan(0);
      // Let the screen's first reads land (lists, counts) before measuring.
      await page.waitForLoadState('networkidle');
      await page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
      await page.screenshot({ path: screenshotPath(`fit-${who}-${key}-${lang}`) });
      const clipped: ClippedText[] = await findClippedText(page);
      if (clipped.length) problems.push(`${who} ${key} (${lang}):\n${describeClipped(clipped)}`);
    }
  }
  return problems;
}

describe('no text cut off at 1366×768', () => {
  it('on the main screens, in English and Korean, as the stop lead and as booth staff', async () => {
    const { page, errors } = await open();
    const problems = await screensFit(page, 'lead');
    // The same screens as booth staff (KAIST).
    await page.getByRole('button', { name: /^(Lock this desk|이 데스크 잠그기)$/ }).click();
    await signIn(page, 'Lee Seoyeon', '333333');
    await page.getByRole('navigation').first().waitFor();
    problems.push(...(await screensFit(page, 'booth')));
    expect(problems, problems.join('\n\n')).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
