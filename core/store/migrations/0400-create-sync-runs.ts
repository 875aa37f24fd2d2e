import type { Migration } from './migration';

export const migration0400: Migration = {
  version: 400,
  name: 'create-sync-runs',
  up(db) {
    db.exec(`
      -- One row per sync attempt with HQ: the Sync screen's "last successful sync" and the
      -- reason of the last failure. Cursors (hq_acked_seq, hq_pull_cursor) live in settings and are
      -- written in the same transaction as the events they cover.
      CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        ok INTEGER,
        sent INTEGER NOT NULL DEFAULT 0,
        received INTEGER NOT NULL DEFAULT 0,
        conflicts INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        error_details TEXT
      ) STRICT;
      CREATE INDEX sync_runs_ok ON sync_runs(ok, id);
    `);
  },
};
