import type { Db } from '../sqlite';

/**
 * Tour-wide figures for HQ and a stop's closing report. People are counted by their canonical
 * record (attendee_canonical, from attendee_merged): one person registered in two cities, or twice
 * at one stop, is one person.
 */
export interface StopFigures {
  stopId: string;
  /** Distinct people registered at the stop (pre-registered, imported or walk-in). */
  registered: number;
  /** Distinct people with a check-in that was not voided. */
  checkedIn: number;
  /** Distinct people who registered at the stop as walk-ins. */
  walkIns: number;
  /** Registered people who never checked in. */
  noShows: number;
  consultations: number;
  /** Consultations whose follow-up is open or in progress. */
  followUpsOwed: number;
  perInstitution: { institutionId: string; shortName: string; consultations: number; people: number; followUpsOwed: number }[];
  /** Checked-in people by career stage, and by research field (one person may name several fields). */
  byCareerStage: Record<string, number>;
  byField: Record<string, number>;
}

export interface TourFigures {
  people: number;
  checkedIn: number;
  /** People registered at two or more stops. */
  multiStop: number;
  mergedRecords: number;
}

const PERSON = 'COALESCE(ac.canonical_id, r.attendee_id)';
const LIVE_CHECK_IN = `EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id
  AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))`;
const REGS = 'registrations r LEFT JOIN attendee_canonical ac ON ac.attendee_id = r.attendee_id';

export function createTourQueries(db: Db) {
  const counts = db.prepare<[string], { registered: number; checked_in: number; walk_ins: number }>(`
    SELECT COUNT(DISTINCT ${PERSON}) AS registered,
           COUNT(DISTINCT CASE WHEN ${LIVE_CHECK_IN} THEN ${PERSON} END) AS checked_in,
           COUNT(DISTINCT CASE WHEN r.source = 'walk_in' THEN ${PERSON} END) AS walk_ins
    FROM ${REGS} WHERE r.stop_id = ?`);
  const checkedInPeople = db.prepare<[string], { person: string; career_stage: string | null; fields: string | null }>(`
    SELECT p.person, a.career_stage, a.fields FROM
      (SELECT DISTINCT ${PERSON} AS person FROM ${REGS} WHERE r.stop_id = ? AND ${LIVE_CHECK_IN}) p
    LEFT JOIN attendees a ON a.id = p.person`);
  const perInstitution = db.prepare<[string], { institution_id: string; short_name: string | null; consultations: number; people: number; owed: number }>(`
    SELECT c.institution_id, i.short_name, COUNT(*) AS consultations,
           COUNT(DISTINCT COALESCE(ac.canonical_id, c.attendee_id, 'anon:' || c.id)) AS people,
           SUM(cur.follow_up_status IN ('open', 'in_progress')) AS owed
    FROM consultations c
    LEFT JOIN consultation_current cur ON cur.consultation_id = c.id
    LEFT JOIN attendee_canonical ac ON ac.attendee_id = c.attendee_id
    LEFT JOIN institutions i ON i.id = c.institution_id
    WHERE c.stop_id = ? GROUP BY c.institution_id ORDER BY COALESCE(i.short_name, c.institution_id)`);
  const tour = db.prepare<[], { people: number; checked_in: number }>(`
    SELECT COUNT(DISTINCT ${PERSON}) AS people, COUNT(DISTINCT CASE WHEN ${LIVE_CHECK_IN} THEN ${PERSON} END) AS checked_in FROM ${REGS}`);
  const multiStop = db.prepare<[], { n: number }>(`
    SELECT COUNT(*) AS n FROM (SELECT ${PERSON} AS person FROM ${REGS} GROUP BY person HAVING COUNT(DISTINCT r.stop_id) >= 2)`);
  const merged = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM attendee_canonical WHERE attendee_id <> canonical_id');
  const canonicalOf = db.prepare<[string], { canonical_id: string }>('SELECT canonical_id FROM attendee_canonical WHERE attendee_id = ?');

  return {
    stopFigures(stopId: string): StopFigures {
      const c = counts.get(stopId)!;
      const byCareerStage: Record<string, number> = {};
      const byField: Record<string, number> = {};
      for (const p of checkedInPeople.all(stopId)) {
        const stage = p.career_stage ?? 'other';
        byCareerStage[stage] = (byCareerStage[stage] ?? 0) + 1;
        for (const f of p.fields ? (JSON.parse(p.fields) as string[]) : []) byField[f] = (byField[f] ?? 0) + 1;
      }
      const inst = perInstitution.all(stopId).map((r) => ({
        institutionId: r.institution_id,
        shortName: r.short_name ?? r.institution_id,
        consultations: r.consultations,
        people: r.people,
        followUpsOwed: r.owed ?? 0,
      }));
      return {
        stopId,
        registered: c.registered,
        checkedIn: c.checked_in,
        walkIns: c.walk_ins,
        noShows: c.registered - c.checked_in,
        consultations: inst.reduce((s, i) => s + i.consultations, 0),
        followUpsOwed: inst.reduce((s, i) => s + i.followUpsOwed, 0),
        perInstitution: inst,
        byCareerStage,
        byField,
      };
    },
    tourFigures(): TourFigures {
      const t = tour.get()!;
      return { people: t.people, checkedIn: t.checked_in, multiStop: multiStop.get()!.n, mergedRecords: merged.get()!.n };
    },
    canonicalOf: (attendeeId: string): string => canonicalOf.get(attendeeId)?.canonical_id ?? attendeeId,
  };
}
export type TourQueries = ReturnType<typeof createTourQueries>;
