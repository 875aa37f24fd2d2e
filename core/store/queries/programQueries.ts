import type { LeadOutcomeEntry, Program } from '../../../shared/schemas/programs';
import type { OutcomeStatus, ProgramKind } from '../../../shared/vocab';
import type { Db } from '../sqlite';

interface ProgramRow {
  id: string;
  institution_id: string | null;
  name: string;
  name_ko: string;
  kind: ProgramKind;
  places: number | null;
  active: number;
}
interface OutcomeRow {
  outcome_id: string;
  attendee_id: string;
  institution_id: string;
  program_id: string | null;
  status: OutcomeStatus;
  occurred_on: string;
  note: string;
  recorded_by: string;
  recorded_at: string;
  r_by: string | null;
  r_at: string | null;
  r_reason: string | null;
}

const toProgram = (r: ProgramRow): Program => ({
  id: r.id,
  institutionId: r.institution_id,
  name: r.name,
  nameKo: r.name_ko,
  kind: r.kind,
  places: r.places,
  active: r.active === 1,
});

const toOutcome = (r: OutcomeRow): LeadOutcomeEntry => ({
  outcomeId: r.outcome_id,
  attendeeId: r.attendee_id,
  institutionId: r.institution_id,
  programId: r.program_id,
  status: r.status,
  occurredOn: r.occurred_on,
  note: r.note,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  retracted: r.r_by !== null && r.r_at !== null ? { by: r.r_by, at: r.r_at, reason: r.r_reason ?? '' } : null,
});

const OUTCOME_SELECT = `
  SELECT o.outcome_id, o.attendee_id, o.institution_id, o.program_id, o.status, o.occurred_on, o.note, o.recorded_by, o.recorded_at,
         r.retracted_by AS r_by, r.retracted_at AS r_at, r.reason AS r_reason
  FROM lead_outcomes o LEFT JOIN lead_outcome_retractions r ON r.outcome_id = o.outcome_id`;

/** Programmes and lead outcomes (issue #21). */
export function createProgramQueries(db: Db) {
  const all = db.prepare<[], ProgramRow>('SELECT * FROM programs ORDER BY institution_id IS NOT NULL, institution_id, name');
  const one = db.prepare<[string], ProgramRow>('SELECT * FROM programs WHERE id = ?');
  // An institution's own programmes and the national ones (institution_id NULL) it recruits for.
  const forInstitution = db.prepare<[string], ProgramRow>(
    'SELECT * FROM programs WHERE institution_id = ? OR institution_id IS NULL ORDER BY institution_id IS NULL, name',
  );
  const outcomesOfLead = db.prepare<[string, string], OutcomeRow>(
    `${OUTCOME_SELECT} WHERE o.institution_id = ? AND o.attendee_id = ? ORDER BY o.occurred_on, o.hlc`,
  );
  const outcomeById = db.prepare<[string], OutcomeRow>(`${OUTCOME_SELECT} WHERE o.outcome_id = ?`);
  return {
    list: (): Program[] => all.all().map(toProgram),
    get: (id: string): Program | null => {
      const r = one.get(id);
      return r ? toProgram(r) : null;
    },
    forInstitution: (institutionId: string): Program[] => forInstitution.all(institutionId).map(toProgram),
    /** A lead's outcomes at one institution, oldest first (retracted ones included and marked). */
    outcomesOf: (institutionId: string, attendeeIds: readonly string[]): LeadOutcomeEntry[] =>
      attendeeIds
        .flatMap((a) => outcomesOfLead.all(institutionId, a).map(toOutcome))
        .sort((x, y) => (x.occurredOn === y.occurredOn ? x.recordedAt.localeCompare(y.recordedAt) : x.occurredOn.localeCompare(y.occurredOn))),
    outcome: (outcomeId: string): LeadOutcomeEntry | null => {
      const r = outcomeById.get(outcomeId);
      return r ? toOutcome(r) : null;
    },
  };
}
