import { afterEach, describe, expect, it } from 'vitest';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import { pageText } from '../../helpers/dashboardBrowser';
import { attendeePhone, CHI, CHI_KAIST, createSelfBookingHq, formToken, KAIST, POSTECH, slot, type SelfBookingHq } from '../../helpers/selfBookingHq';

let hq: SelfBookingHq | undefined;
afterEach(async () => {
  await hq?.close();
  hq = undefined;
});

type Phone = ReturnType<typeof attendeePhone>;

/** HQ's own events (what desks pull), with their actor. */
const hqEvents = async (h: SelfBookingHq) => (await h.storage.eventsOfDevice('hq', 0, 10_000)).map((e) => ({ type: e.type, actorId: e.actorId, payload: JSON.parse(e.payloadText) as Record<string, unknown> }));
const liveBookings = (h: SelfBookingHq) =>
  h.store.db.prepare<[], { booking_id: string; registration_id: string; booth_id: string; slot_start: string }>('SELECT booking_id, registration_id, booth_id, slot_start FROM bookings WHERE made_hlc IS NOT NULL AND cancelled_hlc IS NULL ORDER BY slot_start, booth_id').all();

/** Opens the link's page and posts one of its forms (the page's own form token); answers the redirect and the page after it. */
async function act(phone: Phone, link: string, action: string, fields: Record<string, string>, lang = 'en') {
  const page = await phone.get(`${link}?lang=${lang}`);
  expect(page.statusCode).toBe(200);
  const res = await phone.post(`${link}/${action}`, { _form: formToken(page.body), lang, ...fields });
  expect(res.statusCode, res.body).toBe(303);
  const location = String(res.headers.location);
  expect(location.startsWith(`${link}?`)).toBe(true);
  const after = await phone.get(location.split('#')[0]!);
  return { location, after, text: pageText(after.body), html: after.body };
}

/** The `<li>` of a slot on the page (its time and what is written beside it). */
function slotItem(html: string, boothId: string, slotStart: string): string {
  const start = html.indexOf(`<li class="slot`, html.indexOf(`id="slot-${boothId}-${slotStart}"`) - 40);
  expect(html.indexOf(`id="slot-${boothId}-${slotStart}"`), `slot ${slotStart} of ${boothId}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</li>', start) + 5);
}

describe('self-booking from the signed link (issue #21)', () => {
  it('shows the person, their stop in its time zone and the free places, in English and Korean', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    const link = hq.link('att-kim');
    const en = await phone.get(`${link}?lang=en`);
    expect(en.statusCode).toBe(200);
    expect(en.headers['content-security-policy']).toContain("default-src 'none'");
    expect(en.headers['content-security-policy']).toContain("script-src 'none'");
    expect(en.headers['cache-control']).toBe('no-store');
    const text = pageText(en.body);
    expect(text).toContain('Hello, Minjun Kim');
    expect(text).toContain('New York · Tuesday, 10 March 2026');
    expect(text).toContain('All times are local times at the venue: America/New_York (EDT).');
    expect(text).toContain('KAIST · B01 · 4 free times');
    expect(pageText(slotItem(en.body, KAIST, slot(0)))).toMatch(/13:00–13:30 1 of 1 free Book/);
    expect(en.body).toContain('aria-label="Book POSTECH, 14:30–15:00"');
    expect(en.body).not.toContain('<script');
    // Other people are never named on the page.
    expect(text).not.toContain('Sora');
    expect(en.body).toContain(`href="${link}?lang=ko"`);

    const ko = await phone.get(link, { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' });
    const koText = pageText(ko.body);
    expect(ko.body).toContain('<html lang="ko">');
    expect(koText).toContain('김민준님, 안녕하세요');
    expect(koText).toContain('뉴욕 · 2026년 3월 10일 화요일');
    expect(koText).toContain('모든 시간은 행사장 현지 시간입니다: America/New_York (EDT).');
    expect(koText).toContain('한국과학기술원');
    expect(ko.body).toContain('aria-label="KAIST 13:00–13:30 예약"');
    expect(ko.body).toContain(`href="${link}?lang=en"`);
    // The assets the page names are served, with the same care.
    const css = await phone.get('/book/assets/selfbook.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
  });

  it('books through the desk’s handler as the attendee: an event of device hq, for their registration', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    const link = hq.link('att-kim');
    // A registrationId in the form is not the link's business: the booking is always the link's person's.
    const r = await act(phone, link, 'book', { boothId: KAIST, slotStart: slot(0), registrationId: 'reg-lee-nyc' });
    expect(r.location).toContain('done=booked');
    expect(r.text).toContain('Booked: KAIST, 13:00–13:30.');
    expect(r.text).toMatch(/Your bookings 13:00–13:30 · KAIST · Booth B01 Cancel/);
    expect(pageText(slotItem(r.html, KAIST, slot(0)))).toContain('Your booking');
    expect(liveBookings(hq)).toEqual([{ booking_id: expect.any(String), registration_id: 'reg-kim-nyc', booth_id: KAIST, slot_start: slot(0) }]);
    const made = (await hqEvents(hq)).filter((e) => e.type === 'booking_made');
    expect(made).toEqual([{ type: 'booking_made', actorId: 'self:att-kim', payload: expect.objectContaining({ registrationId: 'reg-kim-nyc', attendeeId: 'att-kim', boothId: KAIST, slotStart: slot(0), source: 'desk' }) }]);

    // Korean: the same flow, the answer in Korean.
    const ko = await act(phone, link, 'book', { boothId: POSTECH, slotStart: slot(60) }, 'ko');
    expect(ko.text).toContain('예약되었습니다: POSTECH, 14:00–14:30.');
    expect(liveBookings(hq)).toHaveLength(2);
  });

  it('refuses a full slot, an overlap and a slot that started, with the reason beside the slot', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    await act(phone, hq.link('att-lee'), 'book', { boothId: KAIST, slotStart: slot(0) });
    const kim = hq.link('att-kim');
    const before = await phone.get(`${kim}?lang=en`);
    expect(pageText(slotItem(before.body, KAIST, slot(0)))).toBe(" 13:00–13:30 Full ");
    expect(slotItem(before.body, KAIST, slot(0))).not.toContain('<form');

    // Full: the handler's capacity rule refuses it.
    const fullAgain = await act(phone, hq.link('att-park'), 'book', { boothId: KAIST, slotStart: slot(0) });
    expect(fullAgain.location).toContain('error=SLOT_FULL');
    const item = slotItem(fullAgain.html, KAIST, slot(0));
    expect(item).toContain('role="alert"');
    expect(pageText(item)).toContain('This time is full.');
    const fullKo = await act(phone, hq.link('att-park'), 'book', { boothId: KAIST, slotStart: slot(0) }, 'ko');
    expect(pageText(slotItem(fullKo.html, KAIST, slot(0)))).toContain('이 시간은 마감되었습니다.');

    // Overlap with the person's own booking at another booth.
    await act(phone, kim, 'book', { boothId: KAIST, slotStart: slot(30) });
    const clash = await act(phone, kim, 'book', { boothId: POSTECH, slotStart: slot(30) });
    expect(clash.location).toContain('error=ATTENDEE_DOUBLE_BOOKED');
    expect(pageText(slotItem(clash.html, POSTECH, slot(30)))).toContain('You already have a booking at this time (KAIST 13:30–14:00).');

    // 13:40 in New York: 13:30 has started; it can be neither booked nor cancelled here.
    hq.clock.now = Date.parse(slot(40));
    const late = await act(phone, hq.link('att-park'), 'book', { boothId: POSTECH, slotStart: slot(30) });
    expect(late.location).toContain('error=SLOT_PAST');
    expect(pageText(slotItem(late.html, POSTECH, slot(30)))).toContain('This time has already started');
    const mine = liveBookings(hq).find((b) => b.registration_id === 'reg-kim-nyc')!;
    const page2 = await phone.get(`${kim}?lang=en`);
    expect(page2.body).not.toContain(`name="bookingId" value="${mine.booking_id}"`); // no cancel button any more
    const cancelLate = await phone.post(`${kim}/cancel`, { _form: formToken(page2.body), lang: 'en', bookingId: mine.booking_id });
    expect(cancelLate.headers.location).toContain('error=SLOT_PAST');
    expect(liveBookings(hq).map((b) => b.registration_id).sort()).toEqual(['reg-kim-nyc', 'reg-lee-nyc']);

    // 15:00: the afternoon is over; the page says booking is closed, and no waitlist is joined any more.
    hq.clock.now = Date.parse(slot(120));
    const over = await phone.post(`${kim}/waitlist`, { _form: formToken(page2.body), lang: 'en', boothId: KAIST }); // a page left open since 13:40
    expect(over.headers.location).toContain('error=SLOT_PAST');
    const closed = await phone.get(String(over.headers.location).split('#')[0]!);
    expect(pageText(closed.body)).toContain('This stop is over: booking is closed.');
    expect(closed.body).not.toContain('<form');
  });

  it('cancels, joins the waitlist of a full booth, and accepts or declines the offer of a freed place', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    const lee = hq.link('att-lee');
    for (const m of [0, 30, 60, 90]) await act(phone, lee, 'book', { boothId: KAIST, slotStart: slot(m) });
    const kim = hq.link('att-kim');
    const page = await phone.get(`${kim}?lang=en`);
    expect(pageText(page.body)).toContain('KAIST · B01 · full');
    expect(pageText(page.body)).toContain('Every time of this booth is taken. Join the waiting list');
    // POSTECH still has free times: no waitlist there.
    const notFull = await act(phone, kim, 'waitlist', { boothId: POSTECH });
    expect(notFull.location).toContain('error=BOOTH_HAS_FREE_TIMES');
    const joined = await act(phone, kim, 'waitlist', { boothId: KAIST });
    expect(joined.text).toContain('You are on the waiting list of KAIST.');
    expect(joined.text).toContain('Waiting lists You are on the waiting list of KAIST. Leave the waiting list');
    const park = hq.link('att-park');
    await act(phone, park, 'waitlist', { boothId: KAIST });

    // Lee cancels 14:00: the place is offered to Kim, first in line.
    const leePage = await phone.get(`${lee}?lang=en`);
    const at14 = liveBookings(hq).find((b) => b.slot_start === slot(60))!;
    expect(leePage.body).toContain(`aria-label="Cancel your booking at KAIST, 14:00–14:30"`);
    const cancelled = await act(phone, lee, 'cancel', { bookingId: at14.booking_id });
    expect(cancelled.text).toContain('Your booking was cancelled.');
    expect(liveBookings(hq)).toHaveLength(3);
    const offered = await phone.get(`${kim}?lang=en`);
    expect(pageText(offered.body)).toContain('A place opened for you at KAIST, 14:00–14:30.');
    const entryId = /name="entryId" value="([^"]+)"/.exec(offered.body)![1]!;
    const accepted = await act(phone, kim, 'offer/accept', { entryId });
    expect(accepted.text).toContain('Booked: KAIST, 14:00–14:30.');
    expect(liveBookings(hq).find((b) => b.slot_start === slot(60))).toMatchObject({ registration_id: 'reg-kim-nyc' });
    expect((await hqEvents(hq)).filter((e) => e.actorId === 'self:att-kim').map((e) => e.type)).toEqual(expect.arrayContaining(['waitlist_joined', 'booking_made', 'waitlist_left']));

    // Lee cancels 14:30: offered to Park, who declines in Korean.
    const at1430 = liveBookings(hq).find((b) => b.slot_start === slot(90))!;
    await act(phone, lee, 'cancel', { bookingId: at1430.booking_id });
    const parkPage = await phone.get(`${park}?lang=ko`);
    expect(pageText(parkPage.body)).toContain('KAIST 14:30–15:00에 자리가 났습니다.');
    const parkEntry = /name="entryId" value="([^"]+)"/.exec(parkPage.body)![1]!;
    const declined = await act(phone, park, 'offer/decline', { entryId: parkEntry }, 'ko');
    expect(declined.text).toContain('자리를 거절했습니다.');
    expect((await hqEvents(hq)).some((e) => e.type === 'waitlist_offer_declined' && e.actorId === 'self:att-park')).toBe(true);
    // Park leaves the waitlist.
    const left = await act(phone, park, 'waitlist/leave', { entryId: parkEntry });
    expect(left.text).toContain('You left the waiting list.');
  });

  it('a link for one person can never touch another’s booking, entry, stop or booth (forged ids in the form)', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    const lee = hq.link('att-lee');
    for (const m of [0, 30, 60, 90]) await act(phone, lee, 'book', { boothId: KAIST, slotStart: slot(m) });
    await act(phone, hq.link('att-park'), 'waitlist', { boothId: KAIST });
    const leeBooking = liveBookings(hq)[0]!;
    const parkEntry = createBoothQueries(hq.store.db).waitlist(KAIST, Date.now())[0]!.view.entryId;
    const eventsBefore = (await hqEvents(hq)).length;

    const kim = hq.link('att-kim');
    const page = await phone.get(`${kim}?lang=en`);
    const form = { _form: formToken(page.body), lang: 'en' };
    const forged = [
      ['cancel', { bookingId: leeBooking.booking_id }],
      ['offer/accept', { entryId: parkEntry }],
      ['offer/decline', { entryId: parkEntry }],
      ['waitlist/leave', { entryId: parkEntry }],
      ['book', { boothId: CHI_KAIST, slotStart: '2026-03-12T18:00:00.000Z' }], // Kim's other stop: not this link's
    ] as const;
    for (const [action, fields] of forged) {
      const res = await phone.post(`${kim}/${action}`, { ...form, ...fields });
      expect(res.statusCode, action).toBe(403);
      expect(pageText(res.body)).toContain('This link can only change your own bookings.');
    }
    expect(liveBookings(hq).filter((b) => b.registration_id === 'reg-lee-nyc')).toHaveLength(4);
    expect((await hqEvents(hq)).length).toBe(eventsBefore);
    // Kim's Chicago link books at Chicago only.
    const chi = await act(phone, hq.link('att-kim', CHI), 'book', { boothId: CHI_KAIST, slotStart: '2026-03-12T18:00:00.000Z' });
    expect(chi.location).toContain('done=booked');
    expect(liveBookings(hq).find((b) => b.booth_id === CHI_KAIST)).toMatchObject({ registration_id: 'reg-kim-chi' });
  });

  it('answers bad, forged and expired links with a translated page, never a trace', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    const link = hq.link('att-kim');
    const token = link.slice('/book/'.length);
    const expired = hq.link('att-kim', undefined, new Date(hq.clock.now - 1000).toISOString());
    const res = await phone.get(`${expired}?lang=en`);
    expect(res.statusCode).toBe(410);
    expect(pageText(res.body)).toContain('This link has expired');
    const ko = await phone.get(expired, { 'accept-language': 'ko' });
    expect(pageText(ko.body)).toContain('링크가 만료되었습니다');

    const [body, mac] = token.split('.') as [string, string];
    const otherClaims = Buffer.from(JSON.stringify({ p: 'book', a: 'att-lee', s: 'stop-nyc', e: 1893456000 })).toString('base64url');
    const unsubscribe = hq.signer.sign({ purpose: 'unsubscribe', attendeeId: 'att-kim', stopId: 'stop-nyc', expiresAt: '2027-01-01T00:00:00Z' });
    for (const bad of [`${otherClaims}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, 'nonsense', `${body}.${mac}.x`, unsubscribe, 'x'.repeat(700)]) {
      const r = await phone.get(`/book/${bad}?lang=en`);
      expect(r.statusCode, bad).toBe(403);
      expect(pageText(r.body)).toContain('This link is not valid');
      expect(r.body).not.toMatch(/at .*\.ts:\d+|Error:|"statusCode"/);
      // A forged link cannot act either.
      const p = await phone.post(`/book/${bad}/book`, { boothId: KAIST, slotStart: slot(0) });
      expect(p.statusCode).toBe(403);
    }
    // A person HQ does not hold at that stop.
    const nobody = await phone.get(`${hq.link('att-nobody')}?lang=en`);
    expect(nobody.statusCode).toBe(404);
    expect(pageText(nobody.body)).toContain('Registration not found');
    // Unknown paths under /book and bodies that are not forms: a page, not JSON.
    expect((await phone.get(`${link}/book`)).statusCode).toBe(404);
    const json = await hq.app.inject({ method: 'POST', url: `${link}/book`, headers: { 'content-type': 'application/json' }, payload: '{"boothId":' });
    expect(json.statusCode).toBe(400);
    expect(json.headers['content-type']).toContain('text/html');
    expect(liveBookings(hq)).toEqual([]);
  });

  it('refuses a form without its token, with another link’s token, or from another site; an old page is shown again', async () => {
    hq = await createSelfBookingHq();
    const phone = attendeePhone(hq);
    const kim = hq.link('att-kim');
    const lee = hq.link('att-lee');
    const fields = { lang: 'en', boothId: KAIST, slotStart: slot(0) };
    expect((await phone.post(`${kim}/book`, fields)).statusCode).toBe(403);
    const leePage = await phone.get(lee);
    expect((await phone.post(`${kim}/book`, { ...fields, _form: formToken(leePage.body) })).statusCode).toBe(403);
    const kimPage = await phone.get(kim);
    const token = formToken(kimPage.body);
    expect((await phone.post(`${kim}/book`, { ...fields, _form: `${token.slice(0, -3)}abc` })).statusCode).toBe(403);
    expect((await phone.post(`${kim}/book`, { ...fields, _form: token }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await phone.post(`${kim}/book`, { ...fields, _form: token }, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await phone.post(`${kim}/book`, { ...fields, _form: token }, { 'sec-fetch-site': 'same-site', origin: 'https://other.hq.example.org' })).statusCode).toBe(403);
    expect(liveBookings(hq)).toEqual([]);
    // HQ's public address is a good origin (behind a proxy the Host may differ).
    const ok = await phone.post(`${kim}/book`, { ...fields, _form: token }, { origin: 'https://hq.example.org', 'sec-fetch-site': 'same-origin' });
    expect(ok.headers.location).toContain('done=booked');
    // A page left open for 13 hours: shown again with a word, nothing done.
    hq.clock.now += 13 * 3600_000;
    const stale = await phone.post(`${kim}/book`, { ...fields, slotStart: slot(30), _form: token });
    expect(stale.statusCode).toBe(303);
    expect(stale.headers.location).toContain('error=FORM_EXPIRED');
    expect(liveBookings(hq)).toHaveLength(1);
  });

  it('limits the requests of one address and the actions of one link', async () => {
    hq = await createSelfBookingHq({ limits: { perAddress: { max: 4, windowMs: 60_000 }, actionsPerLink: { max: 1, windowMs: 60_000 } } });
    const phone = attendeePhone(hq);
    const kim = hq.link('att-kim');
    const page = await phone.get(kim);
    const first = await phone.post(`${kim}/book`, { _form: formToken(page.body), lang: 'en', boothId: KAIST, slotStart: slot(0) });
    expect(first.statusCode).toBe(303);
    const second = await phone.post(`${kim}/book`, { _form: formToken(page.body), lang: 'en', boothId: POSTECH, slotStart: slot(60) });
    expect(second.statusCode).toBe(429);
    expect(pageText(second.body)).toContain('Too many requests');
    expect((await phone.get(kim)).statusCode).toBe(200); // 4th request of the address
    const fifth = await phone.get(kim, { 'accept-language': 'ko' });
    expect(fifth.statusCode).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expect(pageText(fifth.body)).toContain('요청이 너무 많습니다');
    hq.clock.now += 61_000;
    expect((await phone.get(kim)).statusCode).toBe(200);
    expect(liveBookings(hq)).toHaveLength(1);
  });
});
