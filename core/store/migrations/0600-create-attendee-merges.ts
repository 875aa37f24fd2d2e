import type { Migration } from './migration';

export const migration0600: Migration = {
  version: 600,
  name: 'create-attendee-merges',
  up(db) {
    db.exec(`
      -- Insert-only facts: every confirmed merge of two attendee records (attendee_merged).
      CREATE TABLE attendee_merges (
        event_id TEXT PRIMARY KEY,
        from_id TEXT NOT NULL,
        into_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attendee_merges_from ON attendee_merges(from_id);
      CREATE INDEX attendee_merges_into ON attendee_merges(into_id);

      -- Derived from attendee_merges alone (a pure function of the set of merges of one group):
      -- every record of a merged group with the group's canonical record. Records never merged
      -- have no row; queries read COALESCE(canonical_id, attendee id).
      CREATE TABLE attendee_canonical (
        attendee_id TEXT PRIMARY KEY,
        canonical_id TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attendee_canonical_canonical ON attendee_canonical(canonical_id);
    `);
  },
};
