import { openSqlite, type Db, type Statement } from '../../core/store/sqlite';
import type { StoredEventRow } from '../../core/store/eventStore';
import { DeviceDigester } from '../../core/sync/deviceDigest';
import type { LogSource } from './hqFold';
import type { DeviceRole } from '../../shared/sync/hqProtocol';
import { assembleDevicePage, deviceLabel, devicePageLimit, devicePageSql, LABEL_OR_CODE_LABEL, planPush, storedFromRow, type DevicePage, type DevicePageQuery, type DeviceRecord, type DigestRow, type EnrollmentCodeRecord, type HqStorage, type PullPage, type PushOutcome, type RedeemOutcome, type StoredEvent } from './storage';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    role TEXT NOT NULL DEFAULT 'desk'
  ) STRICT;
  CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    device_id TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT,
    role TEXT NOT NULL DEFAULT 'desk',
    uses_left INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  -- Per device: the highest contiguous acknowledged sequence.
  CREATE TABLE IF NOT EXISTS device_state (
    device_id TEXT PRIMARY KEY,
    acked_seq INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS events (
    server_seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    hlc TEXT NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    actor_id TEXT,
    stop_id TEXT,
    recorded_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (device_id, device_seq)
  ) STRICT;
  INSERT OR IGNORE INTO hq_meta (key, value) VALUES ('schema_version', '3');
`;

/** Version 1 → 2 (venue hubs): device roles and codes that serve several devices. */
const UPGRADE_2 = `
  ALTER TABLE devices ADD COLUMN role TEXT NOT NULL DEFAULT 'desk';
  ALTER TABLE enrollment_codes ADD COLUMN role TEXT NOT NULL DEFAULT 'desk';
  ALTER TABLE enrollment_codes ADD COLUMN uses_left INTEGER NOT NULL DEFAULT 1;
  UPDATE enrollment_codes SET uses_left = 0 WHERE used_at IS NOT NULL;
  UPDATE hq_meta SET value = '2' WHERE key = 'schema_version';
`;

/**
 * Version 2 → 3: no indexes on the log's stop and type. HQ's reports read its projection store,
 * never the log by stop or type, and every push paid for both indexes (~15% of an insert).
 */
const UPGRADE_3 = `
  DROP INDEX IF EXISTS events_stop;
  DROP INDEX IF EXISTS events_type;
  UPDATE hq_meta SET value = '3' WHERE key = 'schema_version';
`;

/** Rows per multi-row INSERT (12 parameters each, well under SQLite's 32,766). */
const INSERT_CHUNK = 100;

interface EventRow extends StoredEventRow {
  server_seq: number;
}

/** A pull's row as an array (`raw`): server_seq, then the envelope's columns in order, then the payload. */
type PullRow = [number, string, string, number, string, string, number, string | null, string | null, string, string];

interface DeviceRow {
  device_id: string;
  label: string;
  enrolled_at: string;
  revoked_at: string | null;
  acked_seq: number | null;
  role: DeviceRole;
}

const deviceFromRow = (r: DeviceRow): DeviceRecord => ({ deviceId: r.device_id, label: r.label, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at, ackedSeq: r.acked_seq ?? 0, role: r.role });

/**
 * HQ's digest of devices' events (every device, or those named), in one read transaction so every
 * digest is of one consistent state. Takes any connection to the log: the storage's own, or a
 * read-only one on another thread (the dashboard's worker), since hashing a large log takes a while.
 */
export function digestOf(db: Db, deviceIds?: readonly string[]): DigestRow[] {
  const all = db.prepare<[], { device_id: string; acked_seq: number }>('SELECT device_id, acked_seq FROM device_state ORDER BY device_id');
  const one = db.prepare<[string], { device_id: string; acked_seq: number }>('SELECT device_id, acked_seq FROM device_state WHERE device_id = ?');
  const page = db.prepare<[string, number], { event_id: string; device_seq: number; hlc: string; type: string; payload: string }>(
    'SELECT event_id, device_seq, hlc, type, payload FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT 5000',
  );
  return db.transaction(() => {
    const rows = deviceIds === undefined ? all.all() : deviceIds.flatMap((id) => one.all(id));
    return rows.map((r) => {
      const d = new DeviceDigester();
      let after = 0;
      for (;;) {
        const events = page.all(r.device_id, after);
        for (const e of events) d.update({ eventId: e.event_id, deviceSeq: e.device_seq, hlc: e.hlc, type: e.type, payloadText: e.payload });
        if (events.length < 5000) break;
        after = events[events.length - 1]!.device_seq;
      }
      return { deviceId: r.device_id, count: d.count, maxSeq: r.acked_seq, hash: d.digest() };
    });
  })();
}


/** HQ's page cache for its log connection (KiB). */
const LOG_CACHE_KIB = 32_768;

/** HQ on embedded SQLite (the default): better-sqlite3 is synchronous, so each batch is trivially serialised. */
export class SqliteHqStorage implements HqStorage {
  readonly kind = 'sqlite' as const;
  private readonly db: Db;
  private readonly stmts;

  /** `key`: SQLCipher key (a hub inside the desk app keeps its log encrypted like the desk's own store). */
  constructor(
    /** The log's file: the dashboard's worker opens its own read-only connection to it. */
    readonly file: string,
    private readonly opts: { key?: Buffer } = {},
  ) {
    this.db = openSqlite(file, { key: opts.key });
    // The log's event_id index is keyed by random UUIDs: every batch touches pages all over it. With
    // SQLite's default 2 MB page cache those are read again batch after batch once the log passes a
    // few tens of thousands of events (the push slowed as the log grew); 32 MB holds the indexes of
    // ~500,000 events (allocated only as pages are read).
    this.db.pragma(`cache_size = -${LOG_CACHE_KIB}`);
    this.db.transaction(() => {
      this.db.exec(SCHEMA);
      const version = this.db.prepare<[], { value: string }>("SELECT value FROM hq_meta WHERE key = 'schema_version'").get()?.value;
      if (version === '1') this.db.exec(UPGRADE_2);
      if (version === '1' || version === '2') this.db.exec(UPGRADE_3);
    }).immediate();
    const db = this.db;
    this.stmts = {
      insertCode: db.prepare('INSERT INTO enrollment_codes (code_hash, label, device_id, created_at, expires_at, role, uses_left) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      code: db.prepare<[string], { label: string; device_id: string | null; expires_at: string; uses_left: number; role: DeviceRole }>('SELECT label, device_id, expires_at, uses_left, role FROM enrollment_codes WHERE code_hash = ?'),
      useCode: db.prepare('UPDATE enrollment_codes SET used_at = ?, used_by = ?, uses_left = uses_left - 1 WHERE code_hash = ? AND uses_left > 0'),
      device: db.prepare<[string], { device_id: string }>('SELECT device_id FROM devices WHERE device_id = ?'),
      upsertDevice: db.prepare(`INSERT INTO devices (device_id, label, token_hash, enrolled_at, role) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(device_id) DO UPDATE SET label = CASE WHEN excluded.label <> '' THEN excluded.label ELSE devices.label END, token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at, role = excluded.role, revoked_at = NULL`),
      byToken: db.prepare<[string], { device_id: string; revoked_at: string | null; role: DeviceRole }>('SELECT device_id, revoked_at, role FROM devices WHERE token_hash = ?'),
      deviceInfo: db.prepare<[string], { revoked_at: string | null; role: DeviceRole }>('SELECT revoked_at, role FROM devices WHERE device_id = ?'),
      eventsAfter: db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT ?'),
      revoke: db.prepare('UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL'),
      listDevices: db.prepare<[], DeviceRow>(
        `SELECT d.device_id, ${LABEL_OR_CODE_LABEL} AS label, d.enrolled_at, d.revoked_at, d.role, s.acked_seq FROM devices d LEFT JOIN device_state s USING (device_id) ORDER BY d.device_id`,
      ),
      state: db.prepare<[string], { acked_seq: number }>('SELECT acked_seq FROM device_state WHERE device_id = ?'),
      setState: db.prepare('INSERT INTO device_state (device_id, acked_seq) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET acked_seq = excluded.acked_seq'),
      heldIds: db.prepare<[string, number, number], { device_seq: number; event_id: string }>('SELECT device_seq, event_id FROM events WHERE device_id = ? AND device_seq BETWEEN ? AND ?'),
      eventById: db.prepare<[string], { device_id: string; device_seq: number }>('SELECT device_id, device_seq FROM events WHERE event_id = ?'),
      maxSeq: db.prepare<[], { s: number }>('SELECT COALESCE(MAX(server_seq), 0) AS s FROM events'),
      insertEvent: db.prepare(`INSERT INTO events (server_seq, event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertChunk: db.prepare(`INSERT INTO events (server_seq, event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, received_at)
        VALUES ${Array.from({ length: INSERT_CHUNK }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`),
      // Arrays of the columns a pull answer needs (issue #20): better-sqlite3 builds an array per row
      // faster than an object of every column, and the page's events are built once below
      // (this and the spread of an intermediate object were ~30% of HQ's pull, measured).
      pull: db
        .prepare<[number, number], PullRow>('SELECT server_seq, event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload FROM events WHERE server_seq > ? ORDER BY server_seq LIMIT ?')
        .raw(true),
      devicesAll: db.prepare<[], { device_id: string; acked_seq: number }>('SELECT device_id, acked_seq FROM device_state ORDER BY device_id'),
    };
  }

  async createEnrollmentCode(rec: EnrollmentCodeRecord): Promise<void> {
    this.stmts.insertCode.run(rec.codeHash, rec.label, rec.deviceId, rec.createdAt, rec.expiresAt, rec.role, rec.uses);
  }

  async redeemEnrollmentCode(codeHash: string, deviceId: string, label: string, tokenHash: string, now: string): Promise<RedeemOutcome> {
    return this.db.transaction((): RedeemOutcome => {
      const code = this.stmts.code.get(codeHash);
      if (!code || code.uses_left <= 0 || code.expires_at <= now) return 'invalid';
      if (code.device_id !== null && code.device_id !== deviceId) return 'invalid';
      if (this.stmts.device.get(deviceId) && code.device_id !== deviceId) return 'device_exists';
      this.stmts.useCode.run(now, deviceId, codeHash);
      this.stmts.upsertDevice.run(deviceId, deviceLabel(code.label, label), tokenHash, now, code.role);
      return 'ok';
    }).immediate();
  }

  async deviceByTokenHash(tokenHash: string): Promise<{ deviceId: string; revoked: boolean; role: DeviceRole } | null> {
    const row = this.stmts.byToken.get(tokenHash);
    return row ? { deviceId: row.device_id, revoked: row.revoked_at !== null, role: row.role } : null;
  }

  async deviceInfo(deviceId: string): Promise<{ revoked: boolean; role: DeviceRole } | null> {
    const row = this.stmts.deviceInfo.get(deviceId);
    return row ? { revoked: row.revoked_at !== null, role: row.role } : null;
  }

  async revokeDevice(deviceId: string, now: string): Promise<boolean> {
    return this.stmts.revoke.run(now, deviceId).changes === 1;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return this.stmts.listDevices.all().map(deviceFromRow);
  }

  async pushBatch(deviceId: string, events: readonly StoredEvent[], receivedAt: string): Promise<PushOutcome> {
    const s = this.stmts;
    try {
      return this.db.transaction((): PushOutcome => {
        const row = s.state.get(deviceId);
        const state = { ackedSeq: row?.acked_seq ?? 0 };
        const held = new Map<number, string>();
        const first = events[0];
        if (first && first.deviceSeq <= state.ackedSeq) {
          for (const h of s.heldIds.all(deviceId, first.deviceSeq, Math.min(state.ackedSeq, events[events.length - 1]!.deviceSeq))) held.set(h.device_seq, h.event_id);
        }
        const plan = planPush(state, events, held);
        if ('ok' in plan) return plan;
        // An event id held for another event fails the UNIQUE constraint: the throw rolls the whole
        // transaction back (nothing written) and is answered below. Rows go in multi-row INSERTs.
        this.insertRows(plan.fresh, s.maxSeq.get()!.s, receivedAt);
        s.setState.run(deviceId, plan.newState.ackedSeq);
        return { ok: true, ackedThroughSeq: plan.newState.ackedSeq, added: plan.fresh.length, duplicates: plan.duplicates };
      }).immediate();
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      const clash = events.find((e) => {
        const held = s.eventById.get(e.eventId);
        return held !== undefined && (held.device_id !== e.deviceId || held.device_seq !== e.deviceSeq);
      });
      if (!clash) throw err;
      return { ok: false, code: 'DUPLICATE_EVENT_ID', eventId: clash.eventId };
    }
  }

  private insertRows(rows: readonly StoredEvent[], lastSeq: number, receivedAt: string): void {
    let seq = lastSeq;
    let i = 0;
    const params: unknown[] = [];
    const push = (e: StoredEvent) => params.push(++seq, e.eventId, e.deviceId, e.deviceSeq, e.hlc, e.type, e.schemaVersion, e.actorId, e.stopId, e.recordedAt, e.payloadText, receivedAt);
    for (; i + INSERT_CHUNK <= rows.length; i += INSERT_CHUNK) {
      params.length = 0;
      for (let k = i; k < i + INSERT_CHUNK; k++) push(rows[k]!);
      this.stmts.insertChunk.run(params);
    }
    for (; i < rows.length; i++) {
      params.length = 0;
      push(rows[i]!);
      this.stmts.insertEvent.run(params);
    }
  }

  async deviceAcks(): Promise<{ deviceId: string; ackedSeq: number }[]> {
    return this.stmts.devicesAll.all().map((r) => ({ deviceId: r.device_id, ackedSeq: r.acked_seq }));
  }

  async eventsOfDevice(deviceId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.stmts.eventsAfter.all(deviceId, afterSeq, limit).map(storedFromRow);
  }

  async pull(afterCursor: string, limit: number): Promise<PullPage> {
    const rows = this.stmts.pull.all(Number(afterCursor), limit);
    const last = rows[rows.length - 1];
    return {
      events: rows.map((r) => ({ serverSeq: String(r[0]), eventId: r[1], deviceId: r[2], deviceSeq: r[3], hlc: r[4], type: r[5], schemaVersion: r[6], actorId: r[7], stopId: r[8], recordedAt: r[9], payloadText: r[10] })),
      cursor: last ? String(last[0]) : afterCursor,
      hasMore: rows.length === limit,
    };
  }

  async digest(deviceId?: string): Promise<DigestRow[]> {
    return digestOf(this.db, deviceId === undefined ? undefined : [deviceId]);
  }

  async stopEventIds(stopId: string): Promise<string[]> {
    // Rare (a stop lead's purge check): a scan, no index kept for it.
    return this.db.prepare<[string], { event_id: string }>('SELECT event_id FROM events WHERE stop_id = ?').all(stopId).map((r) => r.event_id);
  }

  /** Where a read-only connection on another thread finds the log (and its key). */
  get source(): { file: string; key?: Buffer } {
    return { file: this.file, ...(this.opts.key ? { key: this.opts.key } : {}) };
  }

  logSource(): LogSource | null {
    return this.file === ':memory:' ? null : { kind: 'sqlite', file: this.file, keyHex: this.opts.key?.toString('hex') ?? null };
  }

  async highWater(): Promise<string> {
    return String(this.stmts.maxSeq.get()!.s);
  }

  private readonly pageStmts = new Map<string, { rows: Statement; total: Statement; offset: Statement }>();

  async devicePage(q: DevicePageQuery): Promise<DevicePage> {
    const key = `${q.status ?? ''}|${q.before !== undefined}`;
    let st = this.pageStmts.get(key);
    if (!st) {
      const sql = devicePageSql(q);
      // Each `$n` appears once, in order: SQLite's anonymous parameters take them as they come.
      const positional = (text: string) => text.replace(/\$\d+/g, '?');
      st = { rows: this.db.prepare(positional(sql.rows)), total: this.db.prepare(sql.total), offset: this.db.prepare(positional(sql.offset)) };
      this.pageStmts.set(key, st);
    }
    const s = st;
    const fetched = (s.rows.all(q.before ?? q.after ?? '', devicePageLimit(q)) as DeviceRow[]).map(deviceFromRow);
    const total = (s.total.get() as { n: number }).n;
    return assembleDevicePage(q, fetched, total, async (id) => (s.offset.get(id) as { n: number }).n);
  }


  async close(): Promise<void> {
    this.db.close();
  }
}

