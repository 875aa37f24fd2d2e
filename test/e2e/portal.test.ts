import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';
import { ADMIN, createPortalHq, KAIST_USER, type PortalHq } from '../helpers/portalHq';

let browser: Browser;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});
afterAll(async () => {
  await browser?.close();
});

async function serve(): Promise<{ hq: PortalHq; base: string }> {
  const hq = await createPortalHq();
  cleanups.push(() => hq.close());
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  return { hq, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

async function open(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // (The 403 pages this test opens on purpose log their status; nothing else may.)
  page.on('console', (m) => m.type() === 'error' && !/status of 403/.test(m.text()) && errors.push(m.text()));
  return { page, errors };
}

const T = {
  en: {
    email: 'Email',
    password: 'Password',
    signIn: 'Sign in',
    leads: 'Our leads',
    search: 'Name, email or affiliation',
    filter: 'Filter',
    lead: 'Minjun Kim',
    history: 'Outcome history',
    status: 'Outcome',
    date: 'Date it happened',
    program: 'Programme',
    note: 'Note',
    record: 'Record',
    recorded: 'Outcome recorded.',
    hired: 'Hired',
    back: '← All leads',
    other: '한국어',
  },
  ko: {
    email: '이메일',
    password: '비밀번호',
    signIn: '로그인',
    leads: '우리 기관의 리드',
    search: '이름, 이메일 또는 소속',
    filter: '거르기',
    lead: '김민준',
    history: '결과 이력',
    status: '결과',
    date: '일어난 날짜',
    program: '프로그램',
    note: '메모',
    record: '기록',
    recorded: '결과를 기록했습니다.',
    hired: '채용됨',
    back: '← 모든 리드',
    other: 'English',
  },
} as const;

const STEPS = [
  ['contacted', '2026-11-21', 'Sent the InnoCORE call'],
  ['interview', '2026-12-02', 'Video interview with the lab'],
  ['applied', '2026-12-15', ''],
  ['offer', '2027-01-10', 'Offer for a March start'],
  ['hired', '2027-02-01', 'Signed'],
] as const;

/** An institution user signs in, finds Kim, and works the lead to hired; only KAIST's consented people are listed. */
async function workLead(lang: 'en' | 'ko', base: string, hq: PortalHq, page: Page): Promise<void> {
  const t = T[lang];
  await page.goto(`${base}/portal?lang=${lang}`);
  await page.getByLabel(t.email).fill(KAIST_USER.email);
  await page.getByLabel(t.password).fill(KAIST_USER.password);
  await page.screenshot({ path: screenshotPath(`portal-sign-in-${lang}`) });
  await page.getByRole('button', { name: t.signIn }).click();

  const table = page.getByRole('table', { name: t.leads });
  await expect.poll(() => table.getByRole('row').count()).toBe(2); // header + Kim
  const listed = await table.innerText();
  // Lee consented to UNIST only, Park to HQ statistics only: neither is KAIST's lead.
  for (const absent of ['Sora', '이소라', 'Jiho', '박지호', 'Yuna']) expect(listed).not.toContain(absent);
  await page.screenshot({ path: screenshotPath(`portal-leads-${lang}`), fullPage: true });

  await page.getByLabel(t.search).fill('mit.edu');
  await page.getByRole('button', { name: t.filter }).click();
  await page.getByRole('link', { name: t.lead }).click();
  await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe(t.lead);

  for (const [status, date, note] of STEPS) {
    // (A select's accessible name includes its chosen option: the form's fields by their labels' start.)
    const form = page.locator('#record-form');
    await form.getByRole('combobox', { name: new RegExp(`^${t.status}`) }).selectOption(status);
    await form.getByLabel(t.date).fill(date);
    await form.getByRole('combobox', { name: new RegExp(`^${t.program}`) }).selectOption(status === 'contacted' ? '' : hq.ids.kaistProgram);
    await form.getByLabel(t.note, { exact: true }).fill(note);
    await page.getByRole('button', { name: t.record, exact: true }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe(t.recorded);
  }
  const history = page.getByRole('table', { name: t.history });
  await expect.poll(async () => (await history.getByRole('row').allInnerTexts()).at(-1)).toContain(t.hired);
  await page.screenshot({ path: screenshotPath(`portal-lead-hired-${lang}`), fullPage: true });
  await page.screenshot({ path: screenshotPath(`portal-lead-hired-${lang}-viewport`) });
  const statuses = hq.leads.history('inst-kaist', 'att-kim').filter((o) => !o.retracted);
  expect(statuses.slice(-5).map((o) => [o.status, o.occurredOn])).toEqual(STEPS.map(([s, d]) => [s, d]));

  await page.getByRole('link', { name: t.back }).click();
  await expect.poll(() => page.getByRole('table', { name: t.leads }).getByRole('row').nth(1).innerText()).toContain(`${t.hired} · 2027-02-01`);
}

describe('institution portal in Chromium (issue #21)', () => {
  it('English: KAIST works Kim to hired, sees only its consented people, retracts a mistake, exports', async () => {
    const { hq, base } = await serve();
    const { page, errors } = await open('en-US');
    await workLead('en', base, hq, page);

    // A mistake, retracted with a reason: struck through, still in the history.
    await page.getByRole('link', { name: 'Minjun Kim' }).click();
    await page.locator('#record-form').getByRole('combobox', { name: /^Outcome/ }).selectOption('declined');
    await page.locator('#record-form').getByLabel('Date it happened').fill('2027-02-02');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Outcome recorded.');
    const last = page.getByRole('table', { name: 'Outcome history' }).getByRole('row').last();
    await last.getByText('Retract this outcome…').click();
    await last.getByLabel('Why (required)').fill('Clicked the wrong status');
    await last.getByRole('button', { name: 'Retract' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Outcome retracted.');
    await expect.poll(() => page.getByRole('table', { name: 'Outcome history' }).getByRole('row').last().innerText()).toContain('Retracted by Jung KAIST');
    await page.screenshot({ path: screenshotPath('portal-lead-retracted-en'), fullPage: true });

    await page.getByRole('link', { name: '← All leads' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^leads_KAIST_.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('mk@mit.edu');
    expect(csv).toContain('Hired,2027-02-01,KAIST AI postdoc,Signed');
    expect(csv).not.toContain('sora@harvard.edu');
    expect(csv).not.toContain('jiho@bu.edu');

    // The dashboard is not this account's: a translated 403 that points back to the portal.
    const res = await page.goto(`${base}/dashboard`);
    expect(res?.status()).toBe(403);
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('Not for this account');
    await page.screenshot({ path: screenshotPath('portal-forbidden-dashboard-en') });
    await page.getByRole('link', { name: 'Go to your institution’s leads' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.url()).toContain('/dashboard/sign-in');
    expect(errors).toEqual([]);
  });

  it('Korean: the same, on a lead with a long history; an admin makes an account and is refused the portal', async () => {
    const { hq, base } = await serve();
    // A long history before today's work (a year of contacts, two retracted by mistake).
    const earlier = ['contacted', 'contacted', 'interview', 'declined', 'contacted', 'collaboration', 'contacted', 'interview', 'lost', 'contacted'] as const;
    for (const [i, status] of earlier.entries()) {
      const r = await hq.leads.record({ attendeeId: 'att-kim', institutionId: 'inst-kaist', programId: i % 2 ? hq.ids.national : hq.ids.kaistProgram, status, occurredOn: `2026-0${1 + Math.floor(i / 2)}-1${i % 10}`, note: i % 3 === 0 ? '연구실 방문 일정을 조율하고 공동 연구 주제(대규모 언어 모델의 효율적 추론)에 대해 긴 이메일을 주고받음' : '' }, hq.ids.kaistUser);
      if (i === 3 || i === 8) await hq.leads.retract(r.outcomeId, 'inst-kaist', '다른 사람의 기록을 잘못 입력함', hq.ids.kaistUser);
    }
    const { page, errors } = await open('ko-KR');
    await workLead('ko', base, hq, page);
    await page.getByRole('link', { name: '김민준' }).click();
    await expect.poll(() => page.getByRole('table', { name: '결과 이력' }).getByRole('row').count()).toBe(1 + earlier.length + STEPS.length);
    await page.screenshot({ path: screenshotPath('portal-lead-long-history-ko'), fullPage: true });
    await page.screenshot({ path: screenshotPath('portal-lead-long-history-ko-viewport') });
    await page.getByRole('link', { name: 'English' }).click();
    await page.screenshot({ path: screenshotPath('portal-lead-long-history-en'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The admin's side: institution accounts; the portal refuses an admin.
    await page.goto(`${base}/dashboard/sign-in?lang=ko`);
    await page.getByLabel('이메일').fill(ADMIN.email);
    await page.getByLabel('비밀번호').fill(ADMIN.password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('link', { name: '기관 계정' }).click();
    await page.getByLabel('이메일').fill('recruit@kaist.ac.kr');
    await page.getByLabel('이름').fill('KAIST 인재영입팀');
    await page.getByRole('combobox', { name: /^기관/ }).selectOption('inst-kaist');
    await page.getByRole('button', { name: '계정 만들기' }).click();
    const link = await page.getByTestId('setup-link').innerText();
    expect(link).toMatch(/\/portal\/setup\//);
    await page.screenshot({ path: screenshotPath('portal-accounts-ko'), fullPage: true });
    const res = await page.goto(`${base}/portal`);
    expect(res?.status()).toBe(403);
    await page.screenshot({ path: screenshotPath('portal-forbidden-admin-ko') });
    await page.getByRole('link', { name: 'English' }).click();
    await page.goto(`${base}/dashboard/accounts`);
    await page.screenshot({ path: screenshotPath('portal-accounts-en'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
