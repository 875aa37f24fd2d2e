import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWalkInConsent, launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { tempDir } from '../helpers/testStore';

/** Generous waits: CI shares two cores with everything else; nothing here is a timing assertion. */
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

async function openDesk(language: 'en' | 'ko'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.openUrl);
  // The desk opens in the language it was last used in.
  await poll(() => page.getByRole('heading', { name: /^(체크인|Check-in)$/ }).count(), { timeout: 30_000 }).toBe(1);
  await page.getByText(language === 'en' ? 'English' : '한국어', { exact: true }).click();
  await poll(() => page.getByRole('heading', { name: language === 'en' ? 'Check-in' : '체크인' }).count()).toBe(1);
  return { page, errors };
}

/** Replaces the print dialog: records what the badge sheet holds when the desk prints. */
async function capturePrint(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as { print: () => void; __printed?: string; document: { querySelector(s: string): { textContent: string | null } | null } };
    w.__printed = '';
    w.print = () => {
      w.__printed = w.document.querySelector('.badge-print-root')?.textContent ?? '';
    };
  });
}
const printed = (page: Page) => page.evaluate(() => (globalThis as unknown as { __printed?: string }).__printed ?? '');

async function downloadPdf(page: Page, dialog: Locator, button: string): Promise<void> {
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: button }).click()]);
  const file = path.join(tempDir('e2e-badge-'), download.suggestedFilename());
  await download.saveAs(file);
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
}

describe('attendee correction at the desk, in real Chromium', () => {
  it('English: corrects a misspelt walk-in, shows the history, reprints the badge with the new name', async () => {
    const { page, errors } = await openDesk('en');
    // A walk-in typed in a hurry: misspelt name and email.
    await page.getByRole('button', { name: 'Register walk-in' }).click();
    const walkIn = page.getByRole('dialog', { name: 'Walk-in registration' });
    await walkIn.getByRole('textbox', { name: 'Given name (Latin)' }).fill('Jhon');
    await walkIn.getByRole('textbox', { name: 'Family name (Latin)' }).fill('Smiht');
    await walkIn.getByRole('textbox', { name: 'Email' }).fill('jhon.smiht@example.edu');
    await answerWalkInConsent(page, walkIn);
    await walkIn.getByRole('button', { name: 'Register and check in' }).click();
    await poll(() => page.getByRole('status', { name: 'Walk-in registered' }).count()).toBe(1);

    await page.getByRole('textbox', { name: 'Search attendees' }).fill('Smiht');
    await page.getByRole('button', { name: 'Edit the details of Jhon Smiht' }).click();
    const edit = page.getByRole('dialog', { name: /^Correct details of/ });
    await poll(() => edit.getByRole('textbox', { name: 'Given name (Latin)' }).inputValue()).toBe('Jhon');
    await edit.getByRole('textbox', { name: 'Given name (Latin)' }).fill('John');
    await edit.getByRole('textbox', { name: 'Family name (Latin)' }).fill('Smith');
    await edit.getByRole('textbox', { name: 'Email' }).fill('not an email');
    await edit.getByRole('button', { name: 'Save corrections' }).click();
    // Bad input: said next to the field, nothing lost.
    await poll(() => edit.getByText('Not a valid email address').count()).toBe(1);
    expect(await edit.getByRole('textbox', { name: 'Given name (Latin)' }).inputValue()).toBe('John');
    await page.screenshot({ path: screenshotPath('attendee-edit-error-en'), animations: 'disabled' });
    await edit.getByRole('textbox', { name: 'Email' }).fill('john.smith@example.edu');
    await page.screenshot({ path: screenshotPath('attendee-edit-en'), animations: 'disabled' });
    await edit.getByRole('button', { name: 'Save corrections' }).click();
    await poll(() => edit.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    // The title and the check-in banner behind now say the corrected name.
    await poll(() => page.getByRole('dialog', { name: 'Correct details of John Smith' }).count()).toBe(1);
    await poll(() => page.getByRole('status', { name: 'Walk-in registered' }).textContent()).toContain('John Smith');
    await page.screenshot({ path: screenshotPath('attendee-edit-saved-en'), animations: 'disabled' });

    // Reprint: the badge dialog opens for this person, and the badge carries the corrected name.
    await edit.getByRole('button', { name: 'Reprint badge' }).click();
    const badge = page.getByRole('dialog', { name: 'Name badges' });
    await poll(() => badge.getByRole('radio', { name: 'John Smith only' }).isChecked()).toBe(true);
    await capturePrint(page);
    await badge.getByRole('button', { name: 'Print' }).click();
    await poll(() => printed(page)).toContain('John Smith');
    expect(await printed(page)).not.toContain('Smiht');
    await downloadPdf(page, badge, 'Download PDF');
    await page.screenshot({ path: screenshotPath('attendee-reprint-en'), animations: 'disabled' });
    await badge.getByRole('button', { name: 'Close' }).click();

    // Search finds the corrected name at once; the history says who changed what, where and when.
    await page.getByRole('textbox', { name: 'Search attendees' }).fill('John Smith');
    await page.getByRole('button', { name: 'History of John Smith' }).click();
    const details = page.getByRole('table', { name: 'Changes to details' });
    await poll(() => details.count()).toBe(1);
    await poll(() => details.textContent()).toContain('Corrected by Kim Minji at Desk 1');
    expect(await details.textContent()).toContain('Given name: Jhon → John');
    expect(await details.textContent()).toContain('Email: jhon.smiht@example.edu → john.smith@example.edu');
    await page.screenshot({ path: screenshotPath('attendee-history-en'), animations: 'disabled' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Korean: a Hangul-only walk-in gets a suggested romanization that is confirmed, then a correction and a reprint', async () => {
    const { page, errors } = await openDesk('ko');
    await page.getByRole('button', { name: '현장 등록', exact: true }).click();
    const walkIn = page.getByRole('dialog', { name: '현장 등록' });
    await walkIn.getByRole('textbox', { name: '한글 이름' }).fill('최서운');
    const hint = walkIn.getByRole('region', { name: '한글 이름의 로마자 표기: Seoun Choi' });
    await poll(() => hint.count()).toBe(1);
    expect(await hint.textContent()).toContain('표기법대로라면 성은 “Choe”');
    await page.screenshot({ path: screenshotPath('walkin-romanization-ko'), animations: 'disabled' });
    await hint.getByRole('button', { name: '이 철자 사용' }).click();
    expect(await walkIn.getByRole('textbox', { name: '성 (영문)' }).inputValue()).toBe('Choi');
    expect(await walkIn.getByRole('textbox', { name: '이름 (영문)' }).inputValue()).toBe('Seoun');
    await answerWalkInConsent(page, walkIn, { korean: true });
    await walkIn.getByRole('button', { name: '등록 후 체크인' }).click();
    await poll(() => page.getByRole('status', { name: '현장 등록 완료' }).count()).toBe(1);

    // The Hangul was misspelt (운 for 윤): corrected at the desk, the Latin name with it.
    await page.getByRole('textbox', { name: '참가자 검색' }).fill('최서운');
    await page.getByRole('button', { name: 'Seoun Choi (최서운) 정보 수정' }).click();
    const edit = page.getByRole('dialog', { name: /정보 바로잡기$/ });
    await poll(() => edit.getByRole('textbox', { name: '한글 이름' }).inputValue()).toBe('최서운');
    await edit.getByRole('textbox', { name: '한글 이름' }).fill('최서윤');
    await edit.getByRole('textbox', { name: '이름 (영문)' }).fill('Seoyun');
    await page.screenshot({ path: screenshotPath('attendee-edit-ko'), animations: 'disabled' });
    await edit.getByRole('button', { name: '수정 내용 저장' }).click();
    await poll(() => edit.getByRole('status').filter({ hasText: '저장했습니다.' }).count()).toBe(1);
    await poll(() => page.getByRole('status', { name: '현장 등록 완료' }).textContent()).toContain('최서윤');
    await page.screenshot({ path: screenshotPath('attendee-edit-saved-ko'), animations: 'disabled' });
    await edit.getByRole('button', { name: '명찰 다시 인쇄' }).click();
    const badge = page.getByRole('dialog', { name: '명찰' });
    await poll(() => badge.getByRole('radio', { name: /^Seoyun Choi \(최서윤\)/ }).isChecked()).toBe(true);
    await capturePrint(page);
    await badge.getByRole('button', { name: '인쇄' }).click();
    await poll(() => printed(page)).toContain('Seoyun Choi');
    expect(await printed(page)).toContain('최서윤');
    await downloadPdf(page, badge, 'PDF 내려받기');
    await page.screenshot({ path: screenshotPath('attendee-reprint-ko'), animations: 'disabled' });
    await badge.getByRole('button', { name: '닫기' }).click();

    await page.getByRole('textbox', { name: '참가자 검색' }).fill('최서윤');
    await page.getByRole('button', { name: 'Seoyun Choi (최서윤) 이력' }).click();
    const details = page.getByRole('table', { name: '정보 변경 이력' });
    await poll(() => details.textContent()).toContain('Kim Minji, Desk 1에서 수정');
    expect(await details.textContent()).toContain('한글 이름: 최서운 → 최서윤');
    await page.screenshot({ path: screenshotPath('attendee-history-ko'), animations: 'disabled' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
