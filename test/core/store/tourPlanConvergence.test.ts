import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { callApi } from '../../helpers/callApi';
import { createTestContext } from '../../helpers/testStore';

/**
 * Issue #18: the events of tour planning (tours, stops, sessions, institutions, booths and their removal,
 * planned staff and their setup codes) fold into the same tables whatever order and batching they arrive
 * in, with HQ's plan and a stop lead's on-site edits interleaved, and the same conflict list follows.
 */
const T0 = Date.parse('2026-09-01T09:00:00Z');
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const laptop = (deviceId: string, startMs: number): Store => {
  let t = startMs;
  return openStore(':memory:', { deviceId, now: () => (t += 1000) });
};

let history: EventEnvelope[];
let stopId: string;
const plan = { startTime: '13:00', endTime: '15:00', slotMinutes: 30, capacity: 1, breaks: [], fields: [] };

beforeAll(async () => {
  const hq = laptop('hq', T0);
  const h = createTestContext(hq, { actorId: 'admin' });
  const tour = await callApi(h, 'tour:upsert', { name: 'Roadshow 2026', nameKo: '로드쇼 2026', year: 2026 });
  const stop = await callApi(h, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Chicago', date: '2026-10-19', timeZone: 'America/Chicago', kind: 'joint_briefing' });
  stopId = stop.id;
  const kaist = await callApi(h, 'institution:upsert', { name: 'KAIST', shortName: 'KAIST', kind: 'university', programs: ['InnoCORE'] });
  const gist = await callApi(h, 'institution:upsert', { name: 'GIST', shortName: 'GIST', kind: 'university' });
  const bk = await callApi(h, 'booth:upsert', { stopId: stop.id, institutionId: kaist.id, location: 'B01', plan });
  const bg = await callApi(h, 'booth:upsert', { stopId: stop.id, institutionId: gist.id, location: 'B02', plan });
  const talk = await callApi(h, 'session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Talk', startTime: '10:00', endTime: '11:00', room: 'A' });
  const planned = await callApi(h, 'staff:plan', { name: 'Jung Hana', role: 'booth_staff', institutionId: kaist.id, stopIds: [stop.id] });

  // The stop's desk receives the plan, then works offline: bookings, an added session, hours cut.
  const desk = laptop('desk', T0 + 3_600_000);
  desk.events.ingest(own(hq));
  const d = createTestContext(desk, { actorId: 'lead' });
  const walkIn = (given: string) =>
    callApi(d, 'checkin:registerWalkIn', { stopId: stop.id, familyName: 'Park', givenName: given, email: `${given}@example.edu`, careerStage: 'student', fields: [], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' });
  const a = await walkIn('Ara');
  const b = await walkIn('Bora');
  await callApi(d, 'booths:book', { boothId: bk.id, slotStart: '2026-10-19T19:30:00.000Z', registrationId: a.registrationId });
  await callApi(d, 'booths:book', { boothId: bg.id, slotStart: '2026-10-19T18:00:00.000Z', registrationId: b.registrationId });
  await callApi(d, 'session:upsert', { stopId: stop.id, kind: 'ir_round', title: 'IR on site', startTime: '16:00', endTime: '17:00', room: 'B' });
  await callApi(d, 'booths:setPlan', { boothId: bk.id, ...plan, endTime: '14:00' });

  // Meanwhile HQ renames an institution, cancels the talk, removes GIST's booth, re-plans the person.
  await callApi(h, 'institution:upsert', { ...kaist, name: 'KAIST (Daejeon)' });
  await callApi(h, 'session:upsert', { ...talk, cancelled: true });
  await callApi(h, 'booth:remove', { boothId: bg.id });
  await callApi(h, 'staff:plan', { staffId: planned.staff.id, name: 'Jung Hana', role: 'booth_staff', institutionId: kaist.id, stopIds: [], issueSetupCode: true });
  await callApi(h, 'tour:upsert', { ...tour, startDate: '2026-10-01', endDate: '2026-11-30' });
  await callApi(h, 'stop:upsert', { ...stop, venue: 'Hyatt Regency' });
  history = [...own(hq), ...own(desk)];
  hq.close();
  desk.close();
});

const replicas: Store[] = [];
afterAll(() => replicas.forEach((s) => s.close()));

async function fold(order: readonly EventEnvelope[], chunk: number) {
  const s = openStore(':memory:', { deviceId: 'replica' });
  for (let i = 0; i < order.length; i += chunk) s.events.ingest(order.slice(i, i + chunk));
  const conflicts = (await callApi(createTestContext(s), 'booths:schedule', { stopId })).conflicts;
  const out = { hash: s.events.projectionHash(), conflicts, sessions: await callApi(createTestContext(s), 'sessions:list', { stopId }) };
  s.close();
  return out;
}

describe('tour planning events converge', () => {
  it('the interleaved history gives the plan both sides meant, bookings kept as conflicts', async () => {
    const ref = await fold(history, history.length);
    expect(ref.sessions.map((x) => [x.title, x.cancelled])).toEqual([
      ['Talk', true],
      ['IR on site', false],
    ]);
    // KAIST's 14:30 booking is outside the cut hours; GIST's booking sits at a removed booth.
    expect(ref.conflicts.map((c) => c.kind)).toEqual(['off_plan', 'off_plan']);
  });

  it('any delivery order and batching gives the same tables and the same conflict list', async () => {
    const ref = await fold(history, history.length);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), fc.integer({ min: 1, max: 6 }), async (order, chunk) => {
        const got = await fold(order, chunk);
        expect(got.hash).toBe(ref.hash);
        expect(got.conflicts).toEqual(ref.conflicts);
        expect(got.sessions).toEqual(ref.sessions);
      }),
      { numRuns: 40, seed: 18 },
    );
  });
});
