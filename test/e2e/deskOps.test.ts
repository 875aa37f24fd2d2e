import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/openStore';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { SyncClient } from '../../core/sync/syncClient';
import { ConsultationContent } from '../../shared/schemas/consultations';
import { callDeskApi, launchBrowser, screenshotPath, signIn, startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { startHttpHq, type HttpHq } from '../helpers/hqHttp';
import { createLaptop } from '../helpers/syncFixtures';
import { DEMO_STOP, tempDir } from '../helpers/testStore';

/**
 * Issue #19 at the desk, in a real browser against the built host and a real HQ: the conflict list
 * (a double check-in and notes edited on two laptops, made by a second laptop syncing through HQ),
 * the stop lead's purge section, and the download of an import's rejected rows; both languages.
 */
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000 });

let app: BrowserModeApp;
let browser: Browser;
let hq: HttpHq;
let laptopB: Store;
const dirs: string[] = [];
beforeAll(async () => {
  hq = await startHttpHq();
  app = await startBrowserMode();
  browser = await launchBrowser();
  laptopB = createLaptop('desk-b-e2e');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await hq?.close();
  if (laptopB) {
    const dir = path.dirname(laptopB.db.name);
    laptopB.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The desk's own API, as its page calls it. */
const deskApi = <T = unknown,>(channel: string, input: unknown): Promise<T> => callDeskApi<T>(app, channel, input);

async function open(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(app.openUrl);
  await page.getByRole('heading', { name: '체크인' }).waitFor({ timeout: 30_000 });
  return page;
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: /Main navigation|주 메뉴/ }).getByRole('button', { name, exact: true }).click();

describe('the desk’s side of issue #19', () => {
  it('lists HQ’s conflicts at the desk, resolves them by role, shows the purge state and downloads rejected rows (ko/en)', async () => {
    // ---- Two laptops of the stop meet through HQ ----
    await deskApi('settings:update', { currentStopId: DEMO_STOP });
    await deskApi('sync:configure', { url: hq.url });
    await deskApi('sync:enroll', { code: await hq.newCode(), label: 'Desk A' });
    const b = laptopB.events;
    const meta = { stopId: DEMO_STOP };
    const attendeeId = randomUUID();
    const registrationId = randomUUID();
    b.append('attendee_registered', { attendeeId, familyName: 'Seo', givenName: 'Jiho', nameKo: '서지호', email: 'jiho.seo@columbia.edu', affiliation: 'Columbia University', careerStage: 'postdoc', fields: ['ai'] }, meta);
    b.append('registration_created', { registrationId, attendeeId, stopId: DEMO_STOP, source: 'walk_in', scanToken: 'RS-E2E-SEO1' }, meta);
    const content = ConsultationContent.parse({ staffName: 'KAIST recruiter', notes: 'Interested in a BK21 postdoc' });
    const logged = b.append('consultation_logged', { consultationId: randomUUID(), stopId: DEMO_STOP, institutionId: 'inst-kaist', boothId: null, bookingId: null, attendeeId, registrationId, visitorLabel: '', content }, meta);
    const client = new SyncClient(laptopB, createHttpTransport(hq.url), await (await import('../../core/sync/syncClient')).enrollDevice(createHttpTransport(hq.url), 'desk-b-e2e', await hq.newCode({ deviceId: 'desk-b-e2e' }), 'Desk B'));
    await client.push();
    await deskApi('sync:now', {});
    // Both desks act before they sync again: a check-in each, and an edit of the same notes each.
    await deskApi('checkin:checkIn', { registrationId });
    const consultationId = (logged.payload as { consultationId: string }).consultationId;
    const detail = await deskApi<{ headRevisionIds: string[] }>('consultations:get', { consultationId });
    await deskApi('consultations:edit', { consultationId, baseRevisionId: detail.headRevisionIds[0], editor: 'Desk A', content: { ...content, notes: 'Edited at desk A' } });
    b.append('checked_in', { registrationId, attendeeId, stopId: DEMO_STOP, desk: 'Desk B' }, meta);
    b.append('consultation_edited', { consultationId, baseRevisionId: logged.eventId, editor: 'Desk B', content: { ...content, notes: 'Edited at desk B' } }, meta);
    await client.push();
    await deskApi('sync:now', {});

    // ---- The stop lead's conflict list, Korean then English ----
    const page = await open();
    await nav(page, '충돌');
    const listKo = page.getByRole('region', { name: '해결할 충돌' });
    await poll(() => listKo.getByRole('listitem').count()).toBe(2);
    expect(await listKo.innerText()).toContain('중복 체크인');
    expect(await listKo.innerText()).toContain('서지호');
    await page.screenshot({ path: screenshotPath('deskops-conflicts-lead-ko') });
    await page.getByRole('banner').getByText('English', { exact: true }).click();
    const list = page.getByRole('region', { name: 'Open conflicts' });
    await poll(() => list.innerText()).toMatch(/Double check-in[\s\S]*checked in at \d\d:\d\d \(.+\) and again at \d\d:\d\d \(Desk B\)/);
    expect(await list.innerText()).toContain('Notes edited on two laptops');
    await page.screenshot({ path: screenshotPath('deskops-conflicts-lead-en') });
    await list.getByRole('button', { name: /^Keep the current notes on / }).click();
    await poll(() => page.getByRole('main').getByRole('status').innerText()).toContain('Resolved.');
    await poll(() => list.getByRole('listitem').count()).toBe(1);

    // ---- The purge section: HQ lacks the demo's other laptops' events, the card says so ----
    await nav(page, 'Settings');
    const purge = page.getByRole('region', { name: 'Personal data on this laptop' });
    const card = purge.getByRole('region', { name: '3-1 New York' });
    await poll(() => card.innerText()).toMatch(/HQ lacks \d+ events of this stop that this laptop holds\. Sync first\./);
    expect(await card.getByRole('button', { name: /^Remove the personal data of 3-1 New York/ }).isDisabled()).toBe(true);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('deskops-purge-lead-en') });
    await page.getByRole('banner').getByText('한국어', { exact: true }).click();
    const cardKo = page.getByRole('region', { name: '이 노트북의 개인정보' }).getByRole('region', { name: '3-1 뉴욕' });
    await poll(() => cardKo.innerText()).toMatch(/본부에 없습니다/);
    await cardKo.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('deskops-purge-lead-ko') });

    // ---- Rejected rows of an import, downloaded (Korean) ----
    await nav(page, '체크인');
    await page.getByRole('button', { name: '사전 등록 가져오기' }).click();
    const dialog = page.getByRole('dialog', { name: '사전 등록 가져오기' });
    const dir = tempDir('e2e-rejects-');
    dirs.push(dir);
    const file = path.join(dir, '명단.csv');
    writeFileSync(file, '\ufefffamily_name,given_name,name_ko,email,affiliation\r\nHan,Yuri,한유리,yuri@cmu.edu,CMU\r\n,,,nobody@x.edu,MIT\r\n홍,길동,홍길동,not-mail,=1+2\r\n');
    await dialog.locator('input[type="file"]').setInputFiles(file);
    await dialog.getByRole('button', { name: '행 확인하기' }).click();
    const download = dialog.getByRole('button', { name: '제외된 2행 모두 내려받기 (CSV)' });
    await download.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('deskops-import-rejects-ko') });
    const [dl] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(dl.suggestedFilename()).toBe('rejected-rows_명단.csv');
    const saved = path.join(dir, 'rejected.csv');
    await dl.saveAs(saved);
    const text = readFileSync(saved, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text).toContain(',,,nobody@x.edu,MIT,3,이름(영문 또는 한글)이 없음\r\n');
    expect(text).toContain("홍,길동,홍길동,not-mail,'=1+2,4,이메일 주소가 올바르지 않음\r\n");
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('banner').getByText('English', { exact: true }).click();
    await page.getByRole('button', { name: 'Import registrations' }).click();
    const dialogEn = page.getByRole('dialog', { name: 'Import pre-registrations' });
    await dialogEn.locator('input[type="file"]').setInputFiles(file);
    await dialogEn.getByRole('button', { name: 'Check the rows' }).click();
    await dialogEn.getByRole('button', { name: 'Download all 2 rejected rows (CSV)' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('deskops-import-rejects-en') });
    await page.keyboard.press('Escape');
    await dialogEn.waitFor({ state: 'hidden' });

    // ---- Desk staff: the double check-in is theirs to undo; no purge section ----
    await deskApi('auth:lock', {});
    await page.reload();
    await signIn(page, 'Park Jiwoo', '222222');
    await page.getByRole('navigation', { name: /Main navigation|주 메뉴/ }).waitFor();
    await nav(page, 'Conflicts');
    const deskList = page.getByRole('region', { name: 'Open conflicts' });
    await poll(() => deskList.getByRole('listitem').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('deskops-conflicts-desk-en') });
    await deskList.getByRole('button', { name: /^Undo the second check-in of / }).click();
    await poll(() => deskList.innerText()).toContain('No open conflicts at this stop.');
    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 2 }).waitFor();
    expect(await page.getByRole('region', { name: 'Personal data on this laptop' }).count()).toBe(0);
    await page.close();
  }, 240_000);
});
