import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { callApi } from '../../helpers/callApi';
import { createTestContext } from '../../helpers/testStore';

/**
 * Issue #19: session check-ins and their undos are insert-only facts; which check-in counts (the
 * earliest live one) is derived when read. Two desks at two session doors, offline, checking the same
 * people in (one twice into the same session), undoing some (one with its stop check-in): any delivery
 * order and batching gives the same tables, the same counts and the same view of each person.
 */
const T0 = Date.parse('2026-10-19T14:00:00Z');
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const laptop = (deviceId: string, startMs: number): Store => {
  let t = startMs;
  return openStore(':memory:', { deviceId, now: () => (t += 1000) });
};

let history: EventEnvelope[];
let stopId: string;
let sessionIds: string[];
let registrationIds: string[];

beforeAll(async () => {
  const hq = laptop('hq', T0);
  const h = createTestContext(hq, { actorId: 'admin' });
  const tour = await callApi(h, 'tour:upsert', { name: 'Roadshow 2026', year: 2026 });
  const stop = await callApi(h, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Chicago', date: '2026-10-19', timeZone: 'America/Chicago', kind: 'joint_briefing' });
  stopId = stop.id;
  const briefing = await callApi(h, 'session:upsert', { stopId, kind: 'policy_briefing', title: 'Policy briefing', startTime: '10:00', endTime: '11:00', room: 'A', capacity: 200 });
  const ir = await callApi(h, 'session:upsert', { stopId, kind: 'ir_round', title: 'IR', startTime: '13:00', endTime: '14:00', room: 'B' });
  sessionIds = [briefing.id, ir.id];
  const people = [];
  for (const [given, stage] of [['Ara', 'postdoc'], ['Bora', 'student'], ['Chul', 'professor'], ['Dana', 'postdoc']] as const) {
    people.push(await callApi(h, 'checkin:registerWalkIn', { stopId, familyName: 'Park', givenName: given, email: `${given}@example.edu`, careerStage: stage, fields: [], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1', checkInNow: false }));
  }
  registrationIds = people.map((p) => p.registrationId);
  const [ara, bora, chul, dana] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0], (typeof people)[0]];

  // Two desks get the plan and the registrations, then work offline at two doors.
  const a = laptop('desk-a', T0 + 3_600_000);
  const b = laptop('desk-b', T0 + 3_600_500);
  a.events.ingest(own(hq));
  b.events.ingest(own(hq));
  const da = createTestContext(a, { actorId: 'desk-a-staff' });
  const db = createTestContext(b, { actorId: 'desk-b-staff' });
  await callApi(da, 'settings:update', { deskName: 'Briefing door' });
  await callApi(db, 'settings:update', { deskName: 'IR door' });
  const x = await callApi(da, 'sessions:scan', { sessionId: briefing.id, token: ara.scanToken });
  await callApi(da, 'sessions:checkIn', { sessionId: briefing.id, registrationId: bora.registrationId });
  const c = await callApi(da, 'sessions:checkIn', { sessionId: briefing.id, registrationId: chul.registrationId });
  await callApi(da, 'sessions:void', { sessionCheckInEventId: c.registration.session.checkIn!.eventId, reason: 'Wrong person', alsoStop: true });
  // Desk B checks Ara into the briefing too (a duplicate) and into the IR round; Dana at the IR door only.
  await callApi(db, 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId });
  await callApi(db, 'sessions:checkIn', { sessionId: ir.id, registrationId: ara.registrationId });
  const d = await callApi(db, 'sessions:checkIn', { sessionId: ir.id, registrationId: dana.registrationId });
  await callApi(db, 'sessions:void', { sessionCheckInEventId: d.registration.session.checkIn!.eventId, reason: 'Left at once' });
  await callApi(db, 'sessions:checkIn', { sessionId: ir.id, registrationId: dana.registrationId });
  expect(x.kind).toBe('checked_in');
  history = [...own(hq), ...own(a), ...own(b)];
  for (const s of [hq, a, b]) s.close();
});

const replicas: Store[] = [];
afterAll(() => replicas.forEach((s) => s.close()));

async function fold(order: readonly EventEnvelope[], chunk: number) {
  const s = openStore(':memory:', { deviceId: 'replica' });
  for (let i = 0; i < order.length; i += chunk) s.events.ingest(order.slice(i, i + chunk));
  const ctx = createTestContext(s);
  const counts = await callApi(ctx, 'sessions:counts', { stopId });
  const people = [];
  for (const sessionId of sessionIds) people.push(...(await callApi(ctx, 'sessions:search', { sessionId, query: 'Park', limit: 10 })).map((r) => [sessionId, r.attendee.givenName, r.checkIn?.eventId ?? null, r.session]));
  const out = { hash: s.events.projectionHash(), counts, people, stop: await callApi(ctx, 'checkin:counts', { stopId }) };
  s.close();
  return out;
}

describe('session check-in events converge', () => {
  it('the two doors’ history gives the attendance both desks meant', async () => {
    const ref = await fold(history, history.length);
    expect(ref.counts.map((c) => [c.checkedIn, c.duplicates, c.byCareerStage])).toEqual([
      [2, 1, { postdoc: 1, student: 1 }],
      [2, 0, { postdoc: 2 }],
    ]);
    // Chul's stop check-in went with his session check-in; Ara, Bora and Dana are at the stop.
    expect(ref.stop.checkedIn).toBe(3);
    expect(registrationIds).toHaveLength(4);
  });

  it('any delivery order and batching gives the same tables, counts and views', async () => {
    const ref = await fold(history, history.length);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), fc.integer({ min: 1, max: 5 }), async (order, chunk) => {
        const got = await fold(order, chunk);
        expect(got.hash).toBe(ref.hash);
        expect(got.counts).toEqual(ref.counts);
        expect(got.people).toEqual(ref.people);
        expect(got.stop).toEqual(ref.stop);
      }),
      { numRuns: 40, seed: 19 },
    );
  });
});
