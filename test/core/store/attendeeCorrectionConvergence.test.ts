import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { callApi } from '../../helpers/callApi';
import { createTestContext } from '../../helpers/testStore';

/**
 * Issue #19: corrections of a person's details from three laptops (two desks offline at once, HQ's
 * re-import in between) fold into the same attendee row, the same history and the same conflict
 * flag whatever order and batching they arrive in — also a correction that arrives before the
 * registration it corrects.
 */
const T0 = Date.parse('2026-10-19T14:00:00Z');
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const laptop = (deviceId: string, startMs: number): Store => {
  let t = startMs;
  return openStore(':memory:', { deviceId, now: () => (t += 1000) });
};
const P1 = 'att-1';
const P2 = 'att-2';

let history: EventEnvelope[];
/** The events up to both desks' clash, before anyone resolved it. */
let beforeResolution: EventEnvelope[];

beforeAll(async () => {
  const hq = laptop('hq', T0);
  hq.events.append('attendee_registered', { attendeeId: P1, familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'mj@example.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] });
  hq.events.append('attendee_registered', { attendeeId: P2, familyName: '', givenName: '', nameKo: '박서연', email: '', affiliation: '', careerStage: 'student', fields: [] });
  const a = laptop('desk-a', T0 + 60_000);
  const b = laptop('desk-b', T0 + 120_000);
  a.events.ingest(own(hq));
  b.events.ingest(own(hq));
  const ca = createTestContext(a, { actorId: 'staff-a' });
  const cb = createTestContext(b, { actorId: 'staff-b' });
  const get = (c: typeof ca, id: string) => callApi(c, 'attendees:get', { attendeeId: id });

  // Both desks fix P1 offline: the same field differently, and one other field each.
  await callApi(ca, 'attendees:edit', { attendeeId: P1, baseCorrectionIds: [], values: { givenName: 'Min-jun', affiliation: 'MIT CSAIL' } });
  await callApi(cb, 'attendees:edit', { attendeeId: P1, baseCorrectionIds: [], values: { givenName: 'Minjoon', fields: ['ai', 'robotics'] } });
  // Desk B gives the Hangul-only P2 a Latin name, then corrects it again.
  const p2 = await callApi(cb, 'attendees:edit', { attendeeId: P2, baseCorrectionIds: [], values: { familyName: 'Park', givenName: 'Seoyun' } });
  await callApi(cb, 'attendees:edit', { attendeeId: P2, baseCorrectionIds: p2.headIds, values: { givenName: 'Seoyeon' } });
  // HQ's later re-import updates P1's email (an update, not a correction): last writer wins per field.
  hq.events.append('attendee_updated', { attendeeId: P1, email: 'minjun.kim@example.edu' });
  beforeResolution = [...own(hq), ...own(a), ...own(b)];

  a.events.ingest(own(b));
  const conflicted = await get(ca, P1);
  await callApi(ca, 'attendees:resolve', { attendeeId: P1, resolvedCorrectionIds: conflicted.headIds, values: { givenName: 'Minjun' } });
  history = [...own(hq), ...own(a), ...own(b)];
  for (const s of [hq, a, b]) s.close();
});

async function fold(order: readonly EventEnvelope[], chunk: number) {
  const s = openStore(':memory:', { deviceId: 'replica' });
  for (let i = 0; i < order.length; i += chunk) s.events.ingest(order.slice(i, i + chunk));
  const c = createTestContext(s);
  const out = {
    hash: s.events.projectionHash(),
    p1: await callApi(c, 'attendees:get', { attendeeId: P1 }),
    p2: await callApi(c, 'attendees:get', { attendeeId: P2 }),
    h1: await callApi(c, 'attendees:history', { attendeeId: P1 }),
  };
  s.close();
  return out;
}

const shuffled = (events: EventEnvelope[]) => fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length });

describe('attendee corrections converge', () => {
  it('the full history: both desks’ fixes, the resolution, HQ’s update', async () => {
    const ref = await fold(history, history.length);
    expect(ref.p1.attendee).toMatchObject({ givenName: 'Minjun', affiliation: 'MIT CSAIL', fields: ['ai', 'robotics'], email: 'minjun.kim@example.edu' });
    expect(ref.p1.conflicts).toEqual([]);
    expect(ref.p2.attendee).toMatchObject({ familyName: 'Park', givenName: 'Seoyeon', nameKo: '박서연' });
    expect(ref.h1.map((h) => h.kind)).toEqual(['resolved', 'corrected', 'corrected']);
  });

  it('before the resolution every node shows the same flagged conflict', async () => {
    const ref = await fold(beforeResolution, beforeResolution.length);
    expect(ref.p1.conflicts.map((c) => [c.field, c.versions.map((v) => v.value).sort()])).toEqual([['givenName', ['Min-jun', 'Minjoon']]]);
    await fc.assert(
      fc.asyncProperty(shuffled(beforeResolution), fc.integer({ min: 1, max: 4 }), async (order, chunk) => {
        const got = await fold(order, chunk);
        expect(got.hash).toBe(ref.hash);
        expect(got.p1).toEqual(ref.p1);
      }),
      { numRuns: 25, seed: 19 },
    );
  });

  it('any delivery order and batching gives the same tables, details, conflicts and history', async () => {
    const ref = await fold(history, history.length);
    await fc.assert(
      fc.asyncProperty(shuffled(history), fc.integer({ min: 1, max: 5 }), async (order, chunk) => {
        const got = await fold(order, chunk);
        expect(got.hash).toBe(ref.hash);
        expect(got.p1).toEqual(ref.p1);
        expect(got.p2).toEqual(ref.p2);
        expect(got.h1).toEqual(ref.h1);
      }),
      { numRuns: 40, seed: 1919 },
    );
  });
});
