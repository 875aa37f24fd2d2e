import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';
import { closeMailHq, createMailHq, PUBLIC_URL, seedStop, TestSmtp, type MailHq } from '../helpers/mailHarness';
import { findClippedText } from '../helpers/textOverflow';
import { ADMIN } from '../helpers/tourScenario';

/**
 * Issue #21, attendee messages in Chromium at 1366×768: the admins' Messages page (the log, its filter,
 * the sending state) in both languages, and an attendee's unsubscribe page from the link in their email.
 */
let smtp: TestSmtp;
let hq: MailHq;
let browser: Browser;
let base: string;

const linkIn = (text: string): string => new RegExp(`${PUBLIC_URL.replace(/[.]/g, '\\.')}/unsubscribe/(\\S+)`).exec(text)![1]!;

beforeAll(async () => {
  smtp = new TestSmtp();
  await smtp.start();
  hq = await createMailHq({ transport: smtp.transport(), start: '2026-03-10T12:00:00.000Z' });
  seedStop(hq.store);
  await hq.mail.plan();
  await hq.mail.tick();
  // The SMTP server goes down: a new booking's confirmation fails once and waits for its retry.
  await smtp.stop();
  hq.store.events.append('booking_made', { bookingId: 'bk-kim', boothId: 'booth-kaist', slotStart: '2026-03-14T20:00:00.000Z', slotEnd: '2026-03-14T21:00:00.000Z', stopId: 'stop-boston', attendeeId: 'att-kim', registrationId: 'reg-kim', source: 'desk' }, { stopId: 'stop-boston' });
  await hq.mail.plan();
  await hq.mail.tick();
  await hq.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = hq.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (hq) await closeMailHq(hq);
  await smtp?.stop();
});

/** Nothing cut off (the skip link waits off-screen until it has the focus, by design). */
async function noClippedText(page: Page): Promise<void> {
  expect((await findClippedText(page)).filter((c) => c.where !== 'a.skip')).toEqual([]);
}

describe('attendee messages in Chromium', () => {
  it('shows the Messages log with its sending state and filter, in English and Korean', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/dashboard/sign-in?lang=en`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Messages' }).click();

    await expect.poll(() => page.getByTestId('sending-state').innerText()).toMatch(/^Sending is on: through smtp:\/\/127\.0\.0\.1:2525, from Roadshow HQ <roadshow@hq\.roadshow\.test>, at most 100 messages a minute\./);
    await expect.poll(() => page.getByTestId('message-counts').innerText()).toBe('Queued 3 · sent 5 · failed 0 · cancelled 0');
    const log = page.getByRole('table', { name: 'Messages to attendees' });
    await expect.poll(() => log.getByRole('row').count()).toBe(9);
    const failing = log.getByRole('row').filter({ hasText: 'Booking confirmation' }).filter({ hasText: 'minjun.kim@mit.example' });
    await expect.poll(() => failing.innerText()).toMatch(/Queued\s+1\s+planned 2026-03-10 12:00\s+next try 2026-03-10 12:01\s+.*ECONNREFUSED/);
    await page.screenshot({ path: screenshotPath('hq-messages-en'), fullPage: true });
    await noClippedText(page);

    await page.getByLabel('Status').selectOption('sent');
    await page.getByLabel('Kind').selectOption('confirmation');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => log.getByRole('row').count()).toBe(4);
    expect(page.url()).toContain('status=sent&kind=confirmation');
    await page.screenshot({ path: screenshotPath('hq-messages-filtered-en'), fullPage: true });

    await page.getByRole('link', { name: '한국어' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('참가자에게 보낸 메시지');
    await expect.poll(() => page.getByTestId('message-counts').innerText()).toBe('대기 3 · 발송 5 · 실패 0 · 취소 0');
    // The language link keeps the page's filter; "Show all" brings back the whole log.
    const logKo = page.getByRole('table', { name: '참가자에게 보낸 메시지' });
    await expect.poll(() => logKo.getByRole('row').count()).toBe(4);
    expect(page.url()).toContain('status=sent&kind=confirmation&lang=ko');
    await page.getByRole('link', { name: '모두 보기' }).click();
    await expect.poll(() => logKo.getByRole('row').count()).toBe(9);
    await noClippedText(page);
    await page.screenshot({ path: screenshotPath('hq-messages-ko'), fullPage: true });
    await context.close();
  });

  it('shows the confirmation email readably, with its QR ticket, in Korean and English', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    for (const [address, name] of [['minjun.kim@mit.example', 'email-confirmation-ko'], ['alex.smith@bu.example', 'email-confirmation-en']] as const) {
      const mail = smtp.to(address).find((m) => m.attachments.length > 0)!;
      const qr = mail.attachments[0]!;
      // What a mail program does with the cid: link: the inline attachment in its place.
      await page.setContent(String(mail.html).replace(`cid:${qr.cid}`, `data:image/png;base64,${qr.content.toString('base64')}`));
      await expect.poll(() => page.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
      await page.screenshot({ path: screenshotPath(name), fullPage: true });
    }
    await context.close();
  });

  it('lets an attendee unsubscribe from the link in their email, in their language', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const [kimMail] = smtp.to('minjun.kim@mit.example');
    // The test serves HQ on its own port: the link's path on this server.
    await page.goto(`${base}/unsubscribe/${linkIn(kimMail!.text!)}`);
    await expect.poll(() => page.getByText('m***@mit.example(으)로 보내는 로드쇼 이메일을 모두 받지 않으시겠습니까?').count()).toBe(1);
    await noClippedText(page);
    await page.screenshot({ path: screenshotPath('unsubscribe-ko'), fullPage: true });
    await page.getByRole('button', { name: '수신 거부' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('수신 거부되었습니다. m***@mit.example(으)로 로드쇼 이메일을 더 보내지 않습니다.');
    await page.screenshot({ path: screenshotPath('unsubscribe-done-ko'), fullPage: true });
    expect(hq.mail.isUnsubscribed('att-kim')).toBe(true);
    // Kim's queued booking confirmation (waiting for its retry) is cancelled.
    expect(hq.mail.outbox.byKey('booking_confirmation:bk-kim:2026-03-14T20:00:00.000Z')).toMatchObject({ status: 'cancelled', cancelReason: 'unsubscribed' });

    const [smithMail] = smtp.to('alex.smith@bu.example');
    await page.goto(`${base}/unsubscribe/${linkIn(smithMail!.text!)}`);
    await expect.poll(() => page.getByText('Stop all emails from the roadshow to a***@bu.example?').count()).toBe(1);
    await noClippedText(page);
    await page.screenshot({ path: screenshotPath('unsubscribe-en'), fullPage: true });
    await page.getByLabel('Korean (한국어)').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('저장했습니다. 앞으로 한국어로 메일을 보내 드립니다.');
    await page.screenshot({ path: screenshotPath('unsubscribe-language-saved-ko'), fullPage: true });
    expect(hq.mail.languageOf('att-smith')).toBe('ko');
    expect(hq.mail.isUnsubscribed('att-smith')).toBe(false);

    await page.goto(`${base}/unsubscribe/not-a-token`);
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/^This link does not work/);
    await context.close();
  });
});
