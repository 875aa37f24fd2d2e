import type { Migration } from './migration';

/**
 * Attendee corrections (issue #19): each correction or resolution is an insert-only fact (who, desk,
 * before/after per field, the corrections it was made on); `attendee_correction_state` is derived
 * from the whole set of a person's corrections (heads, conflicting fields), so delivery order does
 * not matter. The corrected values themselves live in `attendees` (per-field last-writer-wins).
 */
export const migration0740: Migration = {
  version: 740,
  name: 'attendee-corrections',
  up(db) {
    db.exec(`
      CREATE TABLE attendee_corrections (
        event_id TEXT PRIMARY KEY,
        attendee_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        base_ids TEXT NOT NULL,
        changes TEXT NOT NULL,
        desk TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attendee_corrections_attendee ON attendee_corrections(attendee_id, hlc);
      CREATE TABLE attendee_correction_state (
        attendee_id TEXT PRIMARY KEY,
        head_ids TEXT NOT NULL,
        conflict INTEGER NOT NULL,
        conflicts TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attendee_correction_state_conflict ON attendee_correction_state(conflict) WHERE conflict = 1;
    `);
  },
};
