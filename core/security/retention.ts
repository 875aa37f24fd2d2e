import { forgetSearchSnapshots } from '../store/searchCache';
import { AppError } from '../../shared/errors';
import type { PurgeResult, StopDigest } from '../../shared/ipc/securityContract';
import { backupDir, createBackup, listBackups } from '../store/backup';
import type { Store } from '../store/openStore';
import type { Db } from '../store/sqlite';
import { stopDigestOf } from '../sync/stopDigest';
import { rmSync } from 'node:fs';

/** This laptop's digest of a stop's events (see core/sync/stopDigest.ts). */
export function localStopDigest(db: Db, stopId: string): StopDigest {
  const ids = db.prepare<[string], { event_id: string }>('SELECT event_id FROM events WHERE stop_id = ?').all(stopId).map((r) => r.event_id);
  return { stopId, ...stopDigestOf(ids) };
}

/** Payload keys that tie an event to a person: such events of the stop lose everything else. */
const PERSON_KEYS = ['attendeeId', 'registrationId', 'consultationId', 'bookingId', 'checkInEventId'] as const;
/** Lists of people (an import's `rows`): dropped whole, nothing of them kept. */
const PEOPLE_LIST_KEYS = ['rows'] as const;
/** Free text that may name a person even without a person id. */
const TEXT_KEYS = ['visitorLabel', 'reason', 'content', 'notes', 'email', 'familyName', 'givenName', 'nameKo'] as const;

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** Tables that are not projections of attendee data. */
const KEEP_TABLES = new Set(['events', 'settings', 'staff', 'staff_pins', 'staff_deactivations', 'stop_purges']);

export interface PurgeOptions {
  stopId: string;
  hqConfirmation: StopDigest;
  actorId: string | null;
  dataDir: string;
}

/**
 * Removes a stop's personal data from this laptop once HQ confirmed (same event count and digest)
 * that it holds every event of the stop. In one transaction:
 * - people whose every registration is at this stop (or at stops purged before) lose their row in
 *   every projection, and every event about them keeps only its ids (payload redacted, excluded
 *   from projection rebuilds: `projected = 2`);
 * - the stop's other person-related events (check-ins, bookings, consultations) are redacted too;
 * - a `stop_personal_data_purged` event records who did it, with the digest.
 * Afterwards the old backups (which hold the data) are deleted, a fresh backup is made, and the
 * file is vacuumed so freed pages hold nothing. HQ keeps its data: the event removes nothing there.
 */
export function purgeStopPersonalData(store: Store, opts: PurgeOptions): PurgeResult {
  const { stopId, hqConfirmation } = opts;
  const db = store.db;
  const local = localStopDigest(db, stopId);
  if (hqConfirmation.stopId !== stopId || hqConfirmation.eventCount !== local.eventCount || hqConfirmation.digest !== local.digest) {
    throw new AppError('DIGEST_MISMATCH', `HQ's digest of ${stopId} does not match this laptop's`, {
      stopId,
      localCount: local.eventCount,
      hqCount: hqConfirmation.eventCount,
    });
  }
  if (!db.prepare('SELECT 1 FROM stops WHERE id = ?').get(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });

  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all()
    .map((t) => t.name)
    .filter((t) => !KEEP_TABLES.has(t));
  const columns = (t: string) => new Set(db.prepare<[], { name: string }>(`PRAGMA table_info(${quoteIdent(t)})`).all().map((c) => c.name));

  const personExpr = PERSON_KEYS.map((k) => `json_extract(payload, '$.${k}') IS NOT NULL`).join(' OR ');
  const textExpr = [...TEXT_KEYS, ...PEOPLE_LIST_KEYS].map((k) => `json_extract(payload, '$.${k}') IS NOT NULL`).join(' OR ');
  const redacted = `json_object(${PERSON_KEYS.map((k) => `'${k}', json_extract(payload, '$.${k}')`).join(', ')}, 'redacted', json('true'))`;

  let result: PurgeResult | null = null;
  db.pragma('secure_delete = ON');
  try {
    store.events.transaction(() => {
      db.exec('CREATE TEMP TABLE IF NOT EXISTS purge_attendees (id TEXT PRIMARY KEY)');
      db.exec('DELETE FROM temp.purge_attendees');
      db.prepare(`
        INSERT INTO temp.purge_attendees (id)
        SELECT attendee_id FROM registrations WHERE stop_id = @stopId
        EXCEPT
        SELECT attendee_id FROM registrations WHERE stop_id <> @stopId AND stop_id NOT IN (SELECT stop_id FROM stop_purges)`).run({ stopId });
      const attendeesPurged = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM temp.purge_attendees').get()!.n;

      db.exec('CREATE TEMP TABLE IF NOT EXISTS purge_events (id TEXT PRIMARY KEY)');
      db.exec('CREATE TEMP TABLE IF NOT EXISTS purge_refs (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id))');
      db.exec('DELETE FROM temp.purge_events; DELETE FROM temp.purge_refs');
      db.prepare(`
        INSERT INTO temp.purge_events (id) SELECT event_id FROM events
        WHERE projected <> 2 AND (
          json_extract(payload, '$.attendeeId') IN (SELECT id FROM temp.purge_attendees)
          OR (stop_id = @stopId AND (${personExpr} OR ${textExpr})))`).run({ stopId });
      const eventsRedacted = db.prepare(`UPDATE events SET payload = ${redacted}, projected = 2 WHERE event_id IN (SELECT id FROM temp.purge_events)`).run().changes;

      // Projection rows about the people, the stop's person-related rows, rows made by a redacted
      // event, and rows that hang off a removed row (e.g. consultation_id of a removed consultation).
      for (const t of tables) {
        const cols = columns(t);
        const q = quoteIdent(t);
        if (t === 'attendees' && cols.has('id')) db.exec('DELETE FROM attendees WHERE id IN (SELECT id FROM temp.purge_attendees)');
        if (cols.has('stop_id') && (cols.has('attendee_id') || cols.has('registration_id') || cols.has('visitor_label'))) {
          const kind = t.replace(/s$/, '');
          if (cols.has('id')) db.prepare(`INSERT OR IGNORE INTO temp.purge_refs (kind, id) SELECT ?, id FROM ${q} WHERE stop_id = ?`).run(kind, stopId);
          if (cols.has(`${kind}_id`)) db.prepare(`INSERT OR IGNORE INTO temp.purge_refs (kind, id) SELECT ?, ${quoteIdent(`${kind}_id`)} FROM ${q} WHERE stop_id = ?`).run(kind, stopId);
          db.prepare(`DELETE FROM ${q} WHERE stop_id = ?`).run(stopId);
        }
        if (cols.has('attendee_id')) db.exec(`DELETE FROM ${q} WHERE attendee_id IN (SELECT id FROM temp.purge_attendees)`);
        if (cols.has('event_id')) db.exec(`DELETE FROM ${q} WHERE event_id IN (SELECT id FROM temp.purge_events)`);
      }
      const kinds = (db.prepare('SELECT DISTINCT kind FROM temp.purge_refs').all() as { kind: string }[]).map((k) => k.kind);
      for (const t of tables) {
        const cols = columns(t);
        for (const kind of kinds) {
          if (cols.has(`${kind}_id`)) db.prepare(`DELETE FROM ${quoteIdent(t)} WHERE ${quoteIdent(`${kind}_id`)} IN (SELECT id FROM temp.purge_refs WHERE kind = ?)`).run(kind);
        }
      }
      db.exec('DELETE FROM temp.purge_attendees; DELETE FROM temp.purge_events; DELETE FROM temp.purge_refs');
      // The saved search indexes hold the purged people too (the search cache rebuilds them without).
      forgetSearchSnapshots(db);
      store.events.append(
        'stop_personal_data_purged',
        { stopId, eventCount: local.eventCount, digest: local.digest, attendeesPurged },
        { actorId: opts.actorId, stopId: null },
      );
      result = { stopId, attendeesPurged, eventsRedacted, backupsRemoved: 0 };
    });
  } finally {
    db.pragma('secure_delete = OFF');
  }
  const dir = backupDir(opts.dataDir);
  const old = listBackups(dir);
  for (const b of old) rmSync(b.path, { force: true });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  createBackup(store, dir, 'purge');
  return { ...result!, backupsRemoved: old.length };
}
