import type { Migration } from './migration';

export const migration0010: Migration = {
  version: 10,
  name: 'create-event-log',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- The append-only log. Projections below are a pure function of it.
      CREATE TABLE events (
        event_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        device_seq INTEGER NOT NULL,
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        actor_id TEXT,
        stop_id TEXT,
        recorded_at TEXT NOT NULL,
        payload TEXT NOT NULL,
        -- 1 once folded into the projections; 0 for events of a newer schema or unknown type.
        projected INTEGER NOT NULL DEFAULT 1,
        -- Local arrival order: the cursor for anyone reading this log incrementally.
        local_seq INTEGER NOT NULL,
        UNIQUE (device_id, device_seq)
      ) STRICT;
      CREATE UNIQUE INDEX events_local_seq ON events(local_seq);
      CREATE INDEX events_hlc ON events(hlc);
      CREATE INDEX events_type ON events(type);
      CREATE INDEX events_stop ON events(stop_id);
    `);
  },
};
