import type { Migration } from './migration';

export const migration0500: Migration = {
  version: 500,
  name: 'create-security',
  up(db) {
    db.exec(`
      -- Staff who may sign in at a desk. Profile and PIN are separate last-writer-wins registers.
      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        institution_id TEXT,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE TABLE staff_pins (
        staff_id TEXT PRIMARY KEY,
        pin_hash TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      -- Insert-only facts: deactivation is final whatever order events arrive in.
      CREATE TABLE staff_deactivations (
        event_id TEXT PRIMARY KEY,
        staff_id TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX staff_deactivations_staff ON staff_deactivations(staff_id);
      -- Record of a stop's personal data removed from a laptop (a fact; removes nothing itself).
      CREATE TABLE stop_purges (
        event_id TEXT PRIMARY KEY,
        stop_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor_id TEXT,
        event_count INTEGER NOT NULL,
        digest TEXT NOT NULL,
        attendees_purged INTEGER NOT NULL,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
