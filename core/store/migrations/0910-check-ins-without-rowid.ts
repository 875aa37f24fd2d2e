import type { Migration } from './migration';

/**
 * One B-tree fewer written by each check-in (issue #20). `check_ins` was a rowid table with its
 * `event_id` key in an index of its own: a check-in changed three B-trees (the rows, the key index,
 * `check_ins_registration`), so three pages to encrypt and write to the WAL. As a WITHOUT ROWID table
 * keyed by `event_id` the rows are the key's B-tree: two pages. `event_id` is a UUIDv7 (time ordered),
 * so a desk's new rows land at the right edge of that B-tree as they did in the rowid table.
 * Same columns in the same order, same index: every read (by registration, by event id, the
 * convergence hash ordered by event id) gives the same rows.
 */
export const migration0910: Migration = {
  version: 910,
  name: 'check-ins-without-rowid',
  up(db) {
    db.exec(`
      CREATE TABLE check_ins_new (
        event_id TEXT PRIMARY KEY,
        registration_id TEXT NOT NULL,
        attendee_id TEXT NOT NULL,
        stop_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        desk TEXT NOT NULL,
        actor_id TEXT,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO check_ins_new (event_id, registration_id, attendee_id, stop_id, device_id, desk, actor_id, hlc, at)
        SELECT event_id, registration_id, attendee_id, stop_id, device_id, desk, actor_id, hlc, at FROM check_ins ORDER BY event_id;
      DROP TABLE check_ins;
      ALTER TABLE check_ins_new RENAME TO check_ins;
      CREATE INDEX check_ins_registration ON check_ins(registration_id, hlc);`);
  },
};
