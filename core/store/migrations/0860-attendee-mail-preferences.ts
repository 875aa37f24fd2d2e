import type { Migration } from './migration';

/**
 * Attendee messages (issue #21): unsubscribes as insert-only facts (one row per event: a person is
 * unsubscribed once any of them exists), and each person's message language (last writer by HLC).
 */
export const migration0860: Migration = {
  version: 860,
  name: 'attendee-mail-preferences',
  up(db) {
    db.exec(`
      CREATE TABLE attendee_unsubscribes (
        event_id TEXT PRIMARY KEY,
        attendee_id TEXT NOT NULL,
        stop_id TEXT,
        via TEXT NOT NULL,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attendee_unsubscribes_attendee ON attendee_unsubscribes(attendee_id);

      CREATE TABLE attendee_languages (
        attendee_id TEXT PRIMARY KEY,
        language TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
    `);
  },
};
