import iconv from 'iconv-lite';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { tempDir } from '../helpers/testStore';

/**
 * Issue #22, the import dialog at a desk's 1366×768, in both languages: columns guessed from a Korean
 * Google Forms export and an Eventbrite export, the error of a Check without a name column next to
 * the button and in view, and the progress bar with counts while the host checks and writes.
 */

const poll = <T,>(fn: () => T | Promise<T>, opts: { timeout: number } = { timeout: 20_000 }) => expect.poll(fn, opts);
const VIEW = { width: 1366, height: 768 };

let app: BrowserModeApp;
let browser: Browser;
const dirs: string[] = [];
beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  for (const d of [...dirs, app?.dataDir].filter((x): x is string => Boolean(x))) rmSync(d, { recursive: true, force: true });
});

const csv = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
function file(name: string, bytes: Buffer): string {
  const dir = tempDir('e2e-importfit-');
  dirs.push(dir);
  const f = path.join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

/** A Korean Google Forms export saved by Korean Excel (CP949), `n` answers. */
function koreanForm(n: number): string {
  const rows = [['타임스탬프', '성명(한글)', '영문 이름', '소속', '과정/직위', '이메일', '개인정보 수집·이용 동의']];
  const family = ['김', '이', '박', '최', '정'];
  for (let i = 0; i < n; i++) rows.push([`2025. 10. 1 오전 10:${String(i % 60).padStart(2, '0')}:00`, `${family[i % 5]}민${i}`, `Min${i} ${['Kim', 'Lee', 'Park', 'Choi', 'Jung'][i % 5]}`, 'KAIST', '박사과정', `form${i}@kaist.ac.kr`, i % 7 === 0 ? '동의하지 않습니다' : '동의합니다']);
  return file('구글폼 응답.csv', iconv.encode(csv(rows), 'cp949'));
}

function eventbrite(n: number): string {
  const rows = [['Order #', 'Order Date', 'First Name', 'Last Name', 'Email', 'Quantity', 'Ticket Type', 'Attendee #', 'Barcode #', 'Attendee Status', 'Company', 'Job Title', 'Name in Korean (optional)']];
  for (let i = 0; i < n; i++) rows.push([`${5000 + i}`, '2025-10-01', `Jiwoo${i}`, 'Park', `eb${i}@cmu.edu`, '1', 'General', `${8000 + i}`, `EBX${100000 + (i === 5 ? 4 : i)}`, i % 10 === 3 ? 'Not Attending' : 'Attending', 'CMU', 'PhD student', `박지우${i}`]);
  return file('eventbrite.csv', Buffer.from(csv(rows)));
}

/** Wholly inside the 1366×768 window. */
async function inView(page: Page, el: Locator): Promise<boolean> {
  const box = await el.boundingBox();
  const vp = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width;
}

/**
 * Holds the host's answer to `channel` for a moment once it has arrived (Chromium's response-stage
 * interception: the request goes to the host once, as sent), so the desk's progress bar can be seen at that step.
 */
async function holdAnswer(page: Page, channel: string, ms: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Fetch.requestPaused', (e: { requestId: string }) => {
    setTimeout(() => void cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => undefined), ms);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `*/api/${channel}`, requestStage: 'Response' }] });
  return async () => {
    await cdp.send('Fetch.disable').catch(() => undefined);
    await cdp.detach().catch(() => undefined);
  };
}

describe('import dialog (issue #22) at 1366×768', () => {
  it('Korean: guesses the form’s columns, keeps the error in view beside Check, shows counts while checking and importing', async () => {
    const page = await browser.newPage({ viewport: VIEW });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.openUrl);
    await poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await page.getByRole('button', { name: '사전 등록 가져오기' }).click();
    const dialog = page.getByRole('dialog', { name: '사전 등록 가져오기' });
    const n = 3000;
    await dialog.locator('input[type="file"]').setInputFiles(koreanForm(n));
    await poll(() => dialog.getByRole('table', { name: '처음 몇 행 미리 보기' }).count()).toBe(1);
    // Guessed from the header words, and said so.
    await poll(() => dialog.getByText(/머리글 단어로 추정한 열: .*“개인정보 수집·이용 동의” → 동의 응답/).count()).toBe(1);
    expect(await dialog.getByRole('textbox', { name: /^동의 응답 열/ }).inputValue()).toBe('7. 개인정보 수집·이용 동의');
    expect(await dialog.getByRole('textbox', { name: /^한글 이름 열/ }).inputValue()).toBe('2. 성명(한글)');
    expect(await dialog.getByRole('textbox', { name: /^전체 이름 열/ }).inputValue()).toBe('3. 영문 이름');
    await page.screenshot({ path: screenshotPath('importfit-mapping-ko') });

    // No name column, then Check: the error is next to the button, titled, and in view.
    for (const field of ['한글 이름', '전체 이름']) {
      await dialog.getByRole('textbox', { name: new RegExp(`^${field} 열`) }).click();
      await page.getByRole('option', { name: '(가져오지 않음)' }).click();
    }
    await dialog.getByRole('button', { name: '행 확인하기' }).click();
    const alert = dialog.getByRole('alert', { name: '행을 검사하지 못했습니다' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('이름 열을 하나 이상 고르세요');
    await poll(() => inView(page, alert)).toBe(true);
    expect(await inView(page, dialog.getByRole('button', { name: '행 확인하기' }))).toBe(true);
    await page.screenshot({ path: screenshotPath('importfit-no-name-error-ko') });

    // A name column again: the error goes; the check shows its counts (the host's answer held a moment to see them).
    await dialog.getByRole('textbox', { name: /^한글 이름 열/ }).click();
    await page.getByRole('option', { name: '2. 성명(한글)' }).click();
    await poll(() => alert.count()).toBe(0);
    const release = await holdAnswer(page, 'import:check', 1500);
    await dialog.getByRole('button', { name: '행 확인하기' }).click();
    const bar = dialog.getByRole('group', { name: '가져오기 진행 상황' });
    await poll(() => bar.getByText(`행 검사 중: ${n.toLocaleString('ko-KR')}행 중 ${n.toLocaleString('ko-KR')}행`).count()).toBe(1);
    expect(await inView(page, bar)).toBe(true);
    await page.screenshot({ path: screenshotPath('importfit-checking-ko') });
    await poll(() => dialog.getByText(/^동의: 동의 2,571, 거부 429/).count()).toBe(1);
    await release();
    await page.screenshot({ path: screenshotPath('importfit-report-ko') });

    const releaseCommit = await holdAnswer(page, 'import:commit', 1500);
    await dialog.getByRole('button', { name: /^정상 .*행 가져오기$/ }).click();
    await poll(() => bar.getByText(/^(가져오는 중: 6,000건 중 [\d,]+건 씀|기록 6,000건을 디스크에 저장하는 중…)$/).count()).toBe(1);
    expect(await inView(page, bar)).toBe(true);
    await page.screenshot({ path: screenshotPath('importfit-importing-ko') });
    const done = dialog.getByRole('status', { name: '가져오기 완료' });
    await done.waitFor({ timeout: 30_000 });
    await releaseCommit();
    expect(await done.innerText()).toContain(`동의 응답 ${n.toLocaleString('ko-KR')}건을 기록했습니다.`);
    expect(await inView(page, done)).toBe(true);
    await page.screenshot({ path: screenshotPath('importfit-done-ko') });
    await dialog.getByRole('button', { name: '닫기' }).first().click();
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('English: guesses the Korean-name question of an Eventbrite export, and says rows not attending are skipped', async () => {
    const page = await browser.newPage({ viewport: VIEW });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.openUrl);
    await poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await page.getByRole('banner').getByText('English', { exact: true }).click();
    await page.getByRole('button', { name: 'Import registrations' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import pre-registrations' });
    await dialog.locator('input[type="file"]').setInputFiles(eventbrite(40));
    await poll(() => dialog.getByRole('table', { name: 'Preview of the first rows' }).count()).toBe(1);
    await poll(() => dialog.getByText(/Guessed from the header words: “Name in Korean \(optional\)” → Name in Hangul/).count()).toBe(1);
    expect(await dialog.getByRole('textbox', { name: /^Column for Name in Hangul/ }).inputValue()).toBe('13. Name in Korean (optional)');
    expect(await dialog.getByRole('textbox', { name: /^Column for Attendance status/ }).inputValue()).toBe('10. Attendee Status');
    await poll(() => dialog.getByText(/Rows of “Attendee Status” that say not attending or cancelled are skipped/).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('importfit-mapping-en') });

    // Unmapping the Hangul names warns that they would be lost.
    await dialog.getByRole('textbox', { name: /^Column for Name in Hangul/ }).click();
    await page.getByRole('option', { name: '(not imported)' }).click();
    await poll(() => dialog.getByText('Hangul names would not be imported').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('importfit-hangul-warning-en') });
    await dialog.getByRole('textbox', { name: /^Column for Name in Hangul/ }).click();
    await page.getByRole('option', { name: '13. Name in Korean (optional)' }).click();

    // No name column at all: the error beside Check, in view, in English too.
    for (const field of ['Family name', 'Given name', 'Name in Hangul']) {
      await dialog.getByRole('textbox', { name: new RegExp(`^Column for ${field}`) }).click();
      await page.getByRole('option', { name: '(not imported)' }).click();
    }
    await dialog.getByRole('button', { name: 'Check the rows' }).click();
    const alert = dialog.getByRole('alert', { name: 'The rows were not checked' });
    await alert.waitFor();
    await poll(() => inView(page, alert)).toBe(true);
    await page.screenshot({ path: screenshotPath('importfit-no-name-error-en') });
    await dialog.getByRole('textbox', { name: /^Column for Family name/ }).click();
    await page.getByRole('option', { name: '4. Last Name' }).click();
    await poll(() => alert.count()).toBe(0);
    for (const [field, column] of [['Given name', '3. First Name'], ['Name in Hangul', '13. Name in Korean (optional)']]) {
      await dialog.getByRole('textbox', { name: new RegExp(`^Column for ${field}`) }).click();
      await page.getByRole('option', { name: column }).click();
    }

    await dialog.getByRole('button', { name: 'Check the rows' }).click();
    await poll(() => dialog.getByText('4 not attending, skipped.').count()).toBe(1);
    // Row 7 repeats row 6's barcode: imported with a new code, listed with its row, name and email.
    const problems = dialog.getByRole('table', { name: 'Rows with problems' });
    await poll(() => problems.getByRole('row').count()).toBe(2);
    expect(await problems.getByRole('row').nth(1).innerText()).toMatch(/^7\s+Jiwoo5 Park \(박지우5\)\s+eb5@cmu\.edu\s+Scan code “EBX100004” is already used in row 6\s+Imported with a new scan code$/);
    await page.screenshot({ path: screenshotPath('importfit-report-en') });
    await dialog.getByRole('button', { name: 'Import the 36 valid rows' }).click();
    const done = dialog.getByRole('status', { name: 'Import finished' });
    await done.waitFor({ timeout: 30_000 });
    expect(await done.innerText()).toContain('4 not attending, skipped.');
    await page.screenshot({ path: screenshotPath('importfit-done-en') });
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    // Search by Hangul finds the imported people.
    await page.getByRole('textbox', { name: 'Search attendees' }).fill('박지우12');
    await poll(() => page.getByRole('list', { name: 'Search results' }).getByRole('listitem', { name: 'Jiwoo12 Park (박지우12)' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
