import { DeviceDigester } from '../../sync/deviceDigest';
import { envelopeJson } from '../../sync/envelopeJson';
import type { StoredEventRow } from '../eventStore';
import type { Db } from '../sqlite';

export const SYNC_KEYS = {
  url: 'hq_url',
  token: 'hq_token',
  /** Highest own sequence HQ acknowledged (app:info's unsynced count reads it). */
  ackedSeq: 'hq_acked_seq',
  pullCursor: 'hq_pull_cursor',
  /** SHA-256 of the hub's self-signed certificate the desk pins (absent: CA verification). */
  certFingerprint: 'hq_cert_sha256',
} as const;

/** Where one sync target's state lives in `settings`: HQ's (above) or a venue hub's (core/sync/hubService). */
export interface SyncKeys {
  url: string;
  token: string;
  ackedSeq: string;
  pullCursor: string;
  certFingerprint: string;
}

/** The bytes of an event's JSON that do not depend on its values: keys, quotes, braces (see `pending` below). */
const ENVELOPE_BYTES =
  Buffer.byteLength(envelopeJson({ eventId: '', deviceId: '', deviceSeq: 0, hlc: '', type: '', schemaVersion: 0, actorId: '', stopId: '', recordedAt: '' }, '')) -
  2 /* the two zeros */ -
  4 /* the quotes of actorId and stopId, counted with their values */;

export interface SyncRunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  ok: number | null;
  sent: number;
  received: number;
  conflicts: number;
  error_code: string | null;
  error_message: string | null;
  error_details: string | null;
}

/** The laptop's sync state: HQ address and token, cursors, and the history of sync runs. */
export function createSyncQueries(db: Db, keys: SyncKeys = SYNC_KEYS) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const set = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const del = db.prepare('DELETE FROM settings WHERE key = ?');
  const ownMax = db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(device_seq), 0) AS n FROM events WHERE device_id = ?');
  const ownCount = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE device_id = ?');
  const ownPage = db.prepare<[string, number], { event_id: string; device_seq: number; hlc: string; type: string; payload: string }>(
    'SELECT event_id, device_seq, hlc, type, payload FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT 5000',
  );
  const ownRows = db.prepare<[string, number, number], StoredEventRow>(
    'SELECT event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT ?',
  );
  // Bytes of each event's JSON as a push carries it (core/sync/envelopeJson.ts): the payload text and
  // the envelope's values (ids, stamps and numbers need no escaping) plus the fixed keys and quotes.
  const pending = db.prepare<[number, string, number], { n: number; b: number }>(`
    SELECT COUNT(*) AS n, COALESCE(SUM(? + length(CAST(payload AS BLOB)) + length(event_id) + length(device_id) + length(CAST(device_seq AS TEXT))
      + length(hlc) + length(CAST(type AS BLOB)) + length(CAST(schema_version AS TEXT)) + COALESCE(length(CAST(actor_id AS BLOB)) + 2, 4)
      + COALESCE(length(CAST(stop_id AS BLOB)) + 2, 4) + length(recorded_at)), 0) AS b
    FROM events WHERE device_id = ? AND device_seq > ?`);
  const startRun = db.prepare<[string]>('INSERT INTO sync_runs (started_at) VALUES (?)');
  const finishRun = db.prepare('UPDATE sync_runs SET finished_at = @finishedAt, ok = @ok, sent = @sent, received = @received, conflicts = @conflicts, error_code = @errorCode, error_message = @errorMessage, error_details = @errorDetails WHERE id = @id');
  const lastOk = db.prepare<[], SyncRunRow>('SELECT * FROM sync_runs WHERE ok = 1 ORDER BY id DESC LIMIT 1');
  const lastFinished = db.prepare<[], SyncRunRow>('SELECT * FROM sync_runs WHERE ok IS NOT NULL ORDER BY id DESC LIMIT 1');

  return {
    get: (key: string): string | null => get.get(key)?.value ?? null,
    set: (key: string, value: string): void => void set.run(key, value),
    delete: (key: string): void => void del.run(key),
    keys,
    ackedSeq: (): number => Number(get.get(keys.ackedSeq)?.value ?? '0'),
    pullCursor: (): string => get.get(keys.pullCursor)?.value ?? '0',
    ownMaxSeq: (deviceId: string): number => ownMax.get(deviceId)!.n,
    ownCount: (deviceId: string): number => ownCount.get(deviceId)!.n,
    /** Own events HQ has not acknowledged: the one figure the header and the Sync screen show. */
    unsynced: (deviceId: string): number => Math.max(0, ownMax.get(deviceId)!.n - Number(get.get(keys.ackedSeq)?.value ?? '0')),
    /** Own events after `afterSeq`, in order, read row by row (a push batch stops early at its byte limit). */
    ownRowsAfter: (deviceId: string, afterSeq: number, limit: number): IterableIterator<StoredEventRow> => ownRows.iterate(deviceId, afterSeq, limit),
    /** The same rows read at once (one call into SQLite instead of one per row). */
    ownRowsPage: (deviceId: string, afterSeq: number, limit: number): StoredEventRow[] => ownRows.all(deviceId, afterSeq, limit),
    /** How many own events follow `afterSeq`, and the bytes of their JSON as pushed. */
    pendingOwn(deviceId: string, afterSeq: number): { events: number; bytes: number } {
      const r = pending.get(ENVELOPE_BYTES, deviceId, afterSeq)!;
      return { events: r.n, bytes: r.b };
    },
    /** The digest of this device's own events, as HQ computes it (core/sync/deviceDigest). */
    ownDigest(deviceId: string): { count: number; maxSeq: number; hash: string } {
      const d = new DeviceDigester();
      let after = 0;
      for (;;) {
        const rows = ownPage.all(deviceId, after);
        for (const r of rows) d.update({ eventId: r.event_id, deviceSeq: r.device_seq, hlc: r.hlc, type: r.type, payloadText: r.payload });
        if (rows.length < 5000) break;
        after = rows[rows.length - 1]!.device_seq;
      }
      return { count: d.count, maxSeq: ownMax.get(deviceId)!.n, hash: d.digest() };
    },
    startRun: (at: string): number => Number(startRun.run(at).lastInsertRowid),
    finishRun: (r: { id: number; finishedAt: string; ok: boolean; sent: number; received: number; conflicts: number; errorCode: string | null; errorMessage: string | null; errorDetails: string | null }) =>
      void finishRun.run({ ...r, ok: r.ok ? 1 : 0 }),
    lastSuccess: (): SyncRunRow | null => lastOk.get() ?? null,
    lastFinished: (): SyncRunRow | null => lastFinished.get() ?? null,
  };
}
export type SyncQueries = ReturnType<typeof createSyncQueries>;
