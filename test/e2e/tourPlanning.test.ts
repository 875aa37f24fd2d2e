import ExcelJS from 'exceljs';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWalkInConsent, launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { ADMIN, createDashboardHq, type DashboardHq } from '../helpers/tourScenario';

/**
 * Issue #18 end to end, from nothing: an HQ with an empty data folder, an admin plans a two-stop tour in the
 * dashboard in Korean (one stop from the tour spreadsheet, one by hand), a desk started with --no-demo enrolls
 * and receives it, shows both stops with their sessions and booths in their own time zones, books a
 * consultation; HQ then cuts the booth's hours and the desk's conflict list shows the booking that no longer fits.
 */
let hq: DashboardHq;
let hqUrl: string;
let desk: BrowserModeApp;
let browser: Browser;

beforeAll(async () => {
  hq = await createDashboardHq();
  // HQ's clock is the real one here: the desk stamps its events with the machine's time.
  Object.defineProperty(hq.clock, 'now', { get: () => Date.now() });
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  hqUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  desk = await startBrowserMode({ args: ['--no-demo'], signedIn: false });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
  if (desk) rmSync(desk.dataDir, { recursive: true, force: true });
  if (hq) {
    await hq.close();
    rmSync(hq.dataDir, { recursive: true, force: true });
  }
});

/** The Chicago stop as HQ would fill the template: sheets and columns by their keys. */
async function chicagoWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = (name: string, header: string[], rows: (string | number)[][]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
  };
  sheet('Stops', ['round', 'city', 'cityKo', 'venue', 'campus', 'date', 'timeZone', 'kind'], [['1', 'Chicago', '시카고', 'Hyatt Regency', '', '2027-03-15', 'America/Chicago', 'joint_briefing']]);
  sheet('Sessions', ['stop', 'kind', 'title', 'titleKo', 'startTime', 'endTime', 'room', 'capacity', 'cancelled'], [
    ['1', 'policy_briefing', 'Policy briefing', '정책 설명회', '10:00', '11:30', 'Ballroom A', 300, 'no'],
    ['1', 'booth_hours', 'Booths', '부스 상담', '13:00', '17:00', 'Hall B', '', 'no'],
  ]);
  sheet('Institutions', ['shortName', 'name', 'nameKo', 'kind', 'programs', 'contactName', 'contactEmail'], [
    ['KAIST', 'Korea Advanced Institute of Science and Technology', '한국과학기술원', 'university', 'InnoCORE postdoc positions; Brain to Korea', 'Park Sora', 'talent@kaist.example'],
  ]);
  sheet('Booths', ['stop', 'institution', 'location', 'staff', 'startTime', 'endTime', 'slotMinutes', 'capacity', 'breaks', 'fields', 'removed'], [['1', 'KAIST', 'B01', 'Recruiter', '13:00', '15:00', 30, 1, '', '', 'no']]);
  sheet('Staff', ['name', 'role', 'institution', 'stops'], []);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function newPage(lang: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: lang, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

describe('a real tour, from an empty HQ to a desk’s conflict list', () => {
  it('HQ plans two stops in Korean (spreadsheet + by hand); a --no-demo desk receives, books, and sees HQ’s later change as a conflict', async () => {
    // ---- HQ: sign in, Korean, a new tour ----
    const { page: admin, errors: adminErrors } = await newPage('ko-KR');
    await admin.goto(`${hqUrl}/dashboard?lang=ko`);
    await admin.getByLabel('이메일').fill(ADMIN.email);
    await admin.getByLabel('비밀번호').fill(ADMIN.password);
    await admin.getByRole('button', { name: '로그인' }).click();
    await admin.getByRole('navigation').getByRole('link', { name: '투어 계획' }).click();
    const newTour = admin.locator('form#tour-new');
    await newTour.getByLabel(/^이름 \(영문\)/).fill('Korea–US Research Exchange Roadshow 2027');
    await newTour.getByLabel(/^이름 \(한글\)/).fill('2027 한미 과학기술 인재교류 로드쇼');
    await newTour.getByLabel(/^연도/).fill('2027');
    await newTour.getByLabel(/^첫날/).fill('2027-03-01');
    await newTour.getByLabel(/^마지막 날/).fill('2027-04-30');
    await newTour.getByRole('button', { name: '투어 만들기' }).click();
    await expect.poll(() => admin.getByText('투어를 만들었습니다.').count()).toBe(1);
    const tourPage = admin.url().split('?')[0]!;

    // One stop from the spreadsheet: checked first, then applied.
    await admin.locator('form#sheet-form input[type=file]').setInputFiles({ name: 'chicago.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await chicagoWorkbook() });
    await admin.getByRole('button', { name: '파일 확인' }).click();
    await expect.poll(() => admin.locator('#sheet-result').innerText(), { timeout: 20_000 }).toContain('문제 없음');
    await admin.screenshot({ path: screenshotPath('tour-e2e-hq-sheet-checked-ko'), fullPage: true });
    await admin.getByRole('button', { name: '파일 적용' }).click();
    await expect.poll(() => admin.locator('#sheet-result').innerText(), { timeout: 20_000 }).toContain('적용했습니다');

    // One stop by hand, in Korean: Boston, its session and KAIST's booth.
    await admin.goto(tourPage);
    const stopForm = admin.locator('form#stop-new');
    await stopForm.getByLabel(/^회차/).fill('2');
    await stopForm.getByLabel(/^도시 \(영문\)/).fill('Boston');
    await stopForm.getByLabel(/^도시 \(한글\)/).fill('보스턴');
    await stopForm.getByLabel(/^장소/).fill('MIT Stata Center');
    await stopForm.getByLabel(/^날짜/).fill('2027-03-18');
    await stopForm.getByLabel(/^시간대/).selectOption('America/New_York');
    await stopForm.getByLabel(/^종류/).selectOption('campus_roadshow');
    await stopForm.getByRole('button', { name: '행사 추가' }).click();
    await expect.poll(() => admin.getByText('행사를 추가했습니다.').count()).toBe(1);
    const bostonPlan = admin.url().split('?')[0]!;
    const session = admin.locator('form#session');
    await session.getByLabel(/^종류/).selectOption('campus_talk');
    await session.getByLabel(/^제목 \(영문\)/).fill('Campus talk: research careers in Korea');
    await session.getByLabel(/^제목 \(한글\)/).fill('캠퍼스 강연: 한국의 연구 경력');
    await session.getByLabel(/^시작/).fill('11:00');
    await session.getByLabel(/^종료/).fill('12:00');
    await session.getByLabel(/^장소\(방\)/).fill('32-123');
    await session.getByRole('button', { name: '세션 추가' }).click();
    await expect.poll(() => admin.getByText('세션을 저장했습니다.').count()).toBe(1);
    const booth = admin.locator('form#booth');
    await booth.getByLabel(/^기관/).selectOption({ label: 'KAIST · 한국과학기술원' });
    await booth.getByLabel(/^부스 번호/).fill('A07');
    await booth.getByLabel(/^상담 시작/).fill('14:00');
    await booth.getByLabel(/^상담 종료/).fill('16:00');
    await booth.getByLabel(/^슬롯 길이/).fill('20');
    await booth.getByLabel(/^슬롯당 인원/).fill('2');
    await booth.getByRole('button', { name: '부스 추가' }).click();
    await expect.poll(() => admin.getByText('부스를 저장했습니다.').count()).toBe(1);
    await admin.screenshot({ path: screenshotPath('tour-e2e-hq-boston-plan-ko'), fullPage: true });

    // An enrollment code for the desk.
    await admin.getByRole('link', { name: '등록 코드' }).click();
    await admin.getByLabel(/^이름 \(예/).fill('Desk A, Chicago');
    await admin.getByRole('button', { name: '코드 만들기' }).click();
    const code = (await admin.getByTestId('enrollment-code').innerText()).trim();
    expect(code.length).toBeGreaterThanOrEqual(4);

    // ---- The desk: first start without demo data ----
    const { page: d, errors: deskErrors } = await newPage('en-US');
    await d.goto(desk.openUrl);
    await d.getByText('English', { exact: true }).click();
    const setup = d.getByRole('form', { name: 'Set up the stop lead' });
    await setup.getByLabel('Your name').fill('Han Jisoo');
    await setup.getByLabel(/^PIN/).first().fill('246813');
    await setup.getByLabel('PIN again').fill('246813');
    await setup.getByRole('button', { name: 'Create and sign in' }).click();
    await expect.poll(() => d.getByRole('heading', { name: 'This desk has no tour yet' }).count()).toBe(1);
    await d.screenshot({ path: screenshotPath('tour-e2e-desk-no-tour-en') });

    await d.getByRole('button', { name: 'Sync → Connection to HQ' }).click();
    await d.getByRole('textbox', { name: 'HQ address' }).fill(hqUrl);
    await d.getByRole('button', { name: 'Save address' }).click();
    await expect.poll(() => d.getByText('HQ address saved.').count()).toBe(1);
    await d.getByRole('textbox', { name: 'Enrollment code' }).fill(code);
    await d.getByRole('textbox', { name: 'Name of this laptop at HQ' }).fill('Desk A, Chicago');
    await d.getByRole('button', { name: 'Enroll', exact: true }).click();
    await expect.poll(() => d.getByText('Enrolled: this laptop can sync with HQ.').count()).toBe(1);
    await d.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => d.getByText(/^Sent \d+, received \d+, conflicts 0\.$/).count(), { timeout: 60_000 }).toBeGreaterThan(0);

    // Both stops are in the picker without a reload; pick Chicago.
    const picker = d.getByRole('textbox', { name: 'Current stop' });
    await picker.click();
    await expect.poll(() => d.getByRole('option').allInnerTexts()).toEqual(['1 · Chicago · 2027-03-15', '2 · Boston · 2027-03-18']);
    await d.getByRole('option', { name: '1 · Chicago · 2027-03-15' }).click();

    // The programme in Chicago's time, then Boston's in Boston's.
    const nav = d.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('button', { name: 'Programme' }).click();
    const programme = d.getByRole('table', { name: 'Programme of this stop' });
    await expect.poll(() => programme.innerText()).toContain('10:00–11:30 (America/Chicago)');
    expect(await programme.innerText()).toContain('Policy briefing');
    await d.screenshot({ path: screenshotPath('tour-e2e-desk-programme-chicago-en') });
    await picker.click();
    await d.getByRole('option', { name: '2 · Boston · 2027-03-18' }).click();
    await expect.poll(() => programme.innerText()).toContain('11:00–12:00 (America/New_York)');
    await nav.getByRole('button', { name: 'Booths' }).click();
    await expect.poll(() => d.getByText('Times are local to the stop (America/New_York).').count()).toBe(1);
    await expect.poll(() => d.getByRole('button', { name: /^KAIST 14:00–14:20: 0 of 2 booked/ }).count()).toBe(1);

    // Back to Chicago: a walk-in, then a consultation at KAIST 14:30 (local).
    await picker.click();
    await d.getByRole('option', { name: '1 · Chicago · 2027-03-15' }).click();
    await nav.getByRole('button', { name: 'Check-in' }).click();
    await d.keyboard.press('F2');
    const walkIn = d.getByRole('dialog', { name: 'Walk-in registration' });
    await walkIn.getByRole('textbox', { name: 'Given name (Latin)' }).fill('Jina');
    await walkIn.getByRole('textbox', { name: 'Family name (Latin)' }).fill('Lee');
    await walkIn.getByRole('textbox', { name: 'Email' }).fill('jina.lee@uchicago.example');
    await answerWalkInConsent(d, walkIn);
    await walkIn.getByRole('button', { name: 'Register and check in' }).click();
    await expect.poll(() => d.getByRole('status', { name: 'Walk-in registered' }).filter({ hasText: 'Jina Lee' }).count()).toBe(1);

    await nav.getByRole('button', { name: 'Booths' }).click();
    await expect.poll(() => d.getByText('Times are local to the stop (America/Chicago).').count()).toBe(1);
    await d.getByRole('button', { name: /^KAIST 14:30–15:00: 0 of 1 booked/ }).click();
    const dialog = d.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Find attendee' }).fill('Jina');
    await dialog.getByRole('button', { name: /^Book .*Jina/ }).click();
    await expect.poll(() => dialog.getByRole('status').filter({ hasText: /is booked at KAIST, 14:30\./ }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await d.screenshot({ path: screenshotPath('tour-e2e-desk-booked-en') });

    // ---- HQ cuts KAIST's hours in Chicago to 13:00–14:00 ----
    await admin.goto(tourPage);
    await admin.getByRole('link', { name: /시카고 계획$/ }).click();
    await admin.getByRole('link', { name: '수정: KAIST' }).click();
    await admin.locator('form#booth').getByLabel(/^상담 종료/).fill('14:00');
    await admin.locator('form#booth').getByRole('button', { name: '저장' }).click();
    await expect.poll(() => admin.getByText('부스를 저장했습니다.').count()).toBe(1);
    expect(bostonPlan).not.toBe(admin.url());

    // ---- The desk syncs: the booking stays, listed as a conflict ----
    await nav.getByRole('button', { name: 'Sync' }).click();
    await d.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => d.getByText(/^Sent \d+, received [1-9]\d*, conflicts \d+\.$/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await nav.getByRole('button', { name: 'Booths' }).click();
    const conflicts = d.getByRole('region', { name: 'Conflicts after sync' });
    await expect.poll(() => conflicts.innerText()).toMatch(/KAIST.* 14:30: booking outside the current plan/);
    expect(await conflicts.innerText()).toContain('Jina');
    await d.screenshot({ path: screenshotPath('tour-e2e-desk-conflict-en'), fullPage: true });

    expect(adminErrors).toEqual([]);
    expect(deskErrors).toEqual([]);
  });
});
