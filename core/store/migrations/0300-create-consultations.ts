import type { Migration } from './migration';

export const migration0300: Migration = {
  version: 300,
  name: 'create-consultations',
  up(db) {
    db.exec(`
      -- The fixed facts of a consultation (who, where, with whom), from consultation_logged.
      CREATE TABLE consultations (
        id TEXT PRIMARY KEY,
        stop_id TEXT NOT NULL,
        institution_id TEXT NOT NULL,
        booth_id TEXT,
        booking_id TEXT,
        attendee_id TEXT,
        registration_id TEXT,
        visitor_label TEXT NOT NULL,
        logged_event_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consultations_stop ON consultations(stop_id, at);
      CREATE INDEX consultations_institution ON consultations(institution_id, at);
      CREATE INDEX consultations_attendee ON consultations(attendee_id);

      -- Every revision is an insert-only fact: the logged one, each edit, each resolution.
      CREATE TABLE consultation_revisions (
        event_id TEXT PRIMARY KEY,
        consultation_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        base_ids TEXT NOT NULL,
        editor TEXT NOT NULL,
        content TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consultation_revisions_consultation ON consultation_revisions(consultation_id, hlc);

      -- Derived per consultation from its revisions (a pure function of that set): the current
      -- content, the heads and the conflict flag, with columns the list filters on.
      CREATE TABLE consultation_current (
        consultation_id TEXT PRIMARY KEY,
        current_revision_id TEXT NOT NULL,
        head_ids TEXT NOT NULL,
        conflict INTEGER NOT NULL,
        revision_count INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        interest_level TEXT NOT NULL,
        follow_up_status TEXT NOT NULL,
        fields TEXT NOT NULL,
        other_fields TEXT NOT NULL,
        programs TEXT NOT NULL,
        notes_search TEXT NOT NULL,
        content TEXT NOT NULL
      ) STRICT;
      CREATE INDEX consultation_current_status ON consultation_current(follow_up_status);
    `);
  },
};
