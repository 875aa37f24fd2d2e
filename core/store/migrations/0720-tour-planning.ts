import type { Migration } from './migration';

/**
 * Tour planning (issue #18): a tour's dates, an institution's programmes and follow-up contact, a booth
 * taken off the floor plan (a flag: its bookings stay), the sessions of a stop, the stops a staff member
 * works, and the hash of a planned person's one-time setup code.
 */
export const migration0720: Migration = {
  version: 720,
  name: 'tour-planning',
  up(db) {
    db.exec(`
      ALTER TABLE tours ADD COLUMN start_date TEXT;
      ALTER TABLE tours ADD COLUMN end_date TEXT;
      ALTER TABLE institutions ADD COLUMN programs TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE institutions ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
      ALTER TABLE institutions ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
      ALTER TABLE booths ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE staff ADD COLUMN stop_ids TEXT NOT NULL DEFAULT '[]';
      CREATE INDEX stops_tour ON stops(tour_id, date);

      CREATE TABLE stop_sessions (
        id TEXT PRIMARY KEY,
        stop_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        title_ko TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        room TEXT NOT NULL,
        capacity INTEGER,
        cancelled INTEGER NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX stop_sessions_stop ON stop_sessions(stop_id, start_time);

      CREATE TABLE staff_setup_codes (
        staff_id TEXT PRIMARY KEY,
        code_hash TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
    `);
  },
};
