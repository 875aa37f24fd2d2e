import type { EventStore } from '../../core/store/eventStore';
import type { Store } from '../../core/store/openStore';
import { createProjector, type Projector } from '../../core/store/projections/index';
import type { TypedEvent } from '../../core/store/projections/projection';
import { createSettingsQueries } from '../../core/store/queries/settingsQueries';
import { openSqlite, type Db } from '../../core/store/sqlite';
import type { EventEnvelope } from '../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION, EVENT_PAYLOADS, type EventType } from '../../shared/events/eventTypes';
import { storedFromRow, type EventTableRow, type PullPage, type StoredEvent } from './storage';

/** The projection store's setting holding the server sequence folded so far (in the same transaction as the fold). */
export const CURSOR_KEY = 'hq_projection_cursor';
/** …and the newest HLC folded: HQ's own clock follows it (its decisions sort after what it has seen). */
export const FOLD_HLC_KEY = 'hq_projection_hlc';
/** Set once the projection store's copy of other devices' events has been dropped (one copy of the log at HQ). */
const ONE_COPY_KEY = 'hq_one_log_copy';

/**
 * HQ's own tables in its projection store (not a core projection: laptops have no use for them).
 * `hq_device_stops`: per device and stop, how many of the device's events name the stop (the
 * Devices page's "stop"), counted by the fold in its transaction, since the projection store no
 * longer holds the devices' events to count.
 */
const HQ_TABLES = `
  CREATE TABLE IF NOT EXISTS hq_device_stops (
    device_id TEXT NOT NULL,
    stop_id TEXT NOT NULL,
    events INTEGER NOT NULL,
    last_hlc TEXT NOT NULL,
    PRIMARY KEY (device_id, stop_id)
  ) STRICT;
`;

/**
 * Makes HQ's projection store ready for the fold (on the main thread, before any fold runs): its own
 * tables, and once, for a store folded by an earlier HQ, the device stops counted from its copy of
 * the events and that copy dropped: HQ's log is the one copy. Kept in the projection store's log are
 * HQ's own events (written there by its actions, core/api dispatch) and the events it cannot project
 * yet (unknown type or newer schema: projected after an upgrade by `projectDeferred`).
 */
export function prepareHqProjectionStore(db: Db, ownDeviceId: string): void {
  db.exec(HQ_TABLES);
  const settings = createSettingsQueries(db);
  if (settings.get(ONE_COPY_KEY) === '1') return;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO hq_device_stops (device_id, stop_id, events, last_hlc)
       SELECT device_id, stop_id, COUNT(*), MAX(hlc) FROM events WHERE stop_id IS NOT NULL GROUP BY device_id, stop_id
       ON CONFLICT (device_id, stop_id) DO UPDATE SET events = excluded.events, last_hlc = excluded.last_hlc`,
    ).run();
    db.prepare('DELETE FROM events WHERE device_id <> ? AND projected = 1').run(ownDeviceId);
    settings.set(ONE_COPY_KEY, '1');
  }).immediate();
}

/**
 * HQ's clock follows the newest HLC its projections folded (stored with the cursor), so what HQ
 * decides sorts after everything its projections showed. The projection store's own log holds only
 * HQ's events now, so opening the store (which resumes from its newest event) is not enough.
 */
export function followFoldClock(store: Pick<Store, 'db' | 'clock'>): void {
  const hlc = store.db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(FOLD_HLC_KEY)?.value;
  if (hlc) store.clock.receive(hlc);
}

export function storedToEnvelope(e: StoredEvent): EventEnvelope {
  return {
    eventId: e.eventId,
    deviceId: e.deviceId,
    deviceSeq: e.deviceSeq,
    hlc: e.hlc,
    type: e.type,
    schemaVersion: e.schemaVersion,
    actorId: e.actorId,
    stopId: e.stopId,
    recordedAt: e.recordedAt,
    payload: JSON.parse(e.payloadText) as Record<string, unknown>,
  };
}

/**
 * Folds pages of HQ's log into its projection store, each step with its cursor in one transaction
 * (a crash between a push and its fold is caught up from the cursor; a step is folded once).
 * Other devices' events go straight into the projections: the projection store keeps no second
 * copy of them. HQ's own events and events it cannot project yet go through `EventStore.ingest`
 * as before (stored, idempotent: HQ's own were stored and projected when HQ wrote them).
 * Each payload is parsed from its stored text and run through its schema once here (defaults and
 * trimming, as a laptop's ingest does); the push validated it already.
 */
export class HqFolder {
  private readonly projector: Projector;
  private readonly settings;
  private readonly bumpStop;

  constructor(
    private readonly db: Db,
    private readonly events: EventStore,
    private readonly ownDeviceId: string,
  ) {
    this.projector = createProjector(db);
    this.settings = createSettingsQueries(db);
    this.bumpStop = db.prepare<[string, string, number, string]>(
      `INSERT INTO hq_device_stops (device_id, stop_id, events, last_hlc) VALUES (?, ?, ?, ?)
       ON CONFLICT (device_id, stop_id) DO UPDATE SET events = events + excluded.events, last_hlc = MAX(last_hlc, excluded.last_hlc)`,
    );
  }

  get cursor(): string {
    return this.settings.get(CURSOR_KEY) ?? '0';
  }

  /** Folds `step` (consecutive events of the log) and stores `cursor`; answers the newest HLC folded. */
  fold(step: readonly StoredEvent[], cursor: string): string | null {
    return this.db.transaction(() => {
      let newest: string | null = null;
      const stored: EventEnvelope[] = [];
      const stops = new Map<string, { device: string; stop: string; n: number; hlc: string }>();
      for (const e of step) {
        if (newest === null || e.hlc > newest) newest = e.hlc;
        if (e.stopId !== null) {
          const key = `${e.deviceId}\u0000${e.stopId}`;
          const s = stops.get(key);
          if (!s) stops.set(key, { device: e.deviceId, stop: e.stopId, n: 1, hlc: e.hlc });
          else {
            s.n++;
            if (e.hlc > s.hlc) s.hlc = e.hlc;
          }
        }
        const known = e.type in EVENT_PAYLOADS && e.schemaVersion <= CURRENT_SCHEMA_VERSION;
        if (!known || e.deviceId === this.ownDeviceId) {
          stored.push(storedToEnvelope(e));
          continue;
        }
        const parsed = EVENT_PAYLOADS[e.type as EventType].safeParse(JSON.parse(e.payloadText));
        if (!parsed.success) throw new Error(`Event ${e.eventId} (${e.type}) in HQ's log has an invalid payload`);
        const env = storedToEnvelope({ ...e, payloadText: 'null' });
        this.projector.apply({ ...env, payload: parsed.data } as unknown as TypedEvent<EventType>);
      }
      if (stored.length > 0) this.events.ingest(stored, { envelopesParsed: true });
      for (const s of stops.values()) this.bumpStop.run(s.device, s.stop, s.n, s.hlc);
      this.settings.set(CURSOR_KEY, cursor);
      if (newest !== null) {
        const prev = this.settings.get(FOLD_HLC_KEY);
        if (prev === null || newest > prev) this.settings.set(FOLD_HLC_KEY, newest);
      }
      return newest;
    }).immediate();
  }
}

/** Where a fold thread reads HQ's log with a connection of its own. */
export type LogSource = { kind: 'sqlite'; file: string; keyHex: string | null } | { kind: 'postgres'; url: string };

export interface LogReader {
  page(afterCursor: string, limit: number): Promise<PullPage>;
  close(): Promise<void>;
}

/** Payload characters a page read by the fold thread holds at most (past its first event). */
const PAGE_BYTES = 1024 * 1024;

/** A read-only reader of HQ's log (the fold thread's own connection). */
export async function openLogReader(source: LogSource): Promise<LogReader> {
  if (source.kind === 'sqlite') {
    const db = openSqlite(source.file, { readonly: true, key: source.keyHex ? Buffer.from(source.keyHex, 'hex') : undefined });
    const pull = db.prepare<[number], EventTableRow & { server_seq: number }>('SELECT * FROM events WHERE server_seq > ? ORDER BY server_seq');
    return {
      // Row by row, up to `limit` events or PAGE_BYTES of payload: a page of import slices (~90 KB
      // each) stays small, so the thread's heap does.
      async page(after, limit) {
        const events: (StoredEvent & { serverSeq: string })[] = [];
        let bytes = 0;
        let more = false;
        for (const r of pull.iterate(Number(after))) {
          if (events.length >= limit || bytes >= PAGE_BYTES) {
            more = true;
            break;
          }
          events.push({ serverSeq: String(r.server_seq), ...storedFromRow(r) });
          bytes += r.payload.length;
        }
        return { events, cursor: events.length > 0 ? events[events.length - 1]!.serverSeq : after, hasMore: more };
      },
      async close() {
        db.close();
      },
    };
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: source.url, max: 1 });
  pool.on('error', () => {
    /* an idle client lost its connection: the pool replaces it */
  });
  return {
    async page(after, limit) {
      const rows = (await pool.query<EventTableRow & { server_seq: string }>('SELECT * FROM events WHERE server_seq > $1 ORDER BY server_seq LIMIT $2', [after, limit])).rows;
      const last = rows[rows.length - 1];
      return { events: rows.map((r) => ({ serverSeq: r.server_seq, ...storedFromRow(r) })), cursor: last ? last.server_seq : after, hasMore: rows.length === limit };
    },
    async close() {
      await pool.end();
    },
  };
}


/**
 * Folds every event of the log after the folder's cursor, in pages of `pageEvents` read from the
 * log (an import slice is ~90 KB: a page of them is bounded by its count) and steps of at most
 * `stepBytes` of payload (one transaction each, with its cursor). `between` runs before each step
 * (the in-process fold waits there for a quiet moment); `progress` after each.
 */
export async function foldPass(
  folder: HqFolder,
  log: Pick<LogReader, 'page'>,
  { stepBytes, pageEvents }: { stepBytes: number; pageEvents: number },
  progress: (cursor: string, hlc: string | null) => void = () => undefined,
  between: () => Promise<void> = async () => undefined,
): Promise<number> {
  let n = 0;
  for (;;) {
    const page = await log.page(folder.cursor, pageEvents);
    let from = 0;
    while (from < page.events.length) {
      let to = from;
      let bytes = 0;
      while (to < page.events.length && (to === from || bytes + page.events[to]!.payloadText.length <= stepBytes)) bytes += page.events[to++]!.payloadText.length;
      await between();
      const step = page.events.slice(from, to);
      const cursor = to === page.events.length ? page.cursor : step[step.length - 1]!.serverSeq;
      const hlc = folder.fold(step, cursor);
      progress(cursor, hlc);
      n += step.length;
      from = to;
    }
    if (!page.hasMore) return n;
  }
}

/** The main thread's request to the fold thread: fold everything accepted so far. */
export interface FoldRequest {
  id: number;
}

export type FoldReply =
  | { ready: true }
  | { progress: true; cursor: string; hlc: string | null }
  | { id: number; ok: true; n: number; cursor: string }
  | { id: number; ok: false; message: string };
