import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';
import { ADMIN, createPortalHq, KAIST_USER, type PortalHq } from '../helpers/portalHq';

/**
 * The HQ dashboard's header at a laptop's 1366×768, in English and Korean: the title bar (title, language,
 * account, sign-out) on one line, the eleven nav entries on one row under it, nothing past the window's
 * edge; the same for the institution portal's header.
 */
let hq: PortalHq;
let browser: Browser;
let base: string;

beforeAll(async () => {
  hq = await createPortalHq();
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hq?.close();
});

interface Box {
  text: string;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** What is wrong with the page's header at this width (empty: it fits). */
async function headerProblems(page: Page, navEntries: number): Promise<string[]> {
  const m = await page.evaluate(() => {
    // (The tests compile without the DOM's types: the little of it used here.)
    interface El {
      textContent: string | null;
      scrollWidth: number;
      clientWidth: number;
      getBoundingClientRect(): { top: number; bottom: number; left: number; right: number };
      querySelector(s: string): El | null;
      querySelectorAll(s: string): Iterable<El>;
    }
    const g = globalThis as unknown as { document: { documentElement: El; querySelector(s: string): El | null }; getComputedStyle(e: El): { overflowX: string } };
    const box = (el: El) => {
      const r = el.getBoundingClientRect();
      return { text: (el.textContent ?? '').trim().slice(0, 60), top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const header = g.document.querySelector('header.top')!;
    return {
      width: g.document.documentElement.clientWidth,
      scrollWidth: g.document.documentElement.scrollWidth,
      title: box(header.querySelector('h1')!),
      who: [...header.querySelectorAll('.who > *')].map(box),
      nav: [...header.querySelectorAll('nav.main li')].map(box),
      clipped: [...header.querySelectorAll('*')].filter((el) => el.scrollWidth > el.clientWidth + 1 && g.getComputedStyle(el).overflowX !== 'visible').map(box),
    };
  });
  const problems: string[] = [];
  if (m.scrollWidth > m.width) problems.push(`the page scrolls sideways: ${m.scrollWidth} > ${m.width}`);
  const line = (b: Box, of: Box) => b.top < of.bottom && b.bottom > of.top;
  for (const w of m.who) if (!line(w, m.title)) problems.push(`"${w.text}" is not on the title's line`);
  if (m.nav.length !== navEntries) problems.push(`${m.nav.length} nav entries, expected ${navEntries}`);
  for (const n of m.nav) if (!line(n, m.nav[0]!)) problems.push(`nav entry "${n.text}" is on a second row`);
  for (const b of [m.title, ...m.who, ...m.nav]) if (b.right > m.width || b.left < 0) problems.push(`"${b.text}" goes past the window (${b.left}–${b.right})`);
  for (const c of m.clipped) problems.push(`"${c.text}" is cut off`);
  return problems;
}

async function signIn(page: Page, path: string, lang: 'en' | 'ko', who: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}${path}?lang=${lang}`);
  await page.getByLabel(lang === 'en' ? 'Email' : '이메일').fill(who.email);
  await page.getByLabel(lang === 'en' ? 'Password' : '비밀번호').fill(who.password);
  await page.getByRole('button', { name: lang === 'en' ? 'Sign in' : '로그인' }).click();
  await page.locator('nav.main').waitFor();
}

describe('HQ header at 1366×768', () => {
  for (const lang of ['en', 'ko'] as const) {
    it(`fits the dashboard's and the portal's header on their lines (${lang})`, async () => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang === 'en' ? 'en-US' : 'ko-KR' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const problems: string[] = [];
      await signIn(page, '/dashboard', lang, ADMIN);
      for (const [path, name] of [
        ['/dashboard', 'overview'],
        ['/dashboard/outcomes', 'outcomes'],
        ['/dashboard/messages', 'messages'],
        ['/dashboard/accounts', 'accounts'],
      ] as const) {
        await page.goto(`${base}${path}?lang=${lang}`);
        await page.screenshot({ path: screenshotPath(`hq-header-${name}-${lang}`) });
        for (const p of await headerProblems(page, 11)) problems.push(`${path}: ${p}`);
        // The page's own entry is the current one.
        expect(await page.locator('nav.main a[aria-current="page"]').getAttribute('href')).toBe(path);
      }
      await context.clearCookies();
      await signIn(page, '/portal', lang, KAIST_USER);
      await page.screenshot({ path: screenshotPath(`hq-header-portal-${lang}`) });
      for (const p of await headerProblems(page, 1)) problems.push(`/portal: ${p}`);
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
