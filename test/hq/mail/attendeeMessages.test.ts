import { createRequire } from 'node:module';
import jsQR from 'jsqr';
import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fallbackLanguage } from '../../../hq/server/mail/planner';
import { momentText, QR_CID, timeText } from '../../../hq/server/mail/mailText';
import { dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { closeMailHq, createMailHq, PUBLIC_URL, seedConsultations, seedStop, STOP, TestSmtp, type MailHq } from '../../helpers/mailHarness';

// pngjs is qrcode's own PNG codec (always installed with it); it ships no types.
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

const BEFORE = '2026-03-10T12:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);

/** A header as sent (folded lines joined). */
function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').slice(name.length + 1).trim();
}
const linkIn = (text: string, kind: 'book' | 'unsubscribe'): string => {
  const m = new RegExp(`${PUBLIC_URL.replace(/[.]/g, '\\.')}/${kind}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${kind} link in: ${text}`);
  return m[1]!;
};
function qrText(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height)?.data ?? null;
}
function only(smtp: TestSmtp, address: string): ParsedMail[] {
  return smtp.to(address);
}
function expectUnsubscribeHeaders(h: MailHq, mail: ParsedMail, attendeeId: string): string {
  const list = header(mail, 'List-Unsubscribe');
  expect(list).toMatch(new RegExp(`^<${PUBLIC_URL.replace(/[.]/g, '\\.')}/unsubscribe/[^>]+>$`));
  expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  const token = linkIn(list!, 'unsubscribe');
  const check = h.mail.signer.verify(token, 'unsubscribe', new Date(h.clock.now));
  expect(check.ok && check.claims.attendeeId).toBe(attendeeId);
  // The same link in the body, for people whose mail program shows no button.
  expect(mail.text).toContain(`${PUBLIC_URL}/unsubscribe/${token}`);
  return token;
}

describe('attendee messages over SMTP (issue #21)', () => {
  let smtp: TestSmtp;
  let h: MailHq;

  beforeEach(async () => {
    smtp = new TestSmtp();
    await smtp.start();
  });
  afterEach(async () => {
    await closeMailHq(h);
    await smtp.stop();
  });

  it('sends each kind once, in the person’s language, with the QR ticket, signed links and unsubscribe headers', async () => {
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE });
    seedStop(h.store);

    const planned = await h.mail.plan();
    // Pre-registered with an email: Kim, Park, Smith (Lee and Walker walked in); Smith's booking; Lee's offer.
    expect(planned.planned).toEqual({ confirmation: 3, booking_confirmation: 1, booking_reminder: 1, waitlist_offer: 1, thanks: 0 });
    const first = await h.mail.tick();
    expect(first).toMatchObject({ sent: 5, retrying: 0, failed: 0 });

    // Kim chose Korean: the confirmation is Korean, with the QR ticket inline and the token in text.
    const [kim] = only(smtp, 'minjun.kim@mit.example');
    expect(kim!.subject).toBe('2026 한미 연구인재 로드쇼: 2026년 3월 14일 토요일 보스턴 입장권');
    expect(kim!.text).toContain('김민준님, 안녕하세요.');
    expect(kim!.text).toContain('RS-KIM0000000001');
    const qr = kim!.attachments.find((a) => a.contentId === `<${QR_CID}>` || a.cid === QR_CID);
    expect(qr?.contentType).toBe('image/png');
    expect(qrText(qr!.content)).toBe('RS-KIM0000000001');
    expect(kim!.html).toContain(`cid:${QR_CID}`);
    const book = h.mail.signer.verify(linkIn(kim!.text!, 'book'), 'book', new Date(h.clock.now));
    expect(book.ok && book.claims).toEqual({ purpose: 'book', attendeeId: 'att-kim', stopId: STOP.id, expiresAt: '2026-03-15T04:00:00.000Z' });
    expectUnsubscribeHeaders(h, kim!, 'att-kim');

    // Park gave only a Hangul name: Korean by default.
    const [park] = only(smtp, 'seoyeon.park@harvard.example');
    expect(park!.subject).toContain('입장권');
    expect(park!.text).toContain('박서연님');
    expect(qrText(park!.attachments[0]!.content)).toBe('RS-PARK000000002');

    // Smith: English confirmation and booking confirmation (times in the stop's zone).
    const smith = only(smtp, 'alex.smith@bu.example');
    expect(smith.map((m) => m.subject).sort()).toEqual(['Booked: KAIST at 2:00 PM EDT, Boston', 'Korea–US Research Talent Roadshow 2026: your ticket for Boston on Saturday, March 14, 2026']);
    const booked = smith.find((m) => m.subject!.startsWith('Booked'))!;
    expect(booked.text).toContain('Dear Alex Smith,');
    expect(booked.text).toContain('from 2:00 PM EDT to 3:00 PM EDT at booth B01');
    expect(booked.attachments).toHaveLength(0);
    expect(h.mail.signer.verify(linkIn(booked.text!, 'book'), 'book', new Date(h.clock.now)).ok).toBe(true);
    expectUnsubscribeHeaders(h, booked, 'att-smith');

    // Lee (both scripts, no choice: English) is offered 15:00, held 30 minutes from the offer.
    const [offer] = only(smtp, 'sora.lee@tufts.example');
    expect(offer!.subject).toBe('A place is free: KAIST at 3:00 PM EDT');
    expect(offer!.text).toContain('held for you until March 10 at 8:30 AM EDT');
    expectUnsubscribeHeaders(h, offer!, 'att-lee');

    // The reminder waits for its moment: two hours before 14:00 EDT is 16:00 UTC.
    h.clock.now = ms('2026-03-14T15:59:00.000Z');
    expect((await h.mail.tick()).sent).toBe(0);
    h.clock.now = ms('2026-03-14T16:00:00.000Z');
    expect((await h.mail.tick()).sent).toBe(1);
    const reminder = only(smtp, 'alex.smith@bu.example').find((m) => m.subject!.startsWith('Reminder'))!;
    expect(reminder.subject).toBe('Reminder: KAIST at 2:00 PM EDT');
    expectUnsubscribeHeaders(h, reminder, 'att-smith');

    // After the stop: thanks with the follow-up contacts of the institutions the person shares with.
    seedConsultations(h.store);
    h.store.events.append('consent_recorded', { consentId: 'cs-smith-2', attendeeId: 'att-smith', scope: 'hq_stats', institutionId: null, textVersion: '2025-10-v1' }, { stopId: STOP.id });
    h.clock.now = ms('2026-03-15T13:00:00.000Z');
    expect((await h.mail.plan()).planned.thanks).toBe(1); // Kim only: Park shares with POSTECH but met KAIST; Smith withdrew
    expect((await h.mail.tick()).sent).toBe(1);
    const thanks = only(smtp, 'minjun.kim@mit.example').find((m) => m.subject!.includes('감사'))!;
    expect(thanks.subject).toBe('보스턴 2026 한미 연구인재 로드쇼에 와 주셔서 감사합니다');
    expect(thanks.text).toContain('한국과학기술원: Dr. Han Jiwoo <talent@kaist.ac.kr>');
    expect(thanks.text).toContain('포스텍: Ms. Yoon <hr@postech.ac.kr>');
    expectUnsubscribeHeaders(h, thanks, 'att-kim');

    // Planning again plans nothing new, and nothing is sent twice.
    expect(Object.values((await h.mail.plan()).planned).every((n) => n === 0)).toBe(true);
    expect((await h.mail.tick()).sent).toBe(0);
    expect(smtp.received).toHaveLength(7);
    const log = h.mail.outbox.page({}, 1, 50);
    expect(log.items.every((m) => m.status === 'sent' && m.attempts === 1 && m.smtpMessageId)).toBe(true);
  });

  it('honours an unsubscribe: one-click POST records it, cancels queued messages and plans none after', async () => {
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE });
    seedStop(h.store);
    await h.mail.plan();
    await h.mail.tick();
    const [confirmation] = only(smtp, 'alex.smith@bu.example');
    const token = expectUnsubscribeHeaders(h, confirmation!, 'att-smith');
    expect(h.mail.outbox.byKey('booking_reminder:bk-smith:2026-03-14T18:00:00.000Z')?.status).toBe('queued');

    // The page asks first, in the person's language, naming the address half hidden.
    const page = await h.app.inject({ method: 'GET', url: `/unsubscribe/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Stop all emails from the roadshow to a***@bu.example?');
    expect(h.mail.isUnsubscribed('att-smith')).toBe(false);

    // A tampered link changes nothing.
    const bad = await h.app.inject({ method: 'POST', url: `/unsubscribe/${token.slice(0, -2)}xx`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(bad.statusCode).toBe(400);
    expect(h.mail.isUnsubscribed('att-smith')).toBe(false);

    // The mail program's one-click POST (RFC 8058), no cookie, no CSRF token.
    const post = await h.app.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(post.statusCode).toBe(200);
    expect(h.mail.isUnsubscribed('att-smith')).toBe(true);
    const reminder = h.mail.outbox.byKey('booking_reminder:bk-smith:2026-03-14T18:00:00.000Z')!;
    expect(reminder).toMatchObject({ status: 'cancelled', cancelReason: 'unsubscribed' });
    // Durable: an event of HQ, stored in HQ's log like a push (so desks pull it).
    const stored = await h.storage.eventsOfDevice('hq', 0, 10_000);
    expect(stored.filter((e) => e.type === 'attendee_unsubscribed').map((e) => JSON.parse(e.payloadText) as unknown)).toEqual([{ attendeeId: 'att-smith', stopId: STOP.id, via: 'one_click' }]);

    // Later: the reminder's moment passes, a new booking is made; nothing reaches Smith.
    h.store.events.append('booking_made', { bookingId: 'bk-smith-2', boothId: 'booth-kaist', slotStart: '2026-03-14T20:00:00.000Z', slotEnd: '2026-03-14T21:00:00.000Z', stopId: STOP.id, attendeeId: 'att-smith', registrationId: 'reg-smith', source: 'desk' }, { stopId: STOP.id });
    h.clock.now = ms('2026-03-14T16:30:00.000Z');
    const again = await h.mail.plan();
    expect(again.planned.booking_confirmation + again.planned.booking_reminder).toBe(0);
    await h.mail.tick();
    expect(only(smtp, 'alex.smith@bu.example')).toHaveLength(2); // the confirmation and booking confirmation sent before
    // Visiting the link again says so; a second POST adds no second event.
    expect((await h.app.inject({ method: 'GET', url: `/unsubscribe/${token}` })).body).toContain('You are already unsubscribed');
    await h.app.inject({ method: 'POST', url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'lang=en' });
    expect((await h.storage.eventsOfDevice('hq', 0, 10_000)).filter((e) => e.type === 'attendee_unsubscribed')).toHaveLength(1);
  });

  it('takes a one-click unsubscribe posted as multipart/form-data too (RFC 8058 allows either)', async () => {
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE });
    seedStop(h.store);
    await h.mail.plan();
    await h.mail.tick();
    const [offer] = only(smtp, 'sora.lee@tufts.example');
    const url = header(offer!, 'List-Unsubscribe')!.slice(1, -1).replace(PUBLIC_URL, '');
    const body = '--b0undary\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b0undary--\r\n';
    const res = await h.app.inject({ method: 'POST', url, headers: { 'content-type': 'multipart/form-data; boundary=b0undary' }, payload: body });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('Unsubscribed.');
    expect(h.mail.isUnsubscribed('att-lee')).toBe(true);
    const [stored] = (await h.storage.eventsOfDevice('hq', 0, 10_000)).filter((e) => e.type === 'attendee_unsubscribed');
    expect(JSON.parse(stored!.payloadText)).toMatchObject({ attendeeId: 'att-lee', via: 'one_click' });
  });

  it('the unsubscribe page speaks Korean to Korean speakers, and the link sets the language of later messages', async () => {
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE });
    seedStop(h.store);
    await h.mail.plan();
    await h.mail.tick();
    const [park] = only(smtp, 'seoyeon.park@harvard.example');
    const token = linkIn(park!.text!, 'unsubscribe');
    const page = await h.app.inject({ method: 'GET', url: `/unsubscribe/${token}` });
    expect(page.body).toContain('<html lang="ko"');
    expect(page.body).toContain('s***@harvard.example(으)로 보내는 로드쇼 이메일을 모두 받지 않으시겠습니까?');
    expect((await h.app.inject({ method: 'GET', url: `/unsubscribe/${token}?lang=en` })).body).toContain('Stop all emails from the roadshow');

    const saved = await h.app.inject({ method: 'POST', url: `/unsubscribe/${token}/language`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'language=en&lang=ko' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Saved: we will write to you in English.');
    expect(h.mail.isUnsubscribed('att-park')).toBe(false);
    // On the day, Park books 13:00 EDT an hour ahead: the booking confirmation is in English now, and no reminder
    // follows it (booked within the reminder's two hours).
    h.clock.now = ms('2026-03-14T16:00:00.000Z');
    h.store.events.append('booking_made', { bookingId: 'bk-park', boothId: 'booth-kaist', slotStart: '2026-03-14T17:00:00.000Z', slotEnd: '2026-03-14T18:00:00.000Z', stopId: STOP.id, attendeeId: 'att-park', registrationId: 'reg-park', source: 'desk' }, { stopId: STOP.id });
    await h.mail.plan();
    await h.mail.tick();
    expect(only(smtp, 'seoyeon.park@harvard.example').map((m) => m.subject)).toContain('Booked: KAIST at 1:00 PM EDT, Boston');
    expect(h.mail.outbox.byKey('booking_confirmation:bk-park:2026-03-14T17:00:00.000Z')?.status).toBe('sent');
    expect(h.mail.outbox.byKey('booking_reminder:bk-park:2026-03-14T17:00:00.000Z')).toBeNull();
  });

  it('retries after the SMTP server was down and sends each message exactly once when it is back', async () => {
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE });
    seedStop(h.store);
    await smtp.stop();
    await h.mail.plan();
    const down = await h.mail.tick();
    expect(down).toMatchObject({ sent: 0, retrying: 5, failed: 0 });
    const failedOnce = h.mail.outbox.page({ status: 'queued' }, 1, 50).items.filter((m) => m.kind !== 'booking_reminder');
    expect(failedOnce).toHaveLength(5);
    for (const m of failedOnce) {
      expect(m.attempts).toBe(1);
      expect(m.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
      expect(m.nextAttemptAt).toBe('2026-03-10T12:01:00.000Z'); // one minute; doubling after each failure
    }
    // Not due yet: nothing is tried.
    expect((await h.mail.tick())).toMatchObject({ sent: 0, retrying: 0 });

    await smtp.start(); // the same port
    h.clock.now = ms('2026-03-10T12:01:00.000Z');
    expect((await h.mail.tick()).sent).toBe(5);
    h.clock.now = ms('2026-03-10T12:10:00.000Z');
    expect((await h.mail.tick()).sent).toBe(0);
    expect(smtp.received).toHaveLength(5);
    expect(new Set(smtp.received.map((r) => r.mail.messageId)).size).toBe(5);
    for (const m of h.mail.outbox.page({ status: 'sent' }, 1, 50).items) expect(m.attempts).toBe(2);
  });

  it('gives up at once on a permanent refusal (5xx) and records why', async () => {
    await smtp.stop();
    smtp = new TestSmtp();
    smtp.refuse = 'sora.lee@tufts.example';
    await smtp.start();
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE });
    seedStop(h.store);
    await h.mail.plan();
    const r = await h.mail.tick();
    expect(r).toMatchObject({ sent: 4, failed: 1, retrying: 0 });
    const [failed] = h.mail.outbox.page({ status: 'failed' }, 1, 50).items;
    expect(failed).toMatchObject({ kind: 'waitlist_offer', toAddress: 'sora.lee@tufts.example', attempts: 1, nextAttemptAt: null });
    expect(failed!.lastError).toContain('550');
  });

  it('respects the rate limit per rolling minute (counted, not timed)', async () => {
    h = await createMailHq({ transport: smtp.transport(), start: BEFORE, config: { ratePerMinute: 2 } });
    seedStop(h.store);
    await h.mail.plan();
    expect(await h.mail.tick()).toMatchObject({ sent: 2, heldByRateLimit: 3 });
    expect((await h.mail.tick()).sent).toBe(0);
    h.clock.now += 59_000;
    expect((await h.mail.tick()).sent).toBe(0);
    h.clock.now += 1_000; // the first two leave the window
    expect((await h.mail.tick()).sent).toBe(2);
    h.clock.now += 60_000;
    expect((await h.mail.tick()).sent).toBe(1);
    expect(smtp.received).toHaveLength(5);
  });

  it('with no SMTP server configured, queues and sends nothing; the Messages page (admins only) says so', async () => {
    h = await createMailHq({ transport: null, start: BEFORE });
    seedStop(h.store);
    await h.mail.plan();
    expect((await h.mail.tick()).sent).toBe(0);
    expect(h.mail.state()).toMatchObject({ enabled: false, counts: { queued: 6, sent: 0 } });

    const anonymous = await h.app.inject({ method: 'GET', url: '/dashboard/messages' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/dashboard/sign-in');
    const b = dashboardBrowser(h);
    await b.signIn();
    const en = pageText((await b.get('/dashboard/messages?lang=en')).body);
    expect(en).toContain('Sending is off: no SMTP server is configured');
    expect(en).toContain('Queued 6 · sent 0 · failed 0 · cancelled 0');
    expect(en).toContain('Rows 1–6 of 6');
    const offers = pageText((await b.get('/dashboard/messages?lang=ko&kind=waitlist_offer&status=queued')).body);
    expect(offers).toContain('발송 꺼짐');
    expect(offers).toContain('전체 1개 중 1–1번째');
    expect(offers).toContain('A place is free: KAIST at 3:00 PM EDT');
    expect(pageText((await b.get('/dashboard/messages?status=sent')).body)).toContain('이 조건에 맞는 항목이 없습니다.');
  });
});

describe('times in messages', () => {
  it('are the stop’s wall clock with its zone named, in either language', () => {
    expect(timeText('2026-03-14T18:00:00.000Z', 'America/New_York', 'en')).toBe('2:00 PM EDT');
    expect(timeText('2026-03-14T18:00:00.000Z', 'America/New_York', 'ko')).toBe('오후 2:00(EDT)');
    expect(timeText('2026-03-14T14:05:00.000Z', 'America/New_York', 'ko')).toBe('오전 10:05(EDT)');
    expect(momentText('2026-03-10T12:30:00.000Z', 'America/Chicago', 'en')).toBe('March 10 at 7:30 AM CDT');
    expect(momentText('2026-03-10T12:30:00.000Z', 'America/Chicago', 'ko')).toBe('3월 10일 오전 7:30(CDT)');
  });
});

describe('the language of a person without a choice', () => {
  it('is Korean when every name is in Hangul, else English', () => {
    expect(fallbackLanguage({ familyName: '', givenName: '', nameKo: '박서연' })).toBe('ko');
    expect(fallbackLanguage({ familyName: '김', givenName: '민준', nameKo: '' })).toBe('ko');
    expect(fallbackLanguage({ familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준' })).toBe('en');
    expect(fallbackLanguage({ familyName: 'Smith', givenName: 'Alex', nameKo: '' })).toBe('en');
  });
});
