import { afterEach, describe, expect, it, vi } from 'vitest';
import { runNoShowSweep } from '../../../core/api/noShowHandlers';
import { startNoShowSchedule } from '../../../core/api/noShowTimer';
import { openStore } from '../../../core/store/openStore';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { at, KAIST } from './boothFixture';
import { noShowFixture, type NoShowFixture } from './noShowFixture';

const fixtures: NoShowFixture[] = [];
async function fixture(opts: { capacity?: number } = {}) {
  const f = await noShowFixture(opts);
  fixtures.push(f);
  return f;
}
afterEach(() => {
  vi.useRealTimers();
  for (const f of fixtures.splice(0)) disposeTestStore(f.store);
});

const waitlistOf = async (f: NoShowFixture) => (await callApi(f.ctx, 'booths:schedule', { stopId: DEMO_STOP })).rows.find((r) => r.booth.id === KAIST)!.waitlist;
const eventsOfType = (f: NoShowFixture, type: string) => f.store.db.prepare<[string], { payload: string }>('SELECT payload FROM events WHERE type = ? ORDER BY hlc').all(type).map((r) => JSON.parse(r.payload) as Record<string, unknown>);

describe('a no-show frees the place (by hand)', () => {
  it('offers it to the first person waiting, as a cancel does', async () => {
    const f = await fixture();
    const [a, b, c] = f.absent;
    const booked = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: a! });
    const wb = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: b! });
    await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: c! });
    f.setClock(at(20));
    const marked = await callApi(f.ctx, 'booths:markAttendance', { bookingId: booked.booking.bookingId, attendance: 'no_show' });
    expect(marked).toMatchObject({ attendance: 'no_show', attendanceAuto: false });
    expect(marked.offer).toMatchObject({ entryId: wb.entryId, offer: { slotStart: at(15), slotEnd: at(30), offeredAt: at(20), expiresAt: null } });
    const list = await waitlistOf(f);
    expect(list.map((w) => w.offer?.slotStart ?? null)).toEqual([at(15), null]);
    // Marked again: nothing more is offered (the place is held by the open offer).
    const again = await callApi(f.ctx, 'booths:markAttendance', { bookingId: booked.booking.bookingId, attendance: 'no_show' });
    expect(again.offer).toBeNull();
    expect(eventsOfType(f, 'waitlist_offered')).toHaveLength(1);
  });

  it('follows the same rules: skips people booked at that time, who declined that slot, and full slots', async () => {
    const f = await fixture({ capacity: 1 });
    const [a, b, c, d, e] = f.absent;
    const first = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: a! });
    const second = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: e! });
    // b is booked at 13:15 elsewhere in the stop (another slot of this booth would not overlap): use GIST.
    const GIST = `booth-${DEMO_STOP}-inst-gist`;
    await callApi(f.ctx, 'booths:setPlan', { boothId: GIST, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
    await callApi(f.ctx, 'booths:book', { boothId: GIST, slotStart: at(15), registrationId: b! });
    const wb = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: b! });
    const wc = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: c! });
    const wd = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: d! });
    const offered = await callApi(f.ctx, 'booths:markAttendance', { bookingId: first.booking.bookingId, attendance: 'no_show' });
    expect(offered.offer?.entryId).toBe(wc.entryId); // b is busy at 13:15
    await callApi(f.ctx, 'booths:declineOffer', { entryId: wc.entryId }); // passes to d
    expect((await waitlistOf(f)).find((w) => w.entryId === wd.entryId)!.offer?.slotStart).toBe(at(15));
    await callApi(f.ctx, 'booths:declineOffer', { entryId: wd.entryId }); // c declined this slot, b is busy: nobody
    expect((await waitlistOf(f)).every((w) => w.offer === null)).toBe(true);
    // Attended is not a freed place; a booking marked back from no-show holds its place again.
    const att = await callApi(f.ctx, 'booths:markAttendance', { bookingId: second.booking.bookingId, attendance: 'attended' });
    expect(att.offer).toBeNull();
    expect(wb.entryId).toBeTruthy();
  });
});

describe('automatic no-show (stop rule)', () => {
  it('is off by default, and set by the stop’s settings', async () => {
    const f = await fixture();
    expect(await callApi(f.ctx, 'noshow:settings', { stopId: DEMO_STOP })).toMatchObject({ autoNoShowMinutes: null, offerExpiryMinutes: null, setAt: null });
    const set = await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 10, offerExpiryMinutes: 5 });
    expect(set).toMatchObject({ autoNoShowMinutes: 10, offerExpiryMinutes: 5, setBy: 'staff-1' });
    // The same values again write nothing.
    await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 10, offerExpiryMinutes: 5 });
    expect(eventsOfType(f, 'stop_booth_settings_set')).toHaveLength(1);
    expect((await callApiError(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 0, offerExpiryMinutes: 5 })).code).toBe('VALIDATION');
    expect((await callApiError(f.ctx, 'noshow:setSettings', { stopId: 'nope', autoNoShowMinutes: 10, offerExpiryMinutes: 5 })).code).toBe('NOT_FOUND');
  });

  it('marks only people not checked in, N minutes into the slot, once, and offers their place', async () => {
    const f = await fixture({ capacity: 2 });
    const [a, waiting] = f.absent;
    const [p] = f.present;
    const absent = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: a! });
    const present = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: p! });
    const w = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: waiting! });
    // Off: nothing happens whatever the time.
    f.setClock(at(27));
    expect(runNoShowSweep(f.ctx, [DEMO_STOP])).toEqual({ marked: [], offers: [] });
    await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 10, offerExpiryMinutes: null });
    f.setClock(at(24)); // 9 minutes into 13:15
    expect(runNoShowSweep(f.ctx, [DEMO_STOP]).marked).toEqual([]);
    f.setClock(at(25));
    const sweep = runNoShowSweep(f.ctx, [DEMO_STOP]);
    expect(sweep.marked).toEqual([absent.booking.bookingId]);
    expect(sweep.offers.map((o) => o.entryId)).toEqual([w.entryId]);
    expect(eventsOfType(f, 'attendance_marked')).toEqual([{ bookingId: absent.booking.bookingId, attendance: 'no_show', source: 'auto' }]);
    const s = await callApi(f.ctx, 'booths:schedule', { stopId: DEMO_STOP });
    expect(s.bookings.find((b) => b.bookingId === absent.booking.bookingId)).toMatchObject({ attendance: 'no_show', attendanceAuto: true });
    expect(s.bookings.find((b) => b.bookingId === present.booking.bookingId)).toMatchObject({ attendance: 'pending' });
    // Again: nothing new.
    expect(runNoShowSweep(f.ctx, [DEMO_STOP])).toEqual({ marked: [], offers: [] });
    // The person turns up after all: a person's mark beats the automatic one.
    const back = await callApi(f.ctx, 'booths:markAttendance', { bookingId: absent.booking.bookingId, attendance: 'attended' });
    expect(back).toMatchObject({ attendance: 'attended', attendanceAuto: false });
    // After the slot is over nothing is marked any more.
    const late = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: f.absent[2]! });
    f.setClock(at(45));
    expect(runNoShowSweep(f.ctx, [DEMO_STOP]).marked).toEqual([]);
    expect((await callApi(f.ctx, 'booths:schedule', { stopId: DEMO_STOP })).bookings.find((b) => b.bookingId === late.booking.bookingId)!.attendance).toBe('pending');
  });

  it('runs on the host’s timer for the desk’s current stop', async () => {
    const f = await fixture();
    vi.useFakeTimers();
    const booked = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: f.absent[0]! });
    await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 5, offerExpiryMinutes: null });
    f.setClock(at(21));
    await callApi(f.ctx, 'settings:update', { currentStopId: 'stop-04-pittsburgh' });
    const stop = startNoShowSchedule(() => f.ctx, 1000);
    vi.advanceTimersByTime(1500);
    // Not the desk's stop yet: untouched.
    expect(eventsOfType(f, 'attendance_marked')).toHaveLength(0);
    await callApi(f.ctx, 'settings:update', { currentStopId: DEMO_STOP });
    vi.advanceTimersByTime(1000);
    stop();
    const marks = f.store.db.prepare<[], { actor_id: string | null; payload: string }>("SELECT actor_id, payload FROM events WHERE type = 'attendance_marked'").all();
    expect(marks).toEqual([{ actor_id: null, payload: JSON.stringify({ bookingId: booked.booking.bookingId, attendance: 'no_show', source: 'auto' }) }]);
  });
});

describe('waitlist offers expire (stop rule)', () => {
  async function offered(f: NoShowFixture) {
    const [a, b, c] = f.absent;
    const booked = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: a! });
    const wb = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: b! });
    const wc = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: c! });
    await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: null, offerExpiryMinutes: 5 });
    f.setClock(at(10));
    await callApi(f.ctx, 'booths:markAttendance', { bookingId: booked.booking.bookingId, attendance: 'no_show' });
    return { wb, wc };
  }

  it('shows when an offer expires, and passes it to the next person when the schedule is read', async () => {
    const f = await fixture();
    const { wb, wc } = await offered(f);
    expect((await waitlistOf(f))[0]).toMatchObject({ entryId: wb.entryId, offer: { offeredAt: at(10), expiresAt: at(15) }, expiredOffer: null });
    f.setClock(new Date(Date.parse(at(15)) - 1000).toISOString());
    expect((await waitlistOf(f))[0]!.offer).not.toBeNull();
    f.setClock(at(15));
    const list = await waitlistOf(f);
    // b stays on the waitlist with the expired offer marked; c now holds the place.
    expect(list.map((w) => [w.entryId, w.offer?.slotStart ?? null, w.expiredOffer?.slotStart ?? null])).toEqual([
      [wb.entryId, null, at(30)],
      [wc.entryId, at(30), null],
    ]);
    expect(list[0]!.expiredOffer!.expiredAt).toBe(at(15));
    expect(list[1]!.offer).toMatchObject({ offeredAt: at(15), expiresAt: at(20) });
    // Reading again writes nothing more.
    await waitlistOf(f);
    expect(eventsOfType(f, 'waitlist_offered')).toHaveLength(2);
    // b answers too late.
    expect(await callApiError(f.ctx, 'booths:acceptOffer', { entryId: wb.entryId })).toMatchObject({ code: 'OFFER_EXPIRED', details: { booth: 'KAIST', slotStart: at(30), expiredAt: at(15) } });
    // c accepts in time.
    const got = await callApi(f.ctx, 'booths:acceptOffer', { entryId: wc.entryId });
    expect(got.booking).toMatchObject({ slotStart: at(30), source: 'waitlist' });
  });

  it('passes on the host timer too, never back to the person whose offer expired, and frees the place when nobody is left', async () => {
    const f = await fixture();
    const { wb, wc } = await offered(f);
    f.setClock(at(15));
    expect(runNoShowSweep(f.ctx, [DEMO_STOP]).offers.map((o) => o.entryId)).toEqual([wc.entryId]);
    expect(runNoShowSweep(f.ctx, [DEMO_STOP]).offers).toEqual([]);
    f.setClock(at(20));
    // c's offer expired too; b already let this slot go: nobody is offered, and the place is free to book.
    expect(runNoShowSweep(f.ctx, [DEMO_STOP]).offers).toEqual([]);
    const s = await callApi(f.ctx, 'booths:schedule', { stopId: DEMO_STOP });
    expect(s.rows.find((r) => r.booth.id === KAIST)!.slots.find((x) => x.start === at(30))).toMatchObject({ booked: 0, held: 0 });
    expect(s.rows.find((r) => r.booth.id === KAIST)!.waitlist.map((w) => w.entryId)).toEqual([wb.entryId, wc.entryId]);
    await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: f.absent[3]! });
    // A slot that is over is never offered.
    f.setClock(at(50));
    expect(runNoShowSweep(f.ctx, [DEMO_STOP]).offers).toEqual([]);
  });
});

describe('two desks, offline', () => {
  it('both mark the same no-show and offer the place: the duplicates converge harmlessly', async () => {
    const f = await fixture();
    const [a, b] = f.absent;
    const booked = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: a! });
    const wb = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: b! });
    await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 10, offerExpiryMinutes: 5 });
    const shared = f.store.events.eventsOfDevice(f.store.deviceId, 0, 100_000);
    const base = f.store.db.prepare<[string], { device_id: string }>('SELECT DISTINCT device_id FROM events WHERE device_id <> ?').all(f.store.deviceId);
    const others = base.flatMap((d) => f.store.events.eventsOfDevice(d.device_id, 0, 100_000));
    let t = Date.parse(at(25));
    const desk = (name: string, offset: number) => {
      const s = openStore(':memory:', { deviceId: name, now: () => t + offset });
      s.events.ingest(others);
      s.events.ingest(shared);
      return s;
    };
    const d1 = desk('desk-1', 0);
    const d2 = desk('desk-2', 30_000);
    const r1 = runNoShowSweep(createTestContext(d1), [DEMO_STOP]);
    const r2 = runNoShowSweep(createTestContext(d2), [DEMO_STOP]);
    expect(r1.marked).toEqual([booked.booking.bookingId]);
    expect(r2.marked).toEqual([booked.booking.bookingId]);
    expect(r1.offers.map((o) => o.entryId)).toEqual([wb.entryId]);
    expect(r2.offers.map((o) => o.entryId)).toEqual([wb.entryId]);
    const e1 = d1.events.eventsOfDevice('desk-1', 0, 100);
    const e2 = d2.events.eventsOfDevice('desk-2', 0, 100);
    d1.events.ingest(e2);
    d2.events.ingest(e1);
    expect(d1.events.projectionHash()).toBe(d2.events.projectionHash());
    // After the exchange nothing more is written, and the schedules agree: one no-show, one offer.
    t += 1000;
    expect(runNoShowSweep(createTestContext(d1), [DEMO_STOP])).toEqual({ marked: [], offers: [] });
    const s1 = await callApi(createTestContext(d1), 'booths:schedule', { stopId: DEMO_STOP });
    const s2 = await callApi(createTestContext(d2), 'booths:schedule', { stopId: DEMO_STOP });
    expect(s1.rows).toEqual(s2.rows);
    const kaist = s1.rows.find((r) => r.booth.id === KAIST)!;
    expect(kaist.slots.find((x) => x.start === at(15))).toMatchObject({ booked: 0, held: 1 });
    // The latest of the two offers counts: desk 2's clock was 30 s ahead.
    expect(kaist.waitlist[0]!.offer).toMatchObject({ offeredAt: new Date(Date.parse(at(25)) + 30_000).toISOString() });
    d1.close();
    d2.close();
  });
});
