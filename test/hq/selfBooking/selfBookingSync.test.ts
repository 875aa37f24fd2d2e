import { afterEach, describe, expect, it } from 'vitest';
import { callApi } from '../../helpers/callApi';
import { dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { attendeePhone, createSelfBookingHq, formToken, KAIST, NYC, POSTECH, slot, type SelfBookingHq } from '../../helpers/selfBookingHq';
import { createTestContext } from '../../helpers/testStore';
import type { DashboardHq } from '../../helpers/tourScenario';

let hq: SelfBookingHq | undefined;
afterEach(async () => {
  await hq?.close();
  hq = undefined;
});

async function selfBook(h: SelfBookingHq, attendeeId: string, boothId: string, slotStart: string): Promise<string> {
  const phone = attendeePhone(h);
  const link = h.link(attendeeId);
  const page = await phone.get(`${link}?lang=en`);
  const res = await phone.post(`${link}/book`, { _form: formToken(page.body), lang: 'en', boothId, slotStart });
  expect(res.statusCode).toBe(303);
  return String(res.headers.location);
}

describe('self-bookings travel to the desks by sync (issue #21)', () => {
  it('a booking made from the link at HQ is on the desk’s schedule after its pull', async () => {
    hq = await createSelfBookingHq();
    const desk = await hq.desk('desk-nyc-a');
    const ctx = createTestContext(desk.store, { actorId: 'staff-1' });
    expect((await callApi(ctx, 'booths:schedule', { stopId: NYC })).bookings).toEqual([]);

    expect(await selfBook(hq, 'att-kim', KAIST, slot(30))).toContain('done=booked');
    await desk.sync();
    const schedule = await callApi(ctx, 'booths:schedule', { stopId: NYC });
    expect(schedule.bookings).toMatchObject([{ boothId: KAIST, slotStart: slot(30), registrationId: 'reg-kim-nyc', attendee: { id: 'att-kim', familyName: 'Kim' }, conflicted: false, source: 'self' }]);
    expect(schedule.rows.find((r) => r.booth.id === KAIST)!.slots.find((s) => s.start === slot(30))).toMatchObject({ booked: 1, capacity: 1 });
    // The desk's own rules now count it: the slot is full for the desk too.
    await expect(callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: slot(30), registrationId: 'reg-lee-nyc' })).rejects.toMatchObject({ shape: { code: 'SLOT_FULL' } });
    // And the desk's cancel reaches the attendee's page.
    await callApi(ctx, 'booths:cancel', { bookingId: schedule.bookings[0]!.bookingId, reason: 'moved by phone' });
    await desk.sync();
    await hq.projections.catchUp();
    const page = await attendeePhone(hq).get(`${hq.link('att-kim')}?lang=en`);
    expect(pageText(page.body)).toContain('You have no booking yet.');
  });

  it('a person registered twice and merged at HQ sees and manages the bookings of both records from one link', async () => {
    hq = await createSelfBookingHq();
    const desk = await hq.desk('desk-nyc-a');
    const ctx = createTestContext(desk.store, { actorId: 'staff-1' });
    const meta = { stopId: NYC };
    // A walk-in record of Kim at the desk (typed again), booked there, later merged into the pre-registration.
    desk.store.events.append('attendee_registered', { attendeeId: 'att-kim-walkin', familyName: 'Kim', givenName: 'Min-jun', nameKo: '', email: '', affiliation: 'MIT', careerStage: 'postdoc', fields: [] }, meta);
    desk.store.events.append('registration_created', { registrationId: 'reg-kim-walkin', attendeeId: 'att-kim-walkin', stopId: NYC, source: 'walk_in', scanToken: 'RS-KIMW' }, meta);
    const booked = await callApi(ctx, 'booths:book', { boothId: POSTECH, slotStart: slot(60), registrationId: 'reg-kim-walkin' });
    desk.store.events.append('attendee_merged', { fromAttendeeId: 'att-kim-walkin', intoAttendeeId: 'att-kim', reason: 'same email' });
    await desk.sync();
    await hq.projections.catchUp();

    const phone = attendeePhone(hq);
    const kim = hq.link('att-kim');
    const page = await phone.get(`${kim}?lang=en`);
    expect(pageText(page.body)).toMatch(/Your bookings 14:00–14:30 · POSTECH/);
    // Lee's link cannot cancel it; Kim's can.
    const lee = hq.link('att-lee');
    const leePage = await phone.get(lee);
    expect((await phone.post(`${lee}/cancel`, { _form: formToken(leePage.body), bookingId: booked.booking.bookingId })).statusCode).toBe(403);
    const res = await phone.post(`${kim}/cancel`, { _form: formToken(page.body), lang: 'en', bookingId: booked.booking.bookingId });
    expect(res.headers.location).toContain('done=cancelled');
    await desk.sync();
    expect((await callApi(ctx, 'booths:schedule', { stopId: NYC })).bookings).toEqual([]);
  });

  it('the last seat booked offline at a desk and from the link at HQ: a conflict at the desk and at HQ', async () => {
    hq = await createSelfBookingHq();
    const desk = await hq.desk('desk-nyc-a');
    const ctx = createTestContext(desk.store, { actorId: 'staff-1' });
    // The desk is offline: it books Lee on KAIST 13:00, the slot's only place …
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: slot(0), registrationId: 'reg-lee-nyc' });
    // … while Kim books the same place from the email's link (HQ does not know of the desk's booking yet).
    expect(await selfBook(hq, 'att-kim', KAIST, slot(0))).toContain('done=booked');
    // A double booking too: Park at KAIST 13:30 at the desk, Park at POSTECH 13:30 from the link.
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: slot(30), registrationId: 'reg-park-nyc' });
    expect(await selfBook(hq, 'att-park', POSTECH, slot(30))).toContain('done=booked');

    await desk.sync();
    await hq.projections.catchUp();

    // At the desk: both conflicts listed; the self-bookings came later, so they are the ones to settle.
    const listed = (await callApi(ctx, 'conflicts:list', { stopId: NYC })).filter((c) => c.kind === 'booking');
    expect(listed.map((c) => (c.kind === 'booking' ? [c.conflict, c.boothId, c.slotStart, c.name] : [])).sort()).toEqual(
      [
        ['over_capacity', KAIST, slot(0), expect.stringContaining('Kim')],
        ['double_booked', POSTECH, slot(30), expect.stringContaining('Park')],
      ].sort(),
    );
    const deskSchedule = await callApi(ctx, 'booths:schedule', { stopId: NYC });
    expect(deskSchedule.conflicts.map((c) => c.kind).sort()).toEqual(['double_booked', 'over_capacity']);
    // The desk tells its own bookings from the attendees' (the actor of the event is `self:<attendeeId>`).
    expect(deskSchedule.bookings.map((b) => [b.attendee.id, b.boothId, b.source]).sort()).toEqual(
      [
        ['att-lee', KAIST, 'desk'],
        ['att-kim', KAIST, 'self'],
        ['att-park', KAIST, 'desk'],
        ['att-park', POSTECH, 'self'],
      ].sort(),
    );

    // At HQ: the same two on the dashboard's conflict list.
    const admin = dashboardBrowser(hq as unknown as DashboardHq);
    await admin.signIn();
    const page = await admin.get(`/dashboard/conflicts?lang=en&stop=${NYC}`);
    expect(page.statusCode).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain('Over capacity');
    expect(text).toContain('Double booking');
    expect(text).toContain('Kim');
    expect(text).toContain('Park');

    // The attendee's page says their booking waits for HQ's word.
    const kim = await attendeePhone(hq).get(`${hq.link('att-kim')}?lang=en`);
    expect(pageText(kim.body)).toContain('This booking was made on site at the same time as another one');
  });
});
