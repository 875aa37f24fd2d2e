import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';
import { closeDashboardHq } from '../helpers/dashboardBrowser';
import { seedOutcomeTour, type OutcomeTour } from '../helpers/outcomeScenario';
import { describeClipped, findClippedText } from '../helpers/textOverflow';
import { ADMIN, createDashboardHq, type DashboardHq } from '../helpers/tourScenario';

/** Issue #21: the outcome dashboard in Chromium at 1366×768, in English and Korean, on the hand-seeded tour. */
let hq: DashboardHq;
let tour: OutcomeTour;
let browser: Browser;
let base: string;

beforeAll(async () => {
  hq = await createDashboardHq();
  hq.clock.now = Date.now();
  tour = await seedOutcomeTour(hq);
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  tour?.close();
  if (hq) await closeDashboardHq(hq);
});

/** A row's text with its cells and lines as single spaces. */
const words = async (row: Locator) => (await row.innerText()).replace(/\s+/g, ' ').trim();

type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };

/** Every chart has pixels drawn; no table is wider than the window; no text is cut off. */
async function checkLayout(page: Page): Promise<void> {
  const canvases = page.locator('canvas');
  expect(await canvases.count()).toBeGreaterThanOrEqual(5);
  const blank = await canvases.evaluateAll((els) =>
    els
      .filter((el) => {
        const c = el as unknown as Canvas;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return false;
        return true;
      })
      .map((el) => (el as unknown as { id: string }).id),
  );
  expect(blank).toEqual([]);
  const wide = await page.locator('table').evaluateAll((els) =>
    els.filter((el) => (el as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect().right > 1366).map((el) => (el as unknown as { textContent: string }).textContent.slice(0, 60)),
  );
  expect(wide).toEqual([]);
  // The skip link waits off screen until it has the focus.
  const clipped = (await findClippedText(page)).filter((c) => c.where !== 'a.skip');
  expect(clipped, describeClipped(clipped)).toEqual([]);
}

describe('outcome dashboard in Chromium', () => {
  it('shows the funnel with charts and tables in English and Korean, filters with the form, downloads the CSV', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: 'en-US' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    await page.goto(`${base}/dashboard/sign-in?lang=en`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Outcomes' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('Outcomes: from registration to hire');
    const perStop = page.getByRole('table', { name: 'Per stop' });
    await expect.poll(() => words(perStop.getByRole('row', { name: /^1 Boston/ }))).toBe('1 Boston 2026-10-20 4 3 75% 3 100% 2 66.7% 1 50% 1 100% 25%');
    await checkLayout(page);
    await page.screenshot({ path: screenshotPath('hq-outcomes-en'), fullPage: true });
    await page.screenshot({ path: screenshotPath('hq-outcomes-en-top') });

    // The filter is a plain GET form.
    const filter = page.getByRole('search', { name: 'Filter the outcomes' });
    await filter.getByLabel('Institution').selectOption('inst-kaist');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('institution')).toBe('inst-kaist');
    await expect.poll(() => page.getByRole('table', { name: 'Per institution' }).getByRole('row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('outcome-scope').innerText()).toContain('institution: KAIST');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^outcomes_Roadshow-2026_KAIST_.*\.csv$/);
    expect(readFileSync((await download.path())!, 'utf8')).toContain('Whole selection,,Whole selection (Tour: Roadshow 2026 · stop: all · institution: KAIST · programme: all · career stage: all),7,5,4,3,2,1,');

    // Korean, every tour: the tours side by side.
    await page.goto(`${base}/dashboard/outcomes?lang=ko&tour=all`);
    await expect.poll(() => words(page.getByRole('table', { name: '투어별' }).getByRole('row', { name: /^로드쇼 2025/ }))).toBe('로드쇼 2025 2 2 100% 2 100% 2 100% 1 50% 1 100% 50%');
    await checkLayout(page);
    await page.screenshot({ path: screenshotPath('hq-outcomes-ko'), fullPage: true });
    await page.screenshot({ path: screenshotPath('hq-outcomes-ko-top') });
    for (const s of ['perStop', 'perProgram']) await page.locator(`section[aria-labelledby="outcome-${s}"]`).screenshot({ path: screenshotPath(`hq-outcomes-ko-${s}`) });

    expect(errors).toEqual([]);
    await context.close();
  });
});
