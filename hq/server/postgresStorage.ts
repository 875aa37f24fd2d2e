import pg from 'pg';
import { DeviceDigester } from '../../core/sync/deviceDigest';
import type { LogSource } from './hqFold';
import type { DeviceRole } from '../../shared/sync/hqProtocol';
import { assembleDevicePage, deviceLabel, devicePageLimit, devicePageSql, LABEL_OR_CODE_LABEL, planPush, storedFromRow, type DevicePage, type DevicePageQuery, type EventTableRow, type DeviceRecord, type DigestRow, type EnrollmentCodeRecord, type HqStorage, type PullPage, type PushOutcome, type RedeemOutcome, type StoredEvent } from './storage';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS hq_sequence (id INT PRIMARY KEY CHECK (id = 1), last_seq BIGINT NOT NULL);
  INSERT INTO hq_sequence (id, last_seq) VALUES (1, 0) ON CONFLICT DO NOTHING;
  CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    role TEXT NOT NULL DEFAULT 'desk'
  );
  CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    device_id TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT,
    role TEXT NOT NULL DEFAULT 'desk',
    uses_left INT NOT NULL DEFAULT 1
  );
  CREATE TABLE IF NOT EXISTS device_state (
    device_id TEXT PRIMARY KEY,
    acked_seq BIGINT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS events (
    server_seq BIGINT PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    device_seq BIGINT NOT NULL,
    hlc TEXT NOT NULL,
    type TEXT NOT NULL,
    schema_version INT NOT NULL,
    actor_id TEXT,
    stop_id TEXT,
    recorded_at TEXT NOT NULL,
    -- TEXT, not JSONB: the digest hashes the payload exactly as the laptop stored it.
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (device_id, device_seq)
  );
  INSERT INTO hq_meta (key, value) VALUES ('schema_version', '3') ON CONFLICT DO NOTHING;
`;

/** Version 1 → 2 (venue hubs): device roles and codes that serve several devices. */
const UPGRADE_2 = `
  ALTER TABLE devices ADD COLUMN IF NOT EXISTS role TEXT NOT NULL DEFAULT 'desk';
  ALTER TABLE enrollment_codes ADD COLUMN IF NOT EXISTS role TEXT NOT NULL DEFAULT 'desk';
  ALTER TABLE enrollment_codes ADD COLUMN IF NOT EXISTS uses_left INT NOT NULL DEFAULT 1;
  UPDATE enrollment_codes SET uses_left = 0 WHERE used_at IS NOT NULL;
  UPDATE hq_meta SET value = '2' WHERE key = 'schema_version';
`;

/** Version 2 → 3: no indexes on the log's stop and type (HQ's reports read its projections; pushes paid for both). */
const UPGRADE_3 = `
  DROP INDEX IF EXISTS events_stop;
  DROP INDEX IF EXISTS events_type;
  UPDATE hq_meta SET value = '3' WHERE key = 'schema_version';
`;

// BIGINT comes back as a string; device sequences stay far below 2^53.
const num = (v: string | number): number => (typeof v === 'number' ? v : Number(v));

interface PgEventRow extends EventTableRow {
  server_seq: string;
}

/**
 * HQ on PostgreSQL (DATABASE_URL). Several HQ processes may share one database: the push
 * transaction takes the one `hq_sequence` row lock when it numbers its events and holds it to
 * commit, so server sequences become visible in order (the pull cursor never skips an event).
 */
export class PostgresHqStorage implements HqStorage {
  readonly kind = 'postgres' as const;
  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  /** HQ's fold thread opens its own connection with the same address. */
  logSource(): LogSource {
    return { kind: 'postgres', url: this.url };
  }

  static async open(url: string, opts: { max?: number } = {}): Promise<PostgresHqStorage> {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
    pool.on('error', () => {
      /* an idle client lost its connection: the pool replaces it */
    });
    const client = await pool.connect();
    try {
      // Two HQ processes starting at once must not race on CREATE TABLE.
      await client.query('SELECT pg_advisory_lock(7007)');
      try {
        await client.query(SCHEMA);
        const version = (await client.query<{ value: string }>("SELECT value FROM hq_meta WHERE key = 'schema_version'")).rows[0]?.value;
        if (version === '1') await client.query(`BEGIN; ${UPGRADE_2} COMMIT;`);
        if (version === '1' || version === '2') await client.query(`BEGIN; ${UPGRADE_3} COMMIT;`);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        // A session lock: released even when the schema step failed, or the pooled connection would keep it.
        await client.query('SELECT pg_advisory_unlock(7007)').catch(() => undefined);
      }
    } finally {
      client.release();
    }
    return new PostgresHqStorage(pool, url);
  }

  /** Runs `fn` in a transaction; commits unless it throws or `keep(result)` says no (then nothing is written). */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, keep: (out: T) => boolean = () => true): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query(keep(out) ? 'COMMIT' : 'ROLLBACK');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async createEnrollmentCode(rec: EnrollmentCodeRecord): Promise<void> {
    await this.pool.query('INSERT INTO enrollment_codes (code_hash, label, device_id, created_at, expires_at, role, uses_left) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      rec.codeHash,
      rec.label,
      rec.deviceId,
      rec.createdAt,
      rec.expiresAt,
      rec.role,
      rec.uses,
    ]);
  }

  async redeemEnrollmentCode(codeHash: string, deviceId: string, label: string, tokenHash: string, now: string): Promise<RedeemOutcome> {
    return this.tx(async (c) => {
      const code = (await c.query<{ label: string; device_id: string | null; expires_at: string; uses_left: number; role: DeviceRole }>(
        'SELECT label, device_id, expires_at, uses_left, role FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE',
        [codeHash],
      )).rows[0];
      if (!code || code.uses_left <= 0 || code.expires_at <= now) return 'invalid';
      if (code.device_id !== null && code.device_id !== deviceId) return 'invalid';
      const exists = (await c.query('SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE', [deviceId])).rowCount! > 0;
      if (exists && code.device_id !== deviceId) return 'device_exists';
      await c.query('UPDATE enrollment_codes SET used_at = $1, used_by = $2, uses_left = uses_left - 1 WHERE code_hash = $3', [now, deviceId, codeHash]);
      await c.query(
        `INSERT INTO devices (device_id, label, token_hash, enrolled_at, role) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (device_id) DO UPDATE SET label = CASE WHEN excluded.label <> '' THEN excluded.label ELSE devices.label END, token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at, role = excluded.role, revoked_at = NULL`,
        [deviceId, deviceLabel(code.label, label), tokenHash, now, code.role],
      );
      return 'ok';
    }, (out) => out === 'ok');
  }

  async deviceByTokenHash(tokenHash: string): Promise<{ deviceId: string; revoked: boolean; role: DeviceRole } | null> {
    const row = (await this.pool.query<{ device_id: string; revoked_at: string | null; role: DeviceRole }>('SELECT device_id, revoked_at, role FROM devices WHERE token_hash = $1', [tokenHash])).rows[0];
    return row ? { deviceId: row.device_id, revoked: row.revoked_at !== null, role: row.role } : null;
  }

  async deviceInfo(deviceId: string): Promise<{ revoked: boolean; role: DeviceRole } | null> {
    const row = (await this.pool.query<{ revoked_at: string | null; role: DeviceRole }>('SELECT revoked_at, role FROM devices WHERE device_id = $1', [deviceId])).rows[0];
    return row ? { revoked: row.revoked_at !== null, role: row.role } : null;
  }

  async revokeDevice(deviceId: string, now: string): Promise<boolean> {
    return (await this.pool.query('UPDATE devices SET revoked_at = $1 WHERE device_id = $2 AND revoked_at IS NULL', [now, deviceId])).rowCount === 1;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    const rows = (await this.pool.query<{ device_id: string; label: string; enrolled_at: string; revoked_at: string | null; acked_seq: string | null; role: DeviceRole }>(
      `SELECT d.device_id, ${LABEL_OR_CODE_LABEL} AS label, d.enrolled_at, d.revoked_at, d.role, s.acked_seq FROM devices d LEFT JOIN device_state s USING (device_id) ORDER BY d.device_id`,
    )).rows;
    return rows.map((r) => ({ deviceId: r.device_id, label: r.label, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at, ackedSeq: r.acked_seq === null ? 0 : num(r.acked_seq), role: r.role }));
  }

  async pushBatch(deviceId: string, events: readonly StoredEvent[], receivedAt: string): Promise<PushOutcome> {
    return this.tx(async (c): Promise<PushOutcome> => {
      // The device's row lock serialises two pushes of the same device (a retry racing the original).
      await c.query(`INSERT INTO device_state (device_id, acked_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [deviceId]);
      const row = (await c.query<{ acked_seq: string }>('SELECT acked_seq FROM device_state WHERE device_id = $1 FOR UPDATE', [deviceId])).rows[0]!;
      const state = { ackedSeq: num(row.acked_seq) };
      const held = new Map<number, string>();
      const first = events[0];
      if (first && first.deviceSeq <= state.ackedSeq) {
        const hi = Math.min(state.ackedSeq, events[events.length - 1]!.deviceSeq);
        const rows = (await c.query<{ device_seq: string; event_id: string }>('SELECT device_seq, event_id FROM events WHERE device_id = $1 AND device_seq BETWEEN $2 AND $3', [deviceId, first.deviceSeq, hi])).rows;
        for (const h of rows) held.set(num(h.device_seq), h.event_id);
      }
      const plan = planPush(state, events, held);
      if ('ok' in plan) return plan;
      if (plan.fresh.length === 0) return { ok: true, ackedThroughSeq: state.ackedSeq, added: 0, duplicates: plan.duplicates };
      const ids = plan.fresh.map((e) => e.eventId);
      const clash = (await c.query<{ event_id: string }>('SELECT event_id FROM events WHERE event_id = ANY($1::text[]) LIMIT 1', [ids])).rows[0];
      if (clash) return { ok: false, code: 'DUPLICATE_EVENT_ID', eventId: clash.event_id };
      // Numbering last and holding the sequence row to commit keeps the critical section short.
      const top = num((await c.query<{ last_seq: string }>('UPDATE hq_sequence SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq', [plan.fresh.length])).rows[0]!.last_seq);
      const base = top - plan.fresh.length;
      const f = plan.fresh;
      await c.query(
        `INSERT INTO events (server_seq, event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, received_at)
         SELECT s, i, d, q, h, t, v, a, st, r, p, $12 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS x(s, i, d, q, h, t, v, a, st, r, p)`,
        [
          f.map((_, k) => base + k + 1),
          ids,
          f.map((e) => e.deviceId),
          f.map((e) => e.deviceSeq),
          f.map((e) => e.hlc),
          f.map((e) => e.type),
          f.map((e) => e.schemaVersion),
          f.map((e) => e.actorId),
          f.map((e) => e.stopId),
          f.map((e) => e.recordedAt),
          f.map((e) => e.payloadText),
          receivedAt,
        ],
      );
      await c.query('UPDATE device_state SET acked_seq = $2 WHERE device_id = $1', [deviceId, plan.newState.ackedSeq]);
      return { ok: true, ackedThroughSeq: plan.newState.ackedSeq, added: f.length, duplicates: plan.duplicates };
    }, (out) => out.ok);
  }

  async deviceAcks(): Promise<{ deviceId: string; ackedSeq: number }[]> {
    const rows = (await this.pool.query<{ device_id: string; acked_seq: string }>('SELECT device_id, acked_seq FROM device_state WHERE acked_seq > 0 ORDER BY device_id')).rows;
    return rows.map((r) => ({ deviceId: r.device_id, ackedSeq: num(r.acked_seq) }));
  }

  async eventsOfDevice(deviceId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const rows = (await this.pool.query<PgEventRow>('SELECT * FROM events WHERE device_id = $1 AND device_seq > $2 ORDER BY device_seq LIMIT $3', [deviceId, afterSeq, limit])).rows;
    return rows.map(storedFromRow);
  }

  async pull(afterCursor: string, limit: number): Promise<PullPage> {
    const rows = (await this.pool.query<PgEventRow>('SELECT * FROM events WHERE server_seq > $1 ORDER BY server_seq LIMIT $2', [afterCursor, limit])).rows;
    const last = rows[rows.length - 1];
    return {
      events: rows.map((r) => ({ serverSeq: r.server_seq, ...storedFromRow(r) })),
      cursor: last ? last.server_seq : afterCursor,
      hasMore: rows.length === limit,
    };
  }

  async digest(deviceId?: string): Promise<DigestRow[]> {
    // REPEATABLE READ: every device's digest is of one consistent snapshot.
    return this.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const devices = (await c.query<{ device_id: string; acked_seq: string }>(
        `SELECT device_id, acked_seq FROM device_state WHERE acked_seq > 0 ${deviceId === undefined ? '' : 'AND device_id = $1'} ORDER BY device_id`,
        deviceId === undefined ? [] : [deviceId],
      )).rows;
      const out: DigestRow[] = [];
      for (const dev of devices) {
        const d = new DeviceDigester();
        let after = 0;
        for (;;) {
          const page = (await c.query<{ event_id: string; device_seq: string; hlc: string; type: string; payload: string }>(
            'SELECT event_id, device_seq, hlc, type, payload FROM events WHERE device_id = $1 AND device_seq > $2 ORDER BY device_seq LIMIT 5000',
            [dev.device_id, after],
          )).rows;
          for (const e of page) d.update({ eventId: e.event_id, deviceSeq: num(e.device_seq), hlc: e.hlc, type: e.type, payloadText: e.payload });
          if (page.length < 5000) break;
          after = num(page[page.length - 1]!.device_seq);
        }
        out.push({ deviceId: dev.device_id, count: d.count, maxSeq: num(dev.acked_seq), hash: d.digest() });
      }
      return out;
    });
  }

  async stopEventIds(stopId: string): Promise<string[]> {
    // Rare (a stop lead's purge check): a scan, no index kept for it.
    return (await this.pool.query<{ event_id: string }>('SELECT event_id FROM events WHERE stop_id = $1', [stopId])).rows.map((r) => r.event_id);
  }

  async devicePage(q: DevicePageQuery): Promise<DevicePage> {
    const sql = devicePageSql(q);
    // One snapshot for the page and its counts.
    return this.tx(async (c) => {
      await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const rows = (await c.query<{ device_id: string; label: string; enrolled_at: string; revoked_at: string | null; acked_seq: string | null; role: DeviceRole }>(sql.rows, [q.before ?? q.after ?? '', devicePageLimit(q)])).rows;
      const total = num((await c.query<{ n: string }>(sql.total)).rows[0]!.n);
      const fetched = rows.map((r) => ({ deviceId: r.device_id, label: r.label, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at, ackedSeq: r.acked_seq === null ? 0 : num(r.acked_seq), role: r.role }));
      return assembleDevicePage(q, fetched, total, async (id) => num((await c.query<{ n: string }>(sql.offset, [id])).rows[0]!.n));
    });
  }

  async highWater(): Promise<string> {
    return (await this.pool.query<{ last_seq: string }>('SELECT last_seq FROM hq_sequence WHERE id = 1')).rows[0]!.last_seq;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
