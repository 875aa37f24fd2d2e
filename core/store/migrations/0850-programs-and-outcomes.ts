import type { Migration } from './migration';

/**
 * Issue #21: programmes as master data (last writer by HLC), and lead outcomes as insert-only facts with their
 * retractions kept apart (a retraction may arrive before the outcome it takes back).
 */
export const migration0850: Migration = {
  version: 850,
  name: 'programs-and-outcomes',
  up(db) {
    db.exec(`
      CREATE TABLE programs (
        id TEXT PRIMARY KEY,
        institution_id TEXT,
        name TEXT NOT NULL,
        name_ko TEXT NOT NULL,
        kind TEXT NOT NULL,
        places INTEGER,
        active INTEGER NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX programs_institution ON programs(institution_id);
      CREATE TABLE lead_outcomes (
        outcome_id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        attendee_id TEXT NOT NULL,
        institution_id TEXT NOT NULL,
        program_id TEXT,
        status TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        note TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX lead_outcomes_lead ON lead_outcomes(institution_id, attendee_id);
      CREATE TABLE lead_outcome_retractions (
        outcome_id TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        retracted_by TEXT NOT NULL,
        retracted_at TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
    `);
  },
};
