import type { Migration } from './migration';

/**
 * Session check-in (issue #19): who came into which session of a stop's programme. Insert-only facts
 * like `check_ins` / `check_in_voids`: every check-in is kept (the earliest not voided by HLC counts,
 * later ones are duplicates) and a void is its own row, so a void that arrives before its check-in
 * still applies. `stop_id` and `attendee_id` let the stop's purge find the rows like the stop's check-ins.
 */
export const migration0730: Migration = {
  version: 730,
  name: 'session-check-ins',
  up(db) {
    db.exec(`
      CREATE TABLE session_check_ins (
        event_id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        registration_id TEXT NOT NULL,
        attendee_id TEXT NOT NULL,
        stop_id TEXT NOT NULL,
        stop_check_in_event_id TEXT,
        device_id TEXT NOT NULL,
        desk TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX session_check_ins_session ON session_check_ins(session_id, registration_id, hlc);
      CREATE INDEX session_check_ins_registration ON session_check_ins(registration_id, hlc);
      CREATE INDEX session_check_ins_stop ON session_check_ins(stop_id);

      CREATE TABLE session_check_in_voids (
        event_id TEXT PRIMARY KEY,
        session_check_in_event_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        desk TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX session_check_in_voids_target ON session_check_in_voids(session_check_in_event_id);
    `);
  },
};
