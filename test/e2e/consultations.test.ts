import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { loadDemoData } from '../../core/demo/demoData';
import { formatName } from '../../renderer/i18n/formatName';
import { DEMO_STOP, RESOURCES_DIR, tempDir } from '../helpers/testStore';

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

/** The machine is shared with other test runs: wait generously for the UI, never for a fixed time. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/**
 * A demo attendee registered at the demo's current stop (3-1 New York), named in both scripts, who
 * consented to share with all institutions: read from the same seeded demo the host was filled with.
 */
function demoPerson(): { token: string; name: string; nameKo: string } {
  const events = buildDemoEvents(loadDemoData(RESOURCES_DIR));
  const people = new Map<string, { familyName: string; givenName: string; nameKo: string }>();
  const sharing = new Set<string>();
  for (const e of events) {
    const p = e.payload as Record<string, string>;
    if (e.type === 'attendee_registered') people.set(p.attendeeId!, { familyName: p.familyName!, givenName: p.givenName!, nameKo: p.nameKo! });
    if (e.type === 'consent_recorded' && p.scope === 'all_institutions') sharing.add(p.attendeeId!);
    if (e.type === 'registration_created' && p.stopId === DEMO_STOP && sharing.has(p.attendeeId!)) {
      const person = people.get(p.attendeeId!);
      if (person?.familyName && person.nameKo) return { token: p.scanToken!, name: formatName(person), nameKo: person.nameKo };
    }
  }
  throw new Error('The demo has no suitable person at the current stop');
}
const { token: TOKEN, name: NAME, nameKo: NAME_KO } = demoPerson();

async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const file = path.join(tempDir('roadshow-dl-'), dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), bytes: readFileSync(file) };
}

describe('consultations in real Chromium', () => {
  it('logs a consultation from a scanned badge, edits it, and exports the institution’s follow-up list', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.openUrl);
    await poll(() => page.getByRole('heading', { name: '체크인' }).count()).toBe(1);
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Consultations' }).click();
    await poll(() => page.getByRole('heading', { name: 'Consultations' }).count()).toBe(1);

    // Log: scan the badge (typed as a scanner types it, ending in Enter), then fill the form.
    await page.getByRole('button', { name: 'Log a consultation' }).click();
    const form = page.getByRole('form', { name: 'Log a consultation' });
    await form.getByRole('textbox', { name: 'Badge code' }).fill(TOKEN);
    await form.getByRole('textbox', { name: 'Badge code' }).press('Enter');
    await poll(() => form.getByText(`Consulting ${NAME}`).count()).toBe(1);
    await poll(() => form.getByTestId('consent-current').textContent()).toContain('Share with all participating institutions');
    await form.getByRole('textbox', { name: 'Institution' }).click();
    await page.getByRole('option', { name: /^KAIST · / }).click();
    await form.getByRole('textbox', { name: 'Staff member' }).fill('KAIST recruiter');
    await form.getByText('AI', { exact: true }).click();
    // Programmes (issue #21): KAIST's own and the national ones, from HQ's list.
    await form.getByRole('textbox', { name: /^Programmes discussed/ }).click();
    await page.getByRole('option', { name: 'InnoCORE: Foundations of AI' }).click();
    await page.keyboard.press('Escape');
    await form.getByRole('radio', { name: 'High' }).check();
    await form.getByRole('textbox', { name: 'Preferred start (month)' }).fill('2026-03');
    await form.getByRole('textbox', { name: 'Follow-up action' }).fill('Send the InnoCORE LLM group call');
    await form.getByRole('textbox', { name: 'Due date' }).fill('2025-11-30');
    await form.getByRole('textbox', { name: 'Notes' }).fill('=HYPERLINK("http://evil") 대전 연구실 방문 희망');
    await page.screenshot({ path: screenshotPath('consultations-log-form-en') });
    await form.getByRole('button', { name: 'Save consultation' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: `Consultation with ${NAME} saved.` }).count()).toBe(1);
    const table = page.getByRole('table', { name: 'Consultations' });
    await poll(() => table.getByRole('row').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('consultations-list-en') });

    // Edit: a new revision naming the one it edits; the history says who changed what.
    await table.getByRole('button', { name: `Open consultation with ${NAME}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Consultation' });
    await dialog.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit consultation' });
    await edit.getByRole('textbox', { name: 'Follow-up status' }).click();
    await page.getByRole('option', { name: 'In progress' }).click();
    await edit.getByRole('textbox', { name: 'Your name (kept in the history)' }).fill('Kim Hana');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    const history = page.getByRole('list', { name: 'History' });
    await poll(() => history.getByText('Kim Hana changed follow-up status').count()).toBe(1);
    expect(await history.getByText('KAIST recruiter logged it').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('consultations-detail-history-en') });
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    await poll(() => table.getByText('In progress').count()).toBe(1);

    // Export KAIST's follow-up list: the download is a CSV with a BOM, formulas neutralised, and an XLSX.
    await page.getByRole('textbox', { name: 'Institution to export' }).click();
    await page.getByRole('option', { name: /^KAIST · / }).click();
    const csv = await download(page, 'Export CSV');
    expect(csv.name).toMatch(/^follow-ups_KAIST_3-1-New-York_\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.bytes.toString('utf8');
    expect(text).toContain(NAME_KO);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"") 대전 연구실 방문 희망"`);
    expect(text).toContain('In progress');
    expect(text).toContain('InnoCORE: Foundations of AI');
    await poll(() => page.getByRole('status').filter({ hasText: /1 rows saved as follow-ups_KAIST/ }).count()).toBe(1);
    const xlsx = await download(page, 'Export Excel');
    expect(xlsx.name).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const row = (wb.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
    expect(row).toContain(NAME_KO);
    expect(row).toContain(`'=HYPERLINK("http://evil") 대전 연구실 방문 희망`);
    await page.screenshot({ path: screenshotPath('consultations-exported-en') });

    // The same screen in Korean.
    await page.getByText('한국어', { exact: true }).click();
    await poll(() => page.getByRole('heading', { name: '상담' }).count()).toBe(1);
    await poll(() => page.getByRole('table', { name: '상담 목록' }).getByText('진행 중').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('consultations-list-ko') });
    await page.getByRole('button', { name: '상담 기록하기' }).click();
    await poll(() => page.getByRole('form', { name: '상담 기록하기' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('consultations-log-form-ko') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
