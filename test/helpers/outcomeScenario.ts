import { rmSync } from 'node:fs';
import { HqActions } from '../../hq/server/admin/hqActions';
import { LeadOutcomes, type OutcomeInput } from '../../hq/server/leads/leadOutcomes';
import type { DashboardHq } from './tourScenario';
import { tempDir } from './testStore';

const content = (over: Record<string, unknown> = {}) => ({
  staffName: 'Dr. Choi',
  fields: ['ai'],
  otherFields: [],
  careerStage: 'postdoc',
  programs: [],
  interestLevel: 'high',
  preferredStart: '',
  followUpAction: '',
  followUpOwner: '',
  followUpDue: '',
  followUpStatus: 'none',
  notes: '',
  ...over,
});

export interface OutcomeTour {
  leads: LeadOutcomes;
  programs: { kaistAi: string; brainToKorea: string; unistFellow: string };
  /** The retracted outcome (UNIST "hired" Ben by mistake). */
  retracted: string;
  close(): void;
}

/**
 * A small tour written by hand at HQ for the outcome dashboard (issue #21), every figure of which is worked out
 * in test/hq/dashboard/outcomeDashboard.test.ts. Tour 2026: Boston (KAIST, UNIST booths) and Chicago (KAIST,
 * POSTECH; UNIST's booth removed); tour 2025: Toronto (KAIST).
 *
 * - Ana (postdoc): Boston, checked in; KAIST consultation (InnoCORE on the form, follow-up open); KAIST outcomes
 *   contacted → applied → hired for the KAIST AI postdoc. Also registered (same record) in Toronto 2025, checked in.
 * - Ben (student): two records merged (Boston, checked in; Chicago as "other", checked in); UNIST consultation in
 *   Boston (Brain to Korea on the form, follow-up done), POSTECH consultation in Chicago; POSTECH interview;
 *   UNIST contacted (Brain to Korea) and a UNIST "hired" that was retracted.
 * - Cho (professor): Boston, never checked in.
 * - Dan (postdoc): Chicago, his check-in voided.
 * - Eve (researcher): Chicago, checked in; KAIST consultation (InnoCORE and faculty, follow-up done); KAIST offer
 *   for the AI postdoc; then she withdrew her consent (HQ statistics only).
 * - Fay (student): one record registered in Boston and Chicago, checked in at both; KAIST consultation in Boston.
 * - Gus (industry): Chicago, checked in; KAIST recorded "declined" without a consultation.
 * - Han (postdoc): Toronto 2025, checked in; KAIST consultation there, follow-up done.
 * - A visitor who never registered consulted KAIST in Boston.
 */
export async function seedOutcomeTour(hq: DashboardHq): Promise<OutcomeTour> {
  const dir = tempDir('roadshow-outcomes-');
  const actions = new HqActions(hq.store, hq.storage, dir);
  const leads = LeadOutcomes.open({ dataDir: dir, projections: hq.store, storage: hq.storage, catchUp: () => hq.projections.catchUp() });
  const ev = actions.append.bind(actions) as (type: string, payload: Record<string, unknown>, actorId: string) => Promise<void>;
  const a = (type: string, payload: Record<string, unknown>) => ev(type, payload, 'hq-admin');
  const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  await a('tour_upserted', { id: 'tour-2025', name: 'Roadshow 2025', nameKo: '로드쇼 2025', year: 2025 });
  await a('tour_upserted', { id: 'tour-2026', name: 'Roadshow 2026', nameKo: '로드쇼 2026', year: 2026 });
  await a('stop_upserted', { id: 'stop-toronto', tourId: 'tour-2025', round: '3', city: 'Toronto', cityKo: '토론토', venue: 'U of T', campus: '', date: '2025-11-01', timeZone: 'America/Toronto', kind: 'joint_briefing' });
  await a('stop_upserted', { id: 'stop-boston', tourId: 'tour-2026', round: '1', city: 'Boston', cityKo: '보스턴', venue: 'MIT', campus: '', date: '2026-10-20', timeZone: 'America/New_York', kind: 'joint_briefing' });
  await a('stop_upserted', { id: 'stop-chicago', tourId: 'tour-2026', round: '2', city: 'Chicago', cityKo: '시카고', venue: 'UChicago', campus: '', date: '2026-10-25', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
  for (const [id, short, name, nameKo] of [
    ['inst-kaist', 'KAIST', 'Korea Advanced Institute of Science and Technology', '한국과학기술원'],
    ['inst-unist', 'UNIST', 'Ulsan National Institute of Science and Technology', '울산과학기술원'],
    ['inst-postech', 'POSTECH', 'Pohang University of Science and Technology', '포항공과대학교'],
  ]) {
    await a('institution_upserted', { id, name, nameKo, shortName: short, kind: 'university' });
  }
  for (const [id, stopId, institutionId, removed] of [
    ['booth-bos-kaist', 'stop-boston', 'inst-kaist', false],
    ['booth-bos-unist', 'stop-boston', 'inst-unist', false],
    ['booth-chi-kaist', 'stop-chicago', 'inst-kaist', false],
    ['booth-chi-postech', 'stop-chicago', 'inst-postech', false],
    ['booth-chi-unist', 'stop-chicago', 'inst-unist', true],
    ['booth-tor-kaist', 'stop-toronto', 'inst-kaist', false],
  ] as const) {
    await a('booth_upserted', { id, stopId, institutionId, location: 'B', staff: [], removed });
  }
  const kaistAi = ok(await actions.call('program:upsert', { institutionId: 'inst-kaist', name: 'KAIST AI postdoc', nameKo: 'KAIST AI 박사후연구원', kind: 'postdoc', places: 10 }, 'hq-admin')).id;
  const brainToKorea = ok(await actions.call('program:upsert', { institutionId: null, name: 'Brain to Korea', nameKo: '브레인 투 코리아', kind: 'fellowship', places: 100 }, 'hq-admin')).id;
  const unistFellow = ok(await actions.call('program:upsert', { institutionId: 'inst-unist', name: 'UNIST fellowship', kind: 'fellowship' }, 'hq-admin')).id;

  const person = async (id: string, given: string, careerStage: string) => {
    await a('attendee_registered', { attendeeId: id, familyName: 'Test', givenName: given, email: `${id}@example.org`, affiliation: 'MIT', careerStage, fields: ['ai'] });
    await a('consent_recorded', { consentId: `consent-${id}`, attendeeId: id, scope: 'all_institutions', institutionId: null, textVersion: '2026-1' });
  };
  const register = (attendeeId: string, stopId: string) => a('registration_created', { registrationId: `reg-${attendeeId}-${stopId}`, attendeeId, stopId, source: 'preregistered', scanToken: `RS-${attendeeId}-${stopId}` });
  const checkIn = (attendeeId: string, stopId: string) => a('checked_in', { registrationId: `reg-${attendeeId}-${stopId}`, attendeeId, stopId, desk: 'Desk A' });
  let n = 0;
  const consult = (attendeeId: string | null, stopId: string, institutionId: string, over: Record<string, unknown> = {}) =>
    a('consultation_logged', {
      consultationId: `cons-${++n}`,
      stopId,
      institutionId,
      boothId: null,
      bookingId: null,
      attendeeId,
      registrationId: attendeeId ? `reg-${attendeeId}-${stopId}` : null,
      visitorLabel: attendeeId ? '' : 'Visitor at the booth',
      content: content(over),
    });
  const done = { followUpAction: 'Send the call', followUpStatus: 'done' };
  const outcome = (o: Partial<OutcomeInput> & Pick<OutcomeInput, 'attendeeId' | 'institutionId' | 'status'>) => leads.record({ programId: null, occurredOn: '2026-11-10', note: '', ...o }, 'staff-1');

  await person('ana', 'Ana', 'postdoc');
  await register('ana', 'stop-boston');
  await checkIn('ana', 'stop-boston');
  await register('ana', 'stop-toronto');
  await checkIn('ana', 'stop-toronto');
  await consult('ana', 'stop-boston', 'inst-kaist', { programs: ['innocore_postdoc'], followUpAction: 'Send InnoCORE call', followUpStatus: 'open' });

  await person('ben', 'Ben', 'student');
  await person('ben2', 'Benjamin', 'other');
  await register('ben', 'stop-boston');
  await checkIn('ben', 'stop-boston');
  await register('ben2', 'stop-chicago');
  await checkIn('ben2', 'stop-chicago');
  await a('attendee_merged', { fromAttendeeId: 'ben2', intoAttendeeId: 'ben', reason: 'same email' });
  // Ben's consultation names a programme by id (issue #21) as well as the old list's value.
  await consult('ben', 'stop-boston', 'inst-unist', { programs: ['brain_to_korea'], programIds: [unistFellow], ...done });
  await consult('ben2', 'stop-chicago', 'inst-postech');

  await person('cho', 'Cho', 'professor');
  await register('cho', 'stop-boston');

  await person('dan', 'Dan', 'postdoc');
  await register('dan', 'stop-chicago');
  await checkIn('dan', 'stop-chicago');
  const danCheckIn = hq.store.db.prepare<[string], { event_id: string }>('SELECT event_id FROM check_ins WHERE registration_id = ?').get('reg-dan-stop-chicago')!.event_id;
  await a('check_in_voided', { checkInEventId: danCheckIn, reason: 'Scanned the wrong badge' });

  await person('eve', 'Eve', 'researcher');
  await register('eve', 'stop-chicago');
  await checkIn('eve', 'stop-chicago');
  await consult('eve', 'stop-chicago', 'inst-kaist', { programs: ['innocore_postdoc', 'faculty'], ...done });

  await person('fay', 'Fay', 'student');
  await register('fay', 'stop-boston');
  await checkIn('fay', 'stop-boston');
  await register('fay', 'stop-chicago');
  await checkIn('fay', 'stop-chicago');
  await consult('fay', 'stop-boston', 'inst-kaist');

  await person('gus', 'Gus', 'industry');
  await register('gus', 'stop-chicago');
  await checkIn('gus', 'stop-chicago');

  await person('han', 'Han', 'postdoc');
  await register('han', 'stop-toronto');
  await checkIn('han', 'stop-toronto');
  await consult('han', 'stop-toronto', 'inst-kaist', done);

  await consult(null, 'stop-boston', 'inst-kaist');
  await hq.projections.catchUp();

  await outcome({ attendeeId: 'ana', institutionId: 'inst-kaist', programId: kaistAi, status: 'contacted', occurredOn: '2026-10-28' });
  await outcome({ attendeeId: 'ana', institutionId: 'inst-kaist', programId: kaistAi, status: 'applied', occurredOn: '2026-11-15' });
  await outcome({ attendeeId: 'ana', institutionId: 'inst-kaist', programId: kaistAi, status: 'hired', occurredOn: '2027-01-20' });
  // Recorded against Ben's Chicago record: counted for the merged person.
  await outcome({ attendeeId: 'ben2', institutionId: 'inst-postech', status: 'interview' });
  await outcome({ attendeeId: 'ben', institutionId: 'inst-unist', programId: brainToKorea, status: 'contacted' });
  const wrong = await outcome({ attendeeId: 'ben', institutionId: 'inst-unist', programId: brainToKorea, status: 'hired' });
  await leads.retract(wrong.outcomeId, 'inst-unist', 'Clicked the wrong person', 'staff-1');
  await outcome({ attendeeId: 'eve', institutionId: 'inst-kaist', programId: kaistAi, status: 'offer' });
  await outcome({ attendeeId: 'gus', institutionId: 'inst-kaist', status: 'declined' });
  // Eve withdraws her consent afterwards (only HQ statistics from now on).
  await a('consent_recorded', { consentId: 'consent-eve-withdrawn', attendeeId: 'eve', scope: 'hq_stats', institutionId: null, textVersion: '2026-1' });
  await hq.projections.catchUp();

  return {
    leads,
    programs: { kaistAi, brainToKorea, unistFellow },
    retracted: wrong.outcomeId,
    close() {
      leads.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
