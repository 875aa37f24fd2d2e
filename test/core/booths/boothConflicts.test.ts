import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../helpers/testStore';
import { loadDemoData } from '../../../core/demo/demoData';
import { buildDemoEvents } from '../../../core/demo/seedDemo';
import { openStore, type Store } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { callApi, callApiError } from '../../helpers/callApi';
import { DEMO_STOP, RESOURCES_DIR } from '../../helpers/testStore';
import { at, GIST, KAIST, registrationsAt } from './boothFixture';

const base = buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 60, seed: 11, schedules: false });
const T0 = Date.parse('2025-11-14T17:00:00Z');

function laptop(deviceId: string, startMs: number): Store {
  let t = startMs;
  const store = openStore(':memory:', { deviceId, now: () => (t += 1000) });
  store.events.ingest(base);
  return store;
}
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const conflictsOf = async (s: Store) => (await callApi(createTestContext(s), 'booths:schedule', { stopId: DEMO_STOP })).conflicts;

/**
 * Two laptops, offline, each book the last place of the same slot and book the same person at the
 * same time at two booths. Neither saw the other: each local check passed.
 */
async function concurrentScenario() {
  const hq = laptop('hq-laptop', T0);
  await callApi(createTestContext(hq), 'booths:setPlan', { boothId: KAIST, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
  await callApi(createTestContext(hq), 'booths:setPlan', { boothId: GIST, startTime: '13:00', endTime: '15:00', slotMinutes: 15, capacity: 2, breaks: [], fields: [] });
  const plans = own(hq);
  const a = laptop('laptop-a', T0 + 60_000);
  const b = laptop('laptop-b', T0 + 120_000); // b's clock is later: its claims sort after a's
  a.events.ingest(plans);
  b.events.ingest(plans);
  const regs = registrationsAt(a);
  const ctxA = createTestContext(a);
  const ctxB = createTestContext(b);
  const ka = await callApi(ctxA, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[0]!.id });
  const kb = await callApi(ctxB, 'booths:book', { boothId: KAIST, slotStart: at(0), registrationId: regs[1]!.id });
  const da = await callApi(ctxA, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[2]!.id });
  const db = await callApi(ctxB, 'booths:book', { boothId: GIST, slotStart: at(30), registrationId: regs[2]!.id });
  return { plans, fromA: own(a), fromB: own(b), ids: { ka: ka.booking.bookingId, kb: kb.booking.bookingId, da: da.booking.bookingId, db: db.booking.bookingId } };
}

function replica(name: string, ...batches: EventEnvelope[][]): Store {
  const s = openStore(':memory:', { deviceId: name });
  s.events.ingest(base);
  for (const batch of batches) s.events.ingest(batch);
  return s;
}

describe('booking conflicts after sync', () => {
  it('lists the same conflicts whichever laptop’s events arrive first', async () => {
    const { plans, fromA, fromB, ids } = await concurrentScenario();
    const ab = replica('hub-1', plans, fromA, fromB);
    const ba = replica('hub-2', fromB, fromA, plans);
    const listAB = await conflictsOf(ab);
    const listBA = await conflictsOf(ba);
    expect(listAB).toEqual(listBA);
    expect(ab.events.projectionHash()).toBe(ba.events.projectionHash());

    expect(listAB.map((c) => c.kind).sort()).toEqual(['double_booked', 'over_capacity']);
    const over = listAB.find((c) => c.kind === 'over_capacity')!;
    // Ordered by HLC: laptop A booked first and keeps the place; B's claim is conflicted.
    expect(over).toMatchObject({ boothId: KAIST, slotStart: at(0), capacity: 1, conflictedBookingIds: [ids.kb] });
    expect(over.bookings.map((b) => b.bookingId)).toEqual([ids.ka, ids.kb]);
    const dbl = listAB.find((c) => c.kind === 'double_booked')!;
    expect(dbl.conflictedBookingIds).toEqual([ids.db]);
    expect(dbl.bookings.map((b) => b.bookingId)).toEqual([ids.da, ids.db]);
    const s = await callApi(createTestContext(ab), 'booths:schedule', { stopId: DEMO_STOP });
    expect(s.bookings.filter((b) => b.conflicted).map((b) => b.bookingId).sort()).toEqual([ids.db, ids.kb].sort());
  });

  it('converges for any delivery order and batching', async () => {
    const { plans, fromA, fromB } = await concurrentScenario();
    const reference = await conflictsOf(replica('ref', plans, fromA, fromB));
    const all = [...plans, ...fromA, ...fromB];
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), fc.integer({ min: 1, max: 5 }), async (order, chunk) => {
        const s = openStore(':memory:', { deviceId: 'replica' });
        s.events.ingest(base);
        for (let i = 0; i < order.length; i += chunk) s.events.ingest(order.slice(i, i + chunk));
        const list = await conflictsOf(s);
        s.close();
        expect(list).toEqual(reference);
      }),
      { numRuns: 20, seed: 5 },
    );
  });

  it('is resolved by a person with a move, a cancel or keeping the booking, and the resolution syncs', async () => {
    const { plans, fromA, fromB, ids } = await concurrentScenario();
    const venue = replica('venue', plans, fromA, fromB);
    const ctx = createTestContext(venue, { actorId: 'lead' });
    await callApi(ctx, 'booths:resolveConflict', { bookingId: ids.kb, action: 'move', boothId: KAIST, slotStart: at(15), note: '' });
    expect((await conflictsOf(venue)).map((c) => c.kind)).toEqual(['double_booked']);
    await callApi(ctx, 'booths:resolveConflict', { bookingId: ids.db, action: 'keep', note: 'GIST will see them at their desk' });
    expect(await conflictsOf(venue)).toEqual([]);
    // A booking no longer in conflict cannot be "resolved" again.
    const err = await callApiError(ctx, 'booths:resolveConflict', { bookingId: ids.db, action: 'keep' });
    expect(err.code).toBe('CONFLICT');
    // Another laptop receiving everything, in another order, agrees.
    const other = replica('other', own(venue), fromB, plans, fromA);
    expect(await conflictsOf(other)).toEqual([]);
    expect(other.events.projectionHash()).toBe(venue.events.projectionHash());
  });

  it('flags bookings the plan no longer has after a plan change', async () => {
    const { plans, fromA, fromB, ids } = await concurrentScenario();
    const venue = replica('venue', plans, fromA, fromB);
    const ctx = createTestContext(venue);
    await callApi(ctx, 'booths:setPlan', { boothId: GIST, startTime: '13:00', endTime: '15:00', slotMinutes: 20, capacity: 2, breaks: [], fields: [] });
    const list = await conflictsOf(venue);
    expect(list.find((c) => c.kind === 'off_plan')).toMatchObject({ boothId: GIST, conflictedBookingIds: [ids.db] });
    await callApi(ctx, 'booths:resolveConflict', { bookingId: ids.db, action: 'cancel', note: 'plan changed' });
    expect((await conflictsOf(venue)).map((c) => c.kind)).toEqual(['over_capacity']);
  });
});
