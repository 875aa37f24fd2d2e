import type { Migration } from './migration';

/**
 * Fewer pages per check-in (issue #20). Every index of a table is one more B-tree page to change,
 * encrypt and write to the WAL on each insert: a lone check-in wrote ~14 WAL pages, three of them for
 * indexes no frequent read needs.
 * - `events_type`: every read by type also bounds `local_seq` (the search cache's "what changed since"),
 *   which the `events_local_seq` range answers; nothing reads the log by type alone.
 * - `events_stop`: read only by a stop's purge and the stop-close check, both rare and both scans of
 *   the log's leaf pages now (the columns sit before the payload: no overflow page is read).
 * - `check_ins_stop`: the double check-in derivation starts from the registrations checked in more than
 *   once (`check_ins_registration`, covering) instead (core/store/queries/conflictQueries.ts).
 * HQ's log dropped the first two the same way (hq/server/sqliteStorage.ts, schema 3).
 */
export const migration0900: Migration = {
  version: 900,
  name: 'lean-write-indexes',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS events_type;
      DROP INDEX IF EXISTS events_stop;
      DROP INDEX IF EXISTS check_ins_stop;`);
  },
};
