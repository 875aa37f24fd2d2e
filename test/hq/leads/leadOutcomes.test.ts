import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import { SyncClient } from '../../../core/sync/syncClient';
import { HqActions } from '../../../hq/server/admin/hqActions';
import { LeadOutcomes } from '../../../hq/server/leads/leadOutcomes';
import { AppError } from '../../../shared/errors';
import { HQ_LEADS_DEVICE_ID } from '../../../shared/sync/hqProtocol';
import { createTestHq, type TestHq } from '../../helpers/hqHarness';
import { createLaptop } from '../../helpers/syncFixtures';
import { disposeTestStore, tempDir } from '../../helpers/testStore';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

async function seeded(): Promise<{ hq: TestHq; actions: HqActions; leads: LeadOutcomes; kaist: string; unist: string; program: string; national: string; consented: string; statsOnly: string }> {
  const hq = await createTestHq('sqlite');
  cleanups.push(() => hq.close());
  const dir = tempDir('roadshow-leads-');
  const actions = new HqActions(hq.store, hq.storage, dir);
  const leads = LeadOutcomes.open({ dataDir: dir, projections: hq.store, storage: hq.storage, catchUp: () => hq.projections.catchUp() });
  cleanups.push(() => leads.close());
  const kaist = ok(await actions.call('institution:upsert', { name: 'KAIST', shortName: 'KAIST', kind: 'university' }, 'admin')).id;
  const unist = ok(await actions.call('institution:upsert', { name: 'UNIST', shortName: 'UNIST', kind: 'university' }, 'admin')).id;
  const program = ok(await actions.call('program:upsert', { institutionId: kaist, name: 'KAIST AI postdoc', nameKo: 'KAIST AI 박사후연구원', kind: 'postdoc', places: 12 }, 'admin')).id;
  const national = ok(await actions.call('program:upsert', { institutionId: null, name: 'Brain to Korea', kind: 'fellowship' }, 'admin')).id;
  const person = async (scope: 'all_institutions' | 'hq_stats') => {
    const attendeeId = randomUUID();
    await actions.append('attendee_registered', { attendeeId, familyName: 'Kim', givenName: 'Minjun', email: `${attendeeId}@example.org` }, 'admin');
    await actions.append('consent_recorded', { consentId: randomUUID(), attendeeId, scope, institutionId: null, textVersion: '2026-1' }, 'admin');
    return attendeeId;
  };
  return { hq, actions, leads, kaist, unist, program, national, consented: await person('all_institutions'), statsOnly: await person('hq_stats') };
}

describe('lead outcomes at HQ (issue #21)', () => {
  it('keeps every outcome as an event with its history, takes one back, and checks consent, institution and programme', async () => {
    const s = await seeded();
    const first = await s.leads.record({ attendeeId: s.consented, institutionId: s.kaist, programId: s.program, status: 'contacted', occurredOn: '2026-10-21', note: 'Sent the call' }, 'kaist-staff-1');
    await s.leads.record({ attendeeId: s.consented, institutionId: s.kaist, programId: s.national, status: 'interview', occurredOn: '2026-11-03', note: '' }, 'kaist-staff-1');
    const wrong = await s.leads.record({ attendeeId: s.consented, institutionId: s.kaist, programId: s.program, status: 'hired', occurredOn: '2026-11-04', note: 'clicked the wrong one' }, 'kaist-staff-2');
    await s.leads.retract(wrong.outcomeId, s.kaist, 'Recorded by mistake', 'kaist-staff-2');
    // Another institution can neither see nor take back KAIST's outcome.
    await expect(s.leads.retract(first.outcomeId, s.unist, 'not ours', 'unist-staff')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await s.hq.projections.catchUp();

    const history = s.leads.history(s.kaist, s.consented);
    expect(history.map((h) => [h.status, h.occurredOn, h.recordedBy, h.retracted?.reason ?? null])).toEqual([
      ['contacted', '2026-10-21', 'kaist-staff-1', null],
      ['interview', '2026-11-03', 'kaist-staff-1', null],
      ['hired', '2026-11-04', 'kaist-staff-2', 'Recorded by mistake'],
    ]);
    expect(s.leads.history(s.unist, s.consented)).toEqual([]);

    const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AppError ? e.code : String(e)));
    expect(await refusal(s.leads.record({ attendeeId: s.statsOnly, institutionId: s.kaist, programId: null, status: 'contacted', occurredOn: '2026-10-21', note: '' }, 'x'))).toBe('CONSENT_REQUIRED');
    // KAIST's programme is not UNIST's; the national one is everyone's.
    expect(await refusal(s.leads.record({ attendeeId: s.consented, institutionId: s.unist, programId: s.program, status: 'contacted', occurredOn: '2026-10-21', note: '' }, 'x'))).toBe('VALIDATION');
    expect(await refusal(s.leads.record({ attendeeId: s.consented, institutionId: s.unist, programId: s.national, status: 'contacted', occurredOn: '2026-10-21', note: '' }, 'x'))).toBeNull();
    expect(await refusal(s.leads.record({ attendeeId: randomUUID(), institutionId: s.kaist, programId: null, status: 'contacted', occurredOn: '2026-10-21', note: '' }, 'x'))).toBe('NOT_FOUND');

    // A consent withdrawn later (narrowed to HQ statistics) ends the lead: no new outcome.
    await s.actions.append('consent_recorded', { consentId: randomUUID(), attendeeId: s.consented, scope: 'hq_stats', institutionId: null, textVersion: '2026-1' }, 'admin');
    expect(s.leads.consentAllows(s.consented, s.kaist)).toBe(false);
    expect(await refusal(s.leads.record({ attendeeId: s.consented, institutionId: s.kaist, programId: null, status: 'offer', occurredOn: '2026-11-10', note: '' }, 'x'))).toBe('CONSENT_REQUIRED');
  });

  it('never hands outcomes to a desk, while programmes reach it like other master data', async () => {
    const s = await seeded();
    await s.leads.record({ attendeeId: s.consented, institutionId: s.kaist, programId: s.program, status: 'interview', occurredOn: '2026-11-03', note: 'Strong candidate' }, 'kaist-staff-1');
    expect((await s.hq.storage.digest(HQ_LEADS_DEVICE_ID))[0]?.count).toBe(1);

    const desk = createLaptop('desk-leads-1');
    cleanups.push(() => disposeTestStore(desk));
    await new SyncClient(desk, s.hq.transport, await s.hq.enroll('desk-leads-1')).sync();
    const q = createProgramQueries(desk.db);
    expect(q.list().map((p) => p.name).sort()).toEqual(['Brain to Korea', 'KAIST AI postdoc']);
    expect(desk.db.prepare('SELECT COUNT(*) AS n FROM lead_outcomes').get()).toEqual({ n: 0 });
    expect(desk.db.prepare('SELECT COUNT(*) AS n FROM events WHERE device_id = ?').get(HQ_LEADS_DEVICE_ID)).toEqual({ n: 0 });
    // …and nobody may enroll or push as HQ's lead device.
    await expect(s.hq.enroll(HQ_LEADS_DEVICE_ID)).rejects.toThrow();
  });

  it('stores an outcome recorded before a crash in the log at the next start', async () => {
    const s = await seeded();
    const dir = tempDir('roadshow-leads-crash-');
    const first = LeadOutcomes.open({ dataDir: dir, projections: s.hq.store, storage: s.hq.storage });
    // Written to the lead store, then "killed" before it reached the log.
    const leadsStore = (first as unknown as { leads: import('../../../core/store/openStore').Store }).leads;
    leadsStore.events.append('lead_outcome_recorded', { outcomeId: randomUUID(), attendeeId: s.consented, institutionId: s.kaist, programId: null, status: 'applied', occurredOn: '2026-11-20', note: '' }, { actorId: 'kaist-staff-1' });
    first.close();
    const again = LeadOutcomes.open({ dataDir: dir, projections: s.hq.store, storage: s.hq.storage });
    cleanups.push(() => again.close());
    // (s.leads wrote none: this store's device is the same HQ_LEADS_DEVICE_ID, its first event is seq 1.)
    expect(await again.publish()).toBe(1);
    await s.hq.projections.catchUp();
    expect(again.history(s.kaist, s.consented).map((h) => h.status)).toEqual(['applied']);
  });
});
