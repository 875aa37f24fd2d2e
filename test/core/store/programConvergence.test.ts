import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import type { EventEnvelope } from '../../../shared/events/envelope';

/**
 * Issue #21: programmes are last-writer-wins by HLC; outcomes and retractions are insert-only facts, and a
 * retraction that arrives before its outcome still takes it back. Any delivery order gives the same tables.
 */
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const writer = (deviceId: string, startMs: number): Store => {
  let t = startMs;
  return openStore(':memory:', { deviceId, now: () => (t += 1000) });
};

function history(): EventEnvelope[] {
  const hq = writer('hq', Date.parse('2026-10-01T00:00:00Z'));
  const leads = writer('hq-leads', Date.parse('2026-10-02T00:00:00Z'));
  const admin = { actorId: 'admin' };
  hq.events.append('institution_upserted', { id: 'kaist', name: 'KAIST', shortName: 'KAIST', kind: 'university' }, admin);
  hq.events.append('program_upserted', { id: 'p1', institutionId: 'kaist', name: 'AI postdoc', kind: 'postdoc', places: 10 }, admin);
  hq.events.append('program_upserted', { id: 'p1', institutionId: 'kaist', name: 'AI postdoc (InnoCORE)', kind: 'postdoc', places: 12 }, admin);
  hq.events.append('program_upserted', { id: 'p2', institutionId: null, name: 'Brain to Korea', kind: 'fellowship', active: false }, admin);
  const a = randomUUID();
  const o1 = randomUUID();
  const o2 = randomUUID();
  leads.events.append('lead_outcome_recorded', { outcomeId: o1, attendeeId: a, institutionId: 'kaist', programId: 'p1', status: 'interview', occurredOn: '2026-10-20', note: '' }, { actorId: 'k1' });
  leads.events.append('lead_outcome_recorded', { outcomeId: o2, attendeeId: a, institutionId: 'kaist', programId: 'p1', status: 'hired', occurredOn: '2026-11-20', note: 'oops' }, { actorId: 'k1' });
  leads.events.append('lead_outcome_retracted', { outcomeId: o2, reason: 'wrong person' }, { actorId: 'k2' });
  leads.events.append('lead_outcome_retracted', { outcomeId: o2, reason: 'second thoughts' }, { actorId: 'k3' });
  const out = [...own(hq), ...own(leads)];
  hq.close();
  leads.close();
  return out;
}

function fold(order: readonly EventEnvelope[], chunk: number) {
  const s = openStore(':memory:', { deviceId: 'replica' });
  for (let i = 0; i < order.length; i += chunk) s.events.ingest(order.slice(i, i + chunk));
  const q = createProgramQueries(s.db);
  const out = { hash: s.events.projectionHash(), programs: q.list(), outcomes: q.outcomesOf('kaist', [order.find((e) => e.type === 'lead_outcome_recorded')!.payload.attendeeId as string]) };
  s.close();
  return out;
}

describe('programme and outcome projection (issue #21)', () => {
  it('gives the same tables for every delivery order', () => {
    const events = history();
    const expected = fold(events, events.length);
    expect(expected.programs.find((p) => p.id === 'p1')).toMatchObject({ name: 'AI postdoc (InnoCORE)', places: 12 });
    expect(expected.programs.find((p) => p.id === 'p2')).toMatchObject({ active: false, institutionId: null });
    expect(expected.outcomes.map((o) => [o.status, o.retracted?.reason ?? null])).toEqual([
      ['interview', null],
      ['hired', 'wrong person'],
    ]);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.integer({ min: 1, max: 4 }), (order, chunk) => {
        expect(fold(order, chunk)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
