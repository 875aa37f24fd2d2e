import { describe, expect, it } from 'vitest';
import { callApi, callApiError } from '../../helpers/callApi';
import { DEMO_STOP } from '../../helpers/testStore';
import { at, boothFixture, count, GIST, KAIST, POSTECH } from './boothFixture';

const events = (store: Parameters<typeof count>[0]) => count(store, 'SELECT COUNT(*) AS n FROM events');

describe('booth plans', () => {
  it('computes slots from the plan and shows them on the schedule', async () => {
    const { ctx } = await boothFixture();
    const s = await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP });
    const kaist = s.rows.find((r) => r.booth.id === KAIST)!;
    expect(s.timeZone).toBe('America/New_York');
    expect(kaist.slots.map((x) => x.localStart)).toEqual(['13:00', '13:15', '13:30', '13:45', '14:15', '14:30', '14:45']);
    expect(kaist.slots[0]).toMatchObject({ start: at(0), end: at(15), capacity: 2, booked: 0, held: 0 });
    expect(s.rows.find((r) => r.booth.id === `booth-${DEMO_STOP}-inst-kist`)!.plan).toBeNull();
  });

  it('refuses an invalid plan with a reason and writes nothing', async () => {
    const { store, ctx } = await boothFixture();
    const before = events(store);
    const err = await callApiError(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '15:00', endTime: '13:00', slotMinutes: 15, capacity: 2, breaks: [], fields: [] });
    expect(err).toMatchObject({ code: 'INVALID_BOOTH_PLAN', details: { problem: 'end_before_start' } });
    expect((await callApiError(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '25:00', endTime: '13:00', slotMinutes: 15, capacity: 2 })).code).toBe('VALIDATION');
    expect((await callApiError(ctx, 'booths:setPlan', { boothId: 'nope', startTime: '13:00', endTime: '14:00', slotMinutes: 15, capacity: 2 })).code).toBe('NOT_FOUND');
    expect(events(store)).toBe(before);
  });

  it('copies plans from an earlier stop to the same institutions’ booths', async () => {
    const { ctx } = await boothFixture();
    const res = await callApi(ctx, 'booths:copyPlans', { fromStopId: DEMO_STOP, toStopId: 'stop-04-pittsburgh' });
    expect(res).toEqual({ copied: 3, skipped: 0 });
    const plan = (await callApi(ctx, 'booths:schedule', { stopId: 'stop-04-pittsburgh' })).rows.find((r) => r.booth.institutionId === 'inst-kaist')!.plan;
    expect(plan).toMatchObject({ startTime: '13:00', capacity: 2, copiedFromStopId: DEMO_STOP, stopId: 'stop-04-pittsburgh' });
    expect(await callApi(ctx, 'booths:copyPlans', { fromStopId: DEMO_STOP, toStopId: 'stop-04-pittsburgh' })).toEqual({ copied: 0, skipped: 3 });
  });
});

describe('booking rules', () => {
  it('books, never beyond capacity, and says so clearly', async () => {
    const { store, ctx, regs } = await boothFixture({ capacity: 2 });
    const r1 = await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
    expect(r1.booking).toMatchObject({ boothId: KAIST, slotStart: at(0), slotEnd: at(15), attendance: 'pending', source: 'desk', conflicted: false });
    // Any spelling of the same instant is the same slot.
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: '2025-11-14T18:00:00Z', registrationId: regs[1]!.id });
    const before = events(store);
    const err = await callApiError(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[2]!.id });
    expect(err).toMatchObject({ code: 'SLOT_FULL', details: { booth: 'KAIST', time: '13:00', capacity: 2 } });
    expect(events(store)).toBe(before);
    expect((await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP })).rows.find((r) => r.booth.id === KAIST)!.slots[0]!.booked).toBe(2);
  });

  it('never puts a person in two overlapping slots, at any booth', async () => {
    const { ctx, regs } = await boothFixture();
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
    expect((await callApiError(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id })).code).toBe('ATTENDEE_DOUBLE_BOOKED');
    const other = await callApiError(ctx, 'booths:book', { boothId: GIST, slotStart: at(0), registrationId: regs[0]!.id });
    expect(other).toMatchObject({ code: 'ATTENDEE_DOUBLE_BOOKED', details: { booth: 'KAIST' } });
    // The next slot is fine.
    await callApi(ctx, 'booths:book', { boothId: GIST, slotStart: at(15), registrationId: regs[0]!.id });
  });

  it('treats two merged records of one person as one: no overlapping slots, and earlier overlaps become conflicts', async () => {
    const { store, ctx, regs } = await boothFixture();
    const [a, b, c, d] = [regs[0]!, regs[1]!, regs[2]!, regs[3]!];
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: a.id });
    // Booked while still two records (e.g. on two laptops): no conflict yet.
    await callApi(ctx, 'booths:book', { boothId: GIST, slotStart: at(0), registrationId: b.id });
    const kinds = async () => (await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP })).conflicts.map((x) => x.kind);
    expect(await kinds()).toEqual([]);
    store.events.append('attendee_merged', { fromAttendeeId: b.attendee_id, intoAttendeeId: a.attendee_id, reason: 'email' });
    expect(await kinds()).toEqual(['double_booked']);
    // From now on the merged person cannot be booked twice at one time under either record.
    store.events.append('attendee_merged', { fromAttendeeId: d.attendee_id, intoAttendeeId: c.attendee_id, reason: 'email' });
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: c.id });
    const err = await callApiError(ctx, 'booths:book', { boothId: POSTECH, slotStart: at(30), registrationId: d.id });
    expect(err).toMatchObject({ code: 'ATTENDEE_DOUBLE_BOOKED', details: { booth: 'KAIST' } });
  });

  it('refuses times the plan has no slot for, booths without a plan and people of other stops', async () => {
    const { ctx, store, regs } = await boothFixture();
    expect((await callApiError(ctx, 'booths:book', { boothId: KAIST, slotStart: at(60), registrationId: regs[0]!.id })).code).toBe('SLOT_NOT_IN_PLAN'); // the break
    expect((await callApiError(ctx, 'booths:book', { boothId: KAIST, slotStart: at(5), registrationId: regs[0]!.id })).code).toBe('SLOT_NOT_IN_PLAN');
    expect((await callApiError(ctx, 'booths:book', { boothId: `booth-${DEMO_STOP}-inst-kist`, slotStart: at(0), registrationId: regs[0]!.id })).code).toBe('NO_BOOTH_PLAN');
    const elsewhere = store.db.prepare<[string], { id: string }>('SELECT id FROM registrations WHERE stop_id <> ? LIMIT 1').get(DEMO_STOP)!;
    expect((await callApiError(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: elsewhere.id })).code).toBe('NOT_FOUND');
  });

  it('moves a booking within the rules and cancels it', async () => {
    const { ctx, regs } = await boothFixture({ capacity: 1 });
    const a = await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
    await callApi(ctx, 'booths:book', { boothId: GIST, slotStart: at(15), registrationId: regs[1]!.id });
    expect((await callApiError(ctx, 'booths:move', { bookingId: a.booking.bookingId, boothId: GIST, slotStart: at(15) })).code).toBe('SLOT_FULL');
    const moved = await callApi(ctx, 'booths:move', { bookingId: a.booking.bookingId, boothId: GIST, slotStart: at(30) });
    expect(moved.booking).toMatchObject({ boothId: GIST, slotStart: at(30) });
    // Its old place is free again.
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[2]!.id });
    await callApi(ctx, 'booths:cancel', { bookingId: a.booking.bookingId, reason: 'changed plans' });
    const s = await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP });
    expect(s.bookings.map((b) => b.bookingId)).not.toContain(a.booking.bookingId);
    expect((await callApiError(ctx, 'booths:cancel', { bookingId: a.booking.bookingId })).code).toBe('BOOKING_NOT_ACTIVE');
    expect((await callApiError(ctx, 'booths:move', { bookingId: a.booking.bookingId, boothId: GIST, slotStart: at(45) })).code).toBe('BOOKING_NOT_ACTIVE');
  });

  it('marks attended and no-show; a no-show frees the place; a person not checked in is flagged', async () => {
    const { ctx, store, regs } = await boothFixture({ capacity: 1 });
    const checkedIn = store.db.prepare<[string], { registration_id: string }>('SELECT registration_id FROM check_ins WHERE stop_id = ? LIMIT 1').get(DEMO_STOP)!.registration_id;
    const notIn = regs.find((r) => count(store, 'SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?', r.id) === 0)!;
    const a = await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: checkedIn });
    const b = await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: notIn.id });
    expect(a.booking.checkedIn).toBe(true);
    expect(b.booking.checkedIn).toBe(false);
    expect((await callApi(ctx, 'booths:markAttendance', { bookingId: a.booking.bookingId, attendance: 'attended' })).attendance).toBe('attended');
    expect((await callApi(ctx, 'booths:markAttendance', { bookingId: b.booking.bookingId, attendance: 'no_show' })).attendance).toBe('no_show');
    // The no-show's place can take a walk-up.
    const w = await callApi(ctx, 'booths:walkUp', { boothId: KAIST, slotStart: at(15), registrationId: regs.find((r) => r.id !== checkedIn && r.id !== notIn.id)!.id });
    expect(w.booking).toMatchObject({ source: 'walk_up', attendance: 'attended' });
    const slot = (await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP })).rows.find((r) => r.booth.id === KAIST)!.slots[1]!;
    expect(slot.booked).toBe(1);
  });

  it('warns about back-to-back bookings at distant booths', async () => {
    const { ctx, store, regs } = await boothFixture();
    const loc = (id: string) => store.db.prepare<[string], { location: string }>('SELECT location FROM booths WHERE id = ?').get(id)!.location;
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
    const near = await callApi(ctx, 'booths:book', { boothId: GIST, slotStart: at(15), registrationId: regs[0]!.id });
    expect(near.warnings).toEqual([]); // neighbouring booths
    // Put POSTECH far away and book back-to-back there.
    const booth = store.db.prepare<[string], { institution_id: string; stop_id: string; staff: string }>('SELECT * FROM booths WHERE id = ?').get(POSTECH)!;
    store.events.append('booth_upserted', { id: POSTECH, stopId: booth.stop_id, institutionId: booth.institution_id, location: 'C20', staff: JSON.parse(booth.staff) as string[] });
    const far = await callApi(ctx, 'booths:book', { boothId: POSTECH, slotStart: at(30), registrationId: regs[0]!.id });
    expect(far.warnings).toEqual([{ kind: 'back_to_back_distant', otherBookingId: near.booking.bookingId, otherBoothId: GIST, otherLocation: loc(GIST) }]);
  });
});

describe('waitlist', () => {
  it('offers a freed place to the first person waiting, who can accept it', async () => {
    const { ctx, regs } = await boothFixture({ capacity: 1 });
    const a = await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
    const first = await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[1]!.id });
    const second = await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[2]!.id });
    expect((await callApiError(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[1]!.id })).code).toBe('ALREADY_ON_WAITLIST');
    const { offer } = await callApi(ctx, 'booths:cancel', { bookingId: a.booking.bookingId, reason: '' });
    expect(offer).toMatchObject({ entryId: first.entryId, offer: { slotStart: at(0), slotEnd: at(15) } });
    // The offered place is held: nobody else can take it meanwhile.
    expect((await callApiError(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[3]!.id })).code).toBe('SLOT_FULL');
    const accepted = await callApi(ctx, 'booths:acceptOffer', { entryId: first.entryId });
    expect(accepted.booking).toMatchObject({ source: 'waitlist', slotStart: at(0), registrationId: regs[1]!.id });
    const s = await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP });
    expect(s.rows.find((r) => r.booth.id === KAIST)!.waitlist.map((w) => w.entryId)).toEqual([second.entryId]);
    expect((await callApiError(ctx, 'booths:acceptOffer', { entryId: first.entryId })).code).toBe('NO_OPEN_OFFER');
  });

  it('passes a declined offer to the next person, skipping people busy at that time', async () => {
    const { ctx, regs } = await boothFixture({ capacity: 1 });
    const a = await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
    const first = await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[1]!.id });
    const busy = await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[2]!.id });
    const third = await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[3]!.id });
    await callApi(ctx, 'booths:book', { boothId: GIST, slotStart: at(0), registrationId: regs[2]!.id });
    const { offer } = await callApi(ctx, 'booths:cancel', { bookingId: a.booking.bookingId, reason: '' });
    expect(offer!.entryId).toBe(first.entryId);
    const next = await callApi(ctx, 'booths:declineOffer', { entryId: first.entryId });
    expect(next.offer!.entryId).toBe(third.entryId);
    const s = await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP });
    const wl = s.rows.find((r) => r.booth.id === KAIST)!.waitlist;
    // The decliner keeps their place in the queue, without an offer.
    expect(wl.map((w) => [w.entryId, w.offer?.slotStart ?? null])).toEqual([[first.entryId, null], [busy.entryId, null], [third.entryId, at(0)]]);
    await callApi(ctx, 'booths:waitlistLeave', { entryId: third.entryId });
    // Leaving with an open offer passes it on; the decliner and the busy person are skipped: nobody left.
    const after = (await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP })).rows.find((r) => r.booth.id === KAIST)!.waitlist;
    expect(after.every((w) => w.offer === null)).toBe(true);
  });

  it('takes a person off the waitlist when they are booked at that booth directly', async () => {
    const { ctx, regs } = await boothFixture();
    await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[1]!.id });
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[1]!.id });
    const s = await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP });
    expect(s.rows.find((r) => r.booth.id === KAIST)!.waitlist).toEqual([]);
  });
});
