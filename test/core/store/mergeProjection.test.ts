import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import { createTourQueries } from '../../../core/store/queries/tourQueries';
import type { EventEnvelope } from '../../../shared/events/envelope';
import type { AttendeeFields } from '../../../shared/schemas/attendees';

const fields = (over: Partial<AttendeeFields>): AttendeeFields => ({ familyName: '', givenName: '', nameKo: '', email: '', affiliation: '', careerStage: 'postdoc', fields: ['ai'], ...over });

/** Boston desk, Chicago desk and HQ write their own events; the same person registers in both cities. */
function tourHistory(): EventEnvelope[] {
  let t = 1_760_000_000_000;
  const boston = openStore(':memory:', { deviceId: 'desk-boston', now: () => (t += 1000) });
  const chicago = openStore(':memory:', { deviceId: 'desk-chicago', now: () => (t += 1000) });
  const hq = openStore(':memory:', { deviceId: 'hq', now: () => (t += 1000) });
  const stop = (s: Store, id: string) => s.events.append('stop_upserted', { id, tourId: 't', round: '1', city: id, cityKo: id, venue: 'v', campus: '', date: '2025-10-20', timeZone: 'America/New_York', kind: 'joint_briefing' });
  stop(hq, 'boston');
  stop(hq, 'chicago');
  const reg = (s: Store, stopId: string, a: string, f: Partial<AttendeeFields>, source: 'preregistered' | 'walk_in', checkIn: boolean) => {
    s.events.append('attendee_registered', { attendeeId: a, ...fields(f) });
    s.events.append('registration_created', { registrationId: `r-${a}-${stopId}`, attendeeId: a, stopId, source, scanToken: `tok-${a}-${stopId}` });
    if (checkIn) s.events.append('checked_in', { registrationId: `r-${a}-${stopId}`, attendeeId: a, stopId, desk: 'A' });
  };
  reg(boston, 'boston', 'p1', { familyName: 'Kim', givenName: 'Minjun', email: 'mk@mit.edu', affiliation: 'MIT' }, 'preregistered', true);
  reg(boston, 'boston', 'p2', { familyName: 'Lee', givenName: 'Sora', affiliation: 'Harvard', careerStage: 'student' }, 'preregistered', false);
  reg(chicago, 'chicago', 'p1b', { familyName: 'Kim', givenName: 'Min-jun', email: 'MK@mit.edu', affiliation: 'MIT' }, 'walk_in', true);
  reg(chicago, 'chicago', 'p1c', { nameKo: '김민준', familyName: 'Kim', givenName: 'Minjun', affiliation: 'MIT' }, 'walk_in', true);
  // HQ: a chain p1c → p1b → p1, written in that order (so the chain's end arrives last).
  hq.events.append('attendee_merged', { fromAttendeeId: 'p1c', intoAttendeeId: 'p1b', reason: 'latin_name_affiliation' });
  hq.events.append('attendee_merged', { fromAttendeeId: 'p1b', intoAttendeeId: 'p1', reason: 'email' });
  const all = [boston, chicago, hq].flatMap((s) => s.events.eventsOfDevice(s.deviceId, 0, 1000));
  for (const s of [boston, chicago, hq]) s.close();
  return all;
}

const history = tourHistory();

describe('attendee_merged projection', () => {
  it('resolves a chain to one canonical record and counts the person once per stop and tour-wide', () => {
    const store = openStore(':memory:', { deviceId: 'replica' });
    store.events.ingest(history);
    const q = createTourQueries(store.db);
    expect(q.canonicalOf('p1c')).toBe('p1');
    expect(q.canonicalOf('p1b')).toBe('p1');
    expect(q.canonicalOf('p2')).toBe('p2');
    const chicago = q.stopFigures('chicago');
    // Two walk-in records at Chicago are one person.
    expect(chicago).toMatchObject({ registered: 1, checkedIn: 1, walkIns: 1, noShows: 0 });
    expect(q.stopFigures('boston')).toMatchObject({ registered: 2, checkedIn: 1, noShows: 1, byCareerStage: { postdoc: 1 }, byField: { ai: 1 } });
    expect(q.tourFigures()).toEqual({ people: 2, checkedIn: 1, multiStop: 1, mergedRecords: 2 });
    store.close();
  });

  it('merges arriving before the attendee rows give the same tables', () => {
    const merges = history.filter((e) => e.type === 'attendee_merged');
    const rest = history.filter((e) => e.type !== 'attendee_merged');
    const a = openStore(':memory:', { deviceId: 'r1' });
    a.events.ingest([...merges].reverse());
    a.events.ingest(rest);
    const b = openStore(':memory:', { deviceId: 'r2' });
    b.events.ingest(history);
    expect(a.events.projectionHash()).toBe(b.events.projectionHash());
    expect(createTourQueries(a.db).stopFigures('chicago').registered).toBe(1);
  });

  it('converges for any delivery order (same projectionHash)', () => {
    const ref = openStore(':memory:', { deviceId: 'ref' });
    ref.events.ingest(history);
    const expected = ref.events.projectionHash();
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), fc.integer({ min: 1, max: 5 }), (order, chunk) => {
        const s = openStore(':memory:', { deviceId: 'replica' });
        for (let i = 0; i < order.length; i += chunk) s.events.ingest(order.slice(i, i + chunk));
        const h = s.events.projectionHash();
        s.close();
        return h === expected;
      }),
      { numRuns: 40, seed: 8 },
    );
  });

  it('refuses a record merged into itself and writes nothing', () => {
    const store = openStore(':memory:', { deviceId: 'hq' });
    expect(() => store.events.append('attendee_merged', { fromAttendeeId: 'a', intoAttendeeId: 'a', reason: '' })).toThrow(/merged into itself/);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(0);
  });
});
