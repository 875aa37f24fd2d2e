import { rmSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { formatName } from '../../renderer/i18n/formatName';
import type { ConsultationList } from '../../shared/ipc/consultationsContract';
import { callDeskApi, launchBrowser, screenshotPath, signIn, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { DEMO_STOP, RESOURCES_DIR } from '../helpers/testStore';
import { ADMIN, createDashboardHq, type DashboardHq } from '../helpers/tourScenario';

/**
 * Issue #21, programmes in real Chromium at 1366×768: booth staff name programmes on the desk's consultation
 * form (KAIST's own and the national ones, in English and Korean), the stop lead sees the earlier programme list
 * kept for the demo's older consultations, and HQ adds and refuses programmes in its Programmes section.
 */
let app: BrowserModeApp;
let browser: Browser;
let hq: DashboardHq | undefined;
beforeAll(async () => {
  app = await startBrowserMode({ signedIn: false });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (app) rmSync(app.dataDir, { recursive: true, force: true });
  if (hq) {
    await hq.close();
    rmSync(hq.dataDir, { recursive: true, force: true });
  }
});

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const fitsWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

/** A demo attendee at the demo's current stop with a Latin name. */
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
  await poll(() => page.getByRole('form', { name: /^(로그인|Sign in)$/ }).count()).toBe(1);
  await signIn(page, name, pin);
  await poll(() => page.getByRole('navigation', { name: /^(주 메뉴|Main navigation)$/ }).count()).toBe(1);
  return { page, errors };
}

/** Opens the programmes multi-select and answers its listbox (Mantine renders it in a portal). */
async function programmeOptions(page: Page, form: Locator, label: RegExp): Promise<Locator> {
  const input = form.getByRole('textbox', { name: label });
  await input.click();
  const listbox = page.locator(`#${await input.getAttribute('aria-controls')}`);
  await poll(() => listbox.isVisible()).toBe(true);
  return listbox;
}

describe('programmes at the desk and at HQ (issue #21, real Chromium, 1366×768)', () => {
  it('booth staff name KAIST’s and national programmes on the consultation form, in English and Korean', async () => {
    const person = demoPerson();
    const { page, errors } = await openAs('Lee Seoyeon', '333333');
    await page.getByRole('banner').getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Consultations', exact: true }).count()).toBe(1);

    await page.getByRole('button', { name: 'Log a consultation' }).click();
    const form = page.getByRole('form', { name: 'Log a consultation' });
    await poll(() => form.getByRole('textbox', { name: /^Institution/ }).inputValue()).toMatch(/^KAIST · /);
    await form.getByRole('textbox', { name: 'Badge code' }).fill(person.token);
    await form.getByRole('textbox', { name: 'Badge code' }).press('Enter');
    await poll(() => form.getByText(`Consulting ${person.name}`).count()).toBe(1);
    await form.getByRole('textbox', { name: 'Staff member' }).fill('KAIST recruiter');
    // The earlier fixed list is not offered for a new consultation.
    expect(await form.getByText('InnoCORE postdoc', { exact: true }).count()).toBe(0);
    const options = await programmeOptions(page, form, /^Programmes discussed/);
    expect(await options.getByRole('option', { name: 'KAIST Postdoctoral Fellowship' }).count()).toBe(1);
    expect(await options.getByRole('option', { name: 'InnoCORE: AI for Bio and Medicine' }).count()).toBe(1);
    // Another institution's programme and a retired one are not offered.
    expect(await options.getByRole('option', { name: 'POSTECH Postdoctoral Researchers' }).count()).toBe(0);
    expect(await options.getByRole('option', { name: /KAIST Global Postdoc Call 2024/ }).count()).toBe(0);
    expect(await options.getByText('KAIST programmes', { exact: true }).count()).toBe(1);
    expect(await options.getByText('National programmes', { exact: true }).count()).toBe(1);
    await options.getByRole('option', { name: 'KAIST Postdoctoral Fellowship' }).click();
    await options.getByRole('option', { name: 'Brain to Korea' }).click();
    await page.screenshot({ path: screenshotPath('programmes-desk-form-open-booth-en'), animations: 'disabled' });
    await page.keyboard.press('Escape');
    await form.getByRole('textbox', { name: /^Programmes discussed/ }).scrollIntoViewIfNeeded();
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('programmes-desk-form-booth-en'), animations: 'disabled' });
    await form.getByRole('button', { name: 'Save consultation' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Consultation saved' }).count()).toBe(1);

    await page.getByRole('table', { name: 'Consultations' }).getByRole('button', { name: `Open consultation with ${person.name}` }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Consultation' });
    await poll(() => dialog.getByText('Brain to Korea, KAIST Postdoctoral Fellowship', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('programmes-desk-detail-booth-en'), animations: 'disabled' });
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);

    // In Korean: the same programmes by their Korean names.
    await page.getByRole('banner').getByText('한국어', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: '상담', exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: '상담 기록하기' }).click();
    const ko = page.getByRole('form', { name: '상담 기록하기' });
    await ko.getByRole('textbox', { name: /명찰 코드/ }).fill(person.token);
    await ko.getByRole('textbox', { name: /명찰 코드/ }).press('Enter');
    await ko.getByRole('textbox', { name: /상담 직원/ }).fill('KAIST recruiter');
    const koOptions = await programmeOptions(page, ko, /^상담한 프로그램/);
    expect(await koOptions.getByRole('option', { name: 'KAIST 박사후연구원' }).count()).toBe(1);
    expect(await koOptions.getByText('국가 프로그램', { exact: true }).count()).toBe(1);
    await koOptions.getByRole('option', { name: 'InnoCORE: AI 바이오·의료' }).click();
    await page.keyboard.press('Escape');
    await ko.getByRole('textbox', { name: /^상담한 프로그램/ }).scrollIntoViewIfNeeded();
    expect(await fitsWidth(page)).toBe(true);
    await page.screenshot({ path: screenshotPath('programmes-desk-form-booth-ko'), animations: 'disabled' });
    await ko.getByRole('button', { name: '상담 저장' }).click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);

    // What the desk stored: the programmes by id, sorted.
    const list = await callDeskApi<ConsultationList>(app, 'consultations:list', { stopId: DEMO_STOP, institutionId: 'inst-kaist', limit: 1000 });
    const mine = list.items.filter((c) => c.content.staffName === 'KAIST recruiter' && c.person && formatName(c.person) === person.name);
    expect(mine.map((c) => c.content.programIds).sort()).toEqual(expect.arrayContaining([['prog-brain-to-korea', 'prog-kaist-postdoc'], ['prog-innocore-ai-bio']]));
    await page.getByRole('button', { name: '이 데스크 잠그기' }).click();
    await poll(() => page.getByRole('form', { name: '로그인' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the stop lead sees the earlier programme list kept on the demo’s older consultations, and each institution’s programmes', async () => {
    const { page, errors } = await openAs('Kim Minji', '111111');
    // A demo consultation that names programmes and the earlier list (logged by the demo's booth laptop).
    const list = await callDeskApi<ConsultationList>(app, 'consultations:list', { stopId: DEMO_STOP, limit: 1000 });
    const old = list.items.find((c) => c.person && c.content.programs.length > 0 && c.content.programIds.length > 0 && c.content.staffName !== 'KAIST recruiter' && c.revisionCount === 1);
    expect(old).toBeDefined();
    const name = formatName(old!.person!);
    await page.getByRole('navigation', { name: /^(주 메뉴|Main navigation)$/ }).getByRole('button', { name: /^(상담|Consultations)$/ }).click();
    // The screen loads on first use (renderer/screens/lazyScreens.ts): wait for its heading in either language.
    await poll(() => page.getByRole('heading', { name: /^(상담|Consultations)$/ }).count()).toBe(1);
    if ((await page.getByRole('heading', { name: '상담', exact: true }).count()) === 1) await page.getByRole('banner').getByText('English', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: 'Consultations', exact: true }).count()).toBe(1);
    await page.getByRole('table', { name: 'Consultations' }).getByRole('button', { name: `Open consultation with ${name}` }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Consultation' });
    await poll(() => dialog.getByText('Programme interest (earlier list)', { exact: true }).count()).toBeGreaterThan(0);
    expect(await dialog.getByText('Programmes discussed', { exact: true }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('programmes-desk-detail-legacy-lead-en'), animations: 'disabled' });
    await dialog.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit consultation' });
    // Editing keeps both: the earlier list's chips and the programmes named.
    await poll(() => edit.getByRole('group', { name: 'Programme interest (earlier list)' }).count()).toBe(1);
    await edit.getByRole('group', { name: 'Programme interest (earlier list)' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('programmes-desk-edit-legacy-lead-en'), animations: 'disabled' });
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);

    // The stop lead logs for any institution: the programmes follow the institution chosen (Korean this time).
    await page.getByRole('banner').getByText('한국어', { exact: true }).click();
    await page.getByRole('button', { name: '상담 기록하기' }).click();
    const form = page.getByRole('form', { name: '상담 기록하기' });
    expect(await form.getByRole('textbox', { name: /^상담한 프로그램/ }).isDisabled()).toBe(true);
    await form.getByRole('textbox', { name: /^기관/ }).click();
    await page.getByRole('option', { name: /^POSTECH · / }).click();
    const options = await programmeOptions(page, form, /^상담한 프로그램/);
    expect(await options.getByRole('option', { name: 'POSTECH 박사후연구원' }).count()).toBe(1);
    expect(await options.getByRole('option', { name: 'KAIST 박사후연구원' }).count()).toBe(0);
    expect(await options.getByRole('option', { name: '브레인 투 코리아' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('programmes-desk-form-lead-ko'), animations: 'disabled' });
    expect(await fitsWidth(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('HQ adds programmes in its Programmes section and refuses a duplicate beside the name, in Korean and English', async () => {
    hq = await createDashboardHq();
    await hq.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = hq.app.server.address();
    const hqUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const admin = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'ko-KR' });
    const errors: string[] = [];
    admin.on('pageerror', (e) => errors.push(e.message));
    await admin.goto(`${hqUrl}/dashboard?lang=ko`);
    await admin.getByLabel('이메일').fill(ADMIN.email);
    await admin.getByLabel('비밀번호').fill(ADMIN.password);
    await admin.getByRole('button', { name: '로그인' }).click();
    await admin.getByRole('navigation').getByRole('link', { name: '투어 계획' }).click();
    const newTour = admin.locator('form#tour-new');
    await newTour.getByLabel(/^이름 \(영문\)/).fill('Roadshow 2027');
    await newTour.getByLabel(/^연도/).fill('2027');
    await newTour.getByRole('button', { name: '투어 만들기' }).click();
    await poll(() => admin.getByText('투어를 만들었습니다.').count()).toBe(1);
    const tourPage = admin.url().split('?')[0]!;
    const inst = admin.locator('form#institution');
    await inst.getByLabel(/^약칭/).fill('UNIST');
    await inst.getByLabel(/^기관명 \(영문\)|^이름 \(영문\)/).first().fill('Ulsan National Institute of Science and Technology');
    await inst.getByRole('button').first().click();
    await poll(() => admin.locator('#institutions').getByText('UNIST', { exact: true }).count()).toBeGreaterThan(0);

    // A national programme, then UNIST's own.
    await admin.getByRole('link', { name: '프로그램', exact: true }).click();
    const form = admin.locator('form#program');
    await form.getByLabel(/^이름 \(영문\)/).fill('Brain to Korea');
    await form.getByLabel(/^이름 \(한글\)/).fill('브레인 투 코리아');
    await form.getByLabel(/^종류/).selectOption('fellowship');
    await form.getByLabel(/^모집 인원/).fill('2000');
    await form.getByRole('button', { name: '프로그램 추가' }).click();
    await poll(() => admin.getByText('프로그램을 저장했습니다.', { exact: false }).count()).toBe(1);
    await form.getByLabel(/^운영 기관/).selectOption({ label: 'UNIST · Ulsan National Institute of Science and Technology' });
    await form.getByLabel(/^이름 \(영문\)/).fill('UNIST Research Professors');
    await form.getByLabel(/^이름 \(한글\)/).fill('UNIST 연구교수');
    await form.getByLabel(/^종류/).selectOption('researcher');
    await form.getByRole('button', { name: '프로그램 추가' }).click();
    await poll(() => admin.locator('#programs').getByRole('table', { name: /^UNIST/ }).count()).toBe(1);
    expect(await admin.locator('#programs').getByRole('table', { name: /^UNIST/ }).innerText()).toContain('UNIST 연구교수');

    // The same name again among the national programmes: refused beside the name, what was typed kept.
    await form.getByLabel(/^이름 \(영문\)/).fill('brain to korea');
    await form.getByLabel(/^종류/).selectOption('fellowship');
    await form.getByRole('button', { name: '프로그램 추가' }).click();
    await poll(() => admin.locator('#program-name-error').count()).toBe(1);
    expect(await admin.locator('#program-name-error').innerText()).toBe('같은 이름의 프로그램이 이미 있습니다(이 기관 또는 국가 프로그램 중).');
    expect(await form.getByLabel(/^이름 \(영문\)/).inputValue()).toBe('brain to korea');
    await admin.locator('#program').scrollIntoViewIfNeeded();
    expect(await fitsWidth(admin)).toBe(true);
    await admin.screenshot({ path: screenshotPath('programmes-hq-refused-ko'), animations: 'disabled' });

    await admin.goto(`${tourPage}?lang=en#programs`);
    const section = admin.locator('#programs');
    await poll(() => section.getByRole('heading', { name: 'Programmes' }).count()).toBe(1);
    expect(await section.getByRole('table', { name: 'National programmes' }).innerText()).toContain('Brain to Korea');
    expect(await section.getByRole('table', { name: /^UNIST/ }).innerText()).toContain('UNIST Research Professors');
    await section.scrollIntoViewIfNeeded();
    expect(await fitsWidth(admin)).toBe(true);
    await admin.screenshot({ path: screenshotPath('programmes-hq-section-en'), animations: 'disabled' });
    expect(errors).toEqual([]);
    await admin.close();
  });
});
