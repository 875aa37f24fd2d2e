import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { loadDemoData } from '../../core/demo/demoData';
import { CURRENT_CONSENT_TEXT_VERSION, consentWording } from '../../shared/consentTexts';
import { formatName } from '../../renderer/i18n/formatName';
import { answerWalkInConsent, launchBrowser, screenshotPath, signIn, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { DEMO_STOP, RESOURCES_DIR } from '../helpers/testStore';

/**
 * Issue #22 in real Chromium at 1366×768, in both languages: each role sees only its tools (booth staff,
 * desk staff, the stop lead), refusals are explained in place, and no consent is recorded without the
 * person's explicit choice; the recorded consent keeps its text version, whose wording the history shows.
 */
let app: BrowserModeApp;
let browser: Browser;
beforeAll(async () => {
  app = await startBrowserMode({ signedIn: false });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const EN = consentWording(CURRENT_CONSENT_TEXT_VERSION, 'en')!;
const KO = consentWording(CURRENT_CONSENT_TEXT_VERSION, 'ko')!;

/** A demo attendee at the demo's current stop with a Latin name (the booth scans their badge). */
function demoPerson(): { token: string; name: string } {
  const people = new Map<string, { familyName: string; givenName: string; nameKo: string }>();
  for (const e of buildDemoEvents(loadDemoData(RESOURCES_DIR))) {
    const p = e.payload as Record<string, string>;
    if (e.type === 'attendee_registered') people.set(p.attendeeId!, { familyName: p.familyName!, givenName: p.givenName!, nameKo: p.nameKo! });
    if (e.type === 'registration_created' && p.stopId === DEMO_STOP) {
      const person = people.get(p.attendeeId!);
      if (person?.familyName && person.givenName) return { token: p.scanToken!, name: formatName(person) };
    }
  }
  throw new Error('The demo has no suitable person at the current stop');
}

async function openAs(name: string, pin: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.openUrl);
  // The lock screen speaks the desk's language: Korean at first, then whatever the last person chose.
  await poll(() => page.getByRole('form', { name: /^(로그인|Sign in)$/ }).count()).toBe(1);
  await signIn(page, name, pin);
  await poll(() => page.getByRole('navigation', { name: /^(주 메뉴|Main navigation)$/ }).count()).toBe(1);
  return { page, errors };
}

async function nav(page: Page, label: string): Promise<string[]> {
  const buttons = page.getByRole('navigation', { name: label }).getByRole('button');
  return buttons.allTextContents();
}

/** Nothing of the page is cut off on the right at 1366 px (the header's pickers, the nav, the screen). */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;
}

async function lock(page: Page, english: boolean): Promise<void> {
  await page.getByRole('button', { name: english ? 'Lock this desk' : '이 데스크 잠그기' }).click();
  await poll(() => page.getByRole('form', { name: english ? 'Sign in' : '로그인' }).count()).toBe(1);
  await page.close();
}

describe('screens that follow the role, consent by the person’s choice (real Chromium, 1366×768)', () => {
  it('booth staff: only consultations and booths; their institution locked; a consent only with the person’s choice', async () => {
    const { page, errors } = await openAs('Lee Seoyeon', '333333');
    await poll(() => page.getByRole('heading', { name: '상담', exact: true }).count()).toBe(1);
    expect(await nav(page, '주 메뉴')).toEqual(['프로그램', '부스', '상담', '충돌', '동기화', '설정']);
    // The desk's stop: shown, not changeable, and why, in its label.
    expect(await page.getByRole('textbox', { name: '현재 행사 (행사 책임자가 정함)' }).isDisabled()).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('roles-booth-ko') });

    await page.getByRole('banner').getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Consultations', exact: true }).count()).toBe(1);
    expect(await nav(page, 'Main navigation')).toEqual(['Programme', 'Booths', 'Consultations', 'Conflicts', 'Sync', 'Settings']);
    expect(await page.getByRole('button', { name: 'Register walk-in' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import registrations' }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('roles-booth-en') });

    // The log form: KAIST chosen and locked, the reason beside it; "record consent" not ticked for them.
    const person = demoPerson();
    await page.getByRole('button', { name: 'Log a consultation' }).click();
    const form = page.getByRole('form', { name: 'Log a consultation' });
    const institution = form.getByRole('textbox', { name: /^Institution/ });
    await poll(() => institution.inputValue()).toMatch(/^KAIST · /);
    expect(await institution.isDisabled()).toBe(true);
    expect(await form.getByText('You log for your own institution only').count()).toBe(1);
    await form.getByRole('textbox', { name: 'Badge code' }).fill(person.token);
    await form.getByRole('textbox', { name: 'Badge code' }).press('Enter');
    await poll(() => form.getByText(`Consulting ${person.name}`).count()).toBe(1);
    await form.getByRole('textbox', { name: 'Staff member' }).fill('KAIST recruiter');
    const record = form.getByRole('checkbox', { name: 'Record the person’s consent now' });
    expect(await record.isChecked()).toBe(false);
    await record.check();
    const consent = form.getByRole('group', { name: EN.title });
    for (const radio of await consent.getByRole('radio').all()) expect(await radio.isChecked()).toBe(false);
    await form.getByRole('button', { name: 'Save consultation' }).click();
    // Refused in place: the error inside the consent group, in view.
    const scopeError = consent.getByText('Ask the person and tick their choice: nothing is chosen for them.');
    await poll(() => scopeError.count()).toBe(1);
    expect(await scopeError.isVisible()).toBe(true);
    await scopeError.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('roles-booth-consent-refused-en'), animations: 'disabled' });
    await consent.getByRole('radio', { name: EN.scopes.institution }).check();
    await consent.getByRole('checkbox', { name: EN.agreement }).check();
    await form.getByRole('button', { name: 'Save consultation' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Consultation saved' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('roles-booth-saved-en') });
    // The consent the person chose, with the version and its words.
    await page.getByRole('table', { name: 'Consultations' }).getByRole('button', { name: `Open consultation with ${person.name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Consultation' });
    await poll(() => dialog.getByTestId('consent-current').textContent()).toContain(`Share with this institution only (text ${CURRENT_CONSENT_TEXT_VERSION}`);
    await dialog.getByRole('button', { name: `Show the wording of consent text ${CURRENT_CONSENT_TEXT_VERSION}` }).click();
    await poll(() => dialog.getByRole('region', { name: `Wording of consent text ${CURRENT_CONSENT_TEXT_VERSION}` }).getByText(EN.statement).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('roles-booth-consent-wording-en'), animations: 'disabled' });
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    // Sync: the laptop's state, no connect or sync tools, and who does it.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sync' }).click();
    await poll(() => page.getByRole('heading', { name: 'Sync', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save address' }).count()).toBe(0);
    expect(await page.getByText('Desk staff and the stop lead sync this laptop.').count()).toBeGreaterThan(0);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('roles-booth-sync-en') });
    expect(errors).toEqual([]);
    await lock(page, true);
  });

  it('desk staff: check-in tools without the import, no consultations; a walk-in only with the person’s choice, its consent in the history', async () => {
    const { page, errors } = await openAs('Park Jiwoo', '222222');
    // The desk's language is what the previous person left it in.
    const english = (await page.getByRole('navigation', { name: 'Main navigation' }).count()) === 1;
    if (!english) await page.getByRole('banner').getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Check-in', exact: true }).count()).toBe(1);
    expect(await nav(page, 'Main navigation')).toEqual(['Check-in', 'Programme', 'Booths', 'Conflicts', 'Sync', 'Settings']);
    expect(await page.getByRole('button', { name: 'Import registrations' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Register walk-in' }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Current stop (set by the stop lead)' }).isDisabled()).toBe(true);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('roles-desk-en') });

    // The walk-in form: nothing chosen; refused with each error beside its field; then registered with the choice.
    await page.getByRole('button', { name: 'Register walk-in' }).click();
    const walkIn = page.getByRole('dialog', { name: 'Walk-in registration' });
    await walkIn.getByRole('textbox', { name: 'Given name (Latin)' }).fill('Ngozi');
    await walkIn.getByRole('textbox', { name: 'Family name (Latin)' }).fill('Adeyemi');
    expect(await walkIn.getByRole('textbox', { name: /^Career stage/ }).inputValue()).toBe('');
    const consent = walkIn.getByRole('group', { name: EN.title });
    for (const radio of await consent.getByRole('radio').all()) expect(await radio.isChecked()).toBe(false);
    await walkIn.getByRole('button', { name: 'Register and check in' }).click();
    await poll(() => consent.getByText('Ask the person and tick their choice: nothing is chosen for them.').count()).toBe(1);
    expect(await walkIn.getByText('Ask the person their career stage.').count()).toBe(1);
    expect(await page.getByRole('status', { name: 'Walk-in registered' }).count()).toBe(0);
    await consent.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('roles-desk-walkin-refused-en'), animations: 'disabled' });
    await answerWalkInConsent(page, walkIn, { share: true });
    await walkIn.getByRole('button', { name: 'Register and check in' }).click();
    await poll(() => page.getByRole('status', { name: 'Walk-in registered' }).filter({ hasText: 'Ngozi Adeyemi' }).count()).toBe(1);

    // The person's history: the consent with its text version and wording, in Korean too.
    await page.getByRole('textbox', { name: 'Search attendees' }).fill('Adeyemi');
    await page.getByRole('button', { name: 'History of Ngozi Adeyemi' }).click();
    const history = page.getByRole('dialog', { name: 'History of Ngozi Adeyemi' });
    const consents = history.getByRole('table', { name: 'Consent' });
    await poll(() => consents.getByText(CURRENT_CONSENT_TEXT_VERSION, { exact: true }).count()).toBe(1);
    expect(await consents.getByText('Applies now').count()).toBe(1);
    await consents.getByRole('button', { name: `Show the wording of consent text ${CURRENT_CONSENT_TEXT_VERSION}` }).click();
    await poll(() => consents.getByText(EN.scopes.all_institutions).count()).toBe(1);
    expect(await consents.getByText(KO.statement).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('roles-desk-consent-history-en'), animations: 'disabled' });
    await history.getByRole('button').first().click();
    await page.getByRole('banner').getByText('한국어', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: '체크인', exact: true }).count()).toBe(1);
    expect(await nav(page, '주 메뉴')).toEqual(['체크인', '프로그램', '부스', '충돌', '동기화', '설정']);
    expect(await page.getByRole('button', { name: '사전 등록 가져오기' }).count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('roles-desk-ko') });
    await page.getByRole('button', { name: '현장 등록' }).click();
    const walkInKo = page.getByRole('dialog', { name: '현장 등록' });
    await poll(() => walkInKo.getByRole('group', { name: KO.title }).getByText(KO.statement).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('roles-desk-walkin-ko'), animations: 'disabled' });
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await lock(page, false);
  });

  it('stop lead: every screen and tool, the stop picker open, in both languages', async () => {
    const { page, errors } = await openAs('Kim Minji', '111111');
    const korean = (await page.getByRole('navigation', { name: '주 메뉴' }).count()) === 1;
    if (!korean) await page.getByRole('banner').getByText('한국어', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: '체크인', exact: true }).count()).toBe(1);
    expect(await nav(page, '주 메뉴')).toEqual(['체크인', '프로그램', '부스', '상담', '충돌', '동기화', '설정']);
    expect(await page.getByRole('button', { name: '사전 등록 가져오기' }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: '현재 행사', exact: true }).isDisabled()).toBe(false);
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('roles-lead-ko') });
    await page.getByRole('banner').getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Check-in', exact: true }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Import registrations' }).count()).toBe(1);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Consultations' }).click();
    await page.getByRole('button', { name: 'Log a consultation' }).click();
    const form = page.getByRole('form', { name: 'Log a consultation' });
    expect(await form.getByRole('textbox', { name: /^Institution/ }).isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath('roles-lead-consultation-en'), animations: 'disabled' });
    expect(errors).toEqual([]);
    await page.keyboard.press('Escape');
    await lock(page, true);
  });
});
