import type { ProjectionFactory } from './projection';

/**
 * Issue #21. Programmes: last writer by HLC. Lead outcomes and their retractions: insert-only facts keyed by
 * the outcome id, in two tables, so a retraction that arrives first still takes its outcome back.
 */
export const programProjection: ProjectionFactory = (db) => {
  const program = db.prepare(`
    INSERT INTO programs (id, institution_id, name, name_ko, kind, places, active, hlc)
    VALUES (@id, @institutionId, @name, @nameKo, @kind, @places, @active, @hlc)
    ON CONFLICT(id) DO UPDATE SET institution_id = excluded.institution_id, name = excluded.name, name_ko = excluded.name_ko,
      kind = excluded.kind, places = excluded.places, active = excluded.active, hlc = excluded.hlc
    WHERE excluded.hlc > programs.hlc`);
  const outcome = db.prepare(`
    INSERT OR IGNORE INTO lead_outcomes (outcome_id, event_id, attendee_id, institution_id, program_id, status, occurred_on, note, recorded_by, recorded_at, hlc)
    VALUES (@outcomeId, @eventId, @attendeeId, @institutionId, @programId, @status, @occurredOn, @note, @recordedBy, @recordedAt, @hlc)`);
  const retraction = db.prepare(`
    INSERT INTO lead_outcome_retractions (outcome_id, reason, retracted_by, retracted_at, hlc)
    VALUES (@outcomeId, @reason, @retractedBy, @retractedAt, @hlc)
    ON CONFLICT(outcome_id) DO UPDATE SET reason = excluded.reason, retracted_by = excluded.retracted_by,
      retracted_at = excluded.retracted_at, hlc = excluded.hlc
    WHERE excluded.hlc < lead_outcome_retractions.hlc`);
  return {
    tables: [
      { name: 'programs', orderBy: 'id' },
      { name: 'lead_outcomes', orderBy: 'outcome_id' },
      { name: 'lead_outcome_retractions', orderBy: 'outcome_id' },
    ],
    handlers: {
      program_upserted: (e) => void program.run({ ...e.payload, active: e.payload.active ? 1 : 0, hlc: e.hlc }),
      lead_outcome_recorded: (e) =>
        void outcome.run({ ...e.payload, eventId: e.eventId, recordedBy: e.actorId ?? '', recordedAt: e.recordedAt, hlc: e.hlc }),
      // Two retractions of one outcome: the first by HLC is the one the history shows (order independent).
      lead_outcome_retracted: (e) =>
        void retraction.run({ ...e.payload, retractedBy: e.actorId ?? '', retractedAt: e.recordedAt, hlc: e.hlc }),
    },
  };
};
