import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runNoShowSweep } from '../../../core/api/noShowHandlers';
import { openStore, type Store } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { callApi } from '../../helpers/callApi';
import { createTestContext, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { at, KAIST } from './boothFixture';
import { noShowFixture, type NoShowFixture } from './noShowFixture';

let f: NoShowFixture;
afterAll(() => disposeTestStore(f.store));

/**
 * Three desks of one stop, offline from each other, on clocks up to 90 s apart: two mark the same
 * automatic no-show and offer the place, one person marks the booking attended by hand (on the
 * slowest clock), two stop leads set different rules, one offer is declined and passed on.
 */
async function scenario() {
  f = await noShowFixture();
  const [a, b, c] = f.absent;
  const booked = await callApi(f.ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: a! });
  const wb = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: b! });
  const wc = await callApi(f.ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: c! });
  await callApi(f.ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 10, offerExpiryMinutes: 5 });
  const devices = f.store.db.prepare<[], { device_id: string }>('SELECT DISTINCT device_id FROM events').all();
  const base = devices.flatMap((d) => f.store.events.eventsOfDevice(d.device_id, 0, 100_000));
  const t = Date.parse(at(25));
  const desk = (name: string, offset: number): Store => {
    const s = openStore(':memory:', { deviceId: name, now: () => t + offset });
    s.events.ingest(base);
    return s;
  };
  const d1 = desk('desk-1', 0);
  const d2 = desk('desk-2', -60_000);
  const d3 = desk('desk-3', 90_000);
  const lead = (s: Store) => createTestContext(s, { actorId: 'lead' });
  runNoShowSweep(lead(d1), [DEMO_STOP]);
  await callApi(lead(d1), 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 10, offerExpiryMinutes: 8 });
  await callApi(lead(d2), 'booths:markAttendance', { bookingId: booked.booking.bookingId, attendance: 'attended' });
  await callApi(lead(d2), 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: 15, offerExpiryMinutes: null });
  runNoShowSweep(lead(d3), [DEMO_STOP]);
  await callApi(lead(d3), 'booths:declineOffer', { entryId: wb.entryId });
  const fromDesks = [d1, d2, d3].map((s) => s.events.eventsOfDevice(s.deviceId, 0, 100));
  for (const s of [d1, d2, d3]) s.close();
  return { base, fromDesks, ids: { booking: booked.booking.bookingId, wb: wb.entryId, wc: wc.entryId } };
}

/** A replica reading everything at the same instant (expiry is derived from the clock). */
function replica(base: EventEnvelope[], batches: EventEnvelope[][]): Store {
  const s = openStore(':memory:', { deviceId: 'replica', now: () => Date.parse(at(27)) });
  s.events.ingest(base);
  for (const batch of batches) s.events.ingest(batch);
  return s;
}
const viewOf = async (s: Store) => {
  const sched = await callApi(createTestContext(s), 'booths:schedule', { stopId: DEMO_STOP });
  return { hash: s.events.projectionHash(), rows: sched.rows, bookings: sched.bookings, settings: await callApi(createTestContext(s), 'noshow:settings', { stopId: DEMO_STOP }) };
};

describe('no-shows and offers from several desks (order independence)', () => {
  it('give the same tables, settings, waitlist and marks for any delivery order and batching', async () => {
    const { base, fromDesks, ids } = await scenario();
    const ref = replica(base, fromDesks);
    const reference = await viewOf(ref);
    ref.close();
    // The person's mark wins over both automatic ones, though it has the lowest HLC.
    expect(reference.bookings.find((b) => b.bookingId === ids.booking)).toMatchObject({ attendance: 'attended', attendanceAuto: false });
    // Desk 1's clock is ahead of desk 2's: its rules win, whichever arrives last.
    expect(reference.settings).toMatchObject({ autoNoShowMinutes: 10, offerExpiryMinutes: 8 });
    const all = fromDesks.flat();
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), fc.integer({ min: 1, max: 4 }), async (order, chunk) => {
        const batches: EventEnvelope[][] = [];
        for (let i = 0; i < order.length; i += chunk) batches.push(order.slice(i, i + chunk));
        const s = replica(base, batches);
        const view = await viewOf(s);
        s.close();
        expect(view).toEqual(reference);
      }),
      { numRuns: 25, seed: 19 },
    );
  });
});
