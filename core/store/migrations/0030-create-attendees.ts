import type { Migration } from './migration';

export const migration0030: Migration = {
  version: 30,
  name: 'create-attendees',
  up(db) {
    db.exec(`
      -- One row per person across the tour. field_hlcs holds the HLC of the last write of each
      -- field, so per-field last-writer-wins is order independent.
      CREATE TABLE attendees (
        id TEXT PRIMARY KEY,
        family_name TEXT NOT NULL,
        given_name TEXT NOT NULL,
        name_ko TEXT NOT NULL,
        email TEXT NOT NULL,
        affiliation TEXT NOT NULL,
        career_stage TEXT NOT NULL,
        fields TEXT NOT NULL,
        field_hlcs TEXT NOT NULL,
        created_hlc TEXT NOT NULL,
        -- Normalised text the search reads (names in both scripts, email, affiliation).
        search_text TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attendees_email ON attendees(email) WHERE email <> '';

      CREATE TABLE registrations (
        id TEXT PRIMARY KEY,
        attendee_id TEXT NOT NULL,
        stop_id TEXT NOT NULL,
        source TEXT NOT NULL,
        scan_token TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX registrations_stop ON registrations(stop_id);
      CREATE INDEX registrations_attendee ON registrations(attendee_id);
      -- Not UNIQUE: two offline desks could mint the same token; sync shows it rather than failing.
      CREATE INDEX registrations_token ON registrations(scan_token);

      -- Every check-in event is kept; the effective one is the earliest not voided by HLC.
      CREATE TABLE check_ins (
        event_id TEXT PRIMARY KEY,
        registration_id TEXT NOT NULL,
        attendee_id TEXT NOT NULL,
        stop_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        desk TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX check_ins_registration ON check_ins(registration_id, hlc);
      CREATE INDEX check_ins_stop ON check_ins(stop_id);

      -- Voids are their own rows, so a void that arrives before its check-in still applies.
      CREATE TABLE check_in_voids (
        event_id TEXT PRIMARY KEY,
        check_in_event_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX check_in_voids_target ON check_in_voids(check_in_event_id);

      CREATE TABLE consents (
        id TEXT PRIMARY KEY,
        attendee_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        institution_id TEXT,
        text_version TEXT NOT NULL,
        given_at TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consents_attendee ON consents(attendee_id, hlc);
    `);
  },
};
