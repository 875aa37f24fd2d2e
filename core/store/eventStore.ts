import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../shared/errors';
import { EventEnvelope } from '../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION, EVENT_PAYLOADS, type EventPayload, type EventPayloadInput, type EventType } from '../../shared/events/eventTypes';
import { encodeHlc, type HybridLogicalClock } from '../sync/hlc';
import { createHash } from 'node:crypto';
import type { Projector } from './projections/index';
import type { ApplyHints, TypedEvent } from './projections/projection';
import { GroupCommit } from './groupCommit';
import type { Db } from './sqlite';
import { createUuidV7Source } from './uuidV7';

/** `wallMs:counter` of an encoded HLC: the part that orders stamps. */
const HLC_ORDER_CHARS = 21;

const PAGE = 2000;
/** Events written, then projected, per step of a bulk append. */
const BULK_CHUNK = 4096;

/** An event as SQLite stores it (the columns every event log shares: the app's and HQ's). */
export interface StoredEventRow {
  event_id: string;
  device_id: string;
  device_seq: number;
  hlc: string;
  type: string;
  schema_version: number;
  actor_id: string | null;
  stop_id: string | null;
  recorded_at: string;
  payload: string;
}

interface EventRow extends StoredEventRow {
  local_seq: number;
}

export interface AppendContext {
  actorId?: string | null;
  stopId?: string | null;
}

/** One event of a bulk append (`appendMany`). */
export interface BulkEvent<T extends EventType = EventType> {
  type: T;
  payload: EventPayload<T>;
  /** Passed to the projection: e.g. `fresh` when the event creates an aggregate no event named before. */
  hints?: ApplyHints;
  /**
   * The payload's JSON, when another thread of the import already validated the payload with the
   * same schema (`EVENT_PAYLOADS[type]`) and `payload` was parsed back from this text (see
   * core/import/importWriter.ts): stored as given, neither validated nor serialised again.
   */
  json?: string;
  /** How many plain events this one is worth in work (a slice of an import: its rows); sets how often the projection runs. */
  weight?: number;
}

export interface IngestReport {
  /** Events new to this store (stored now). */
  added: number;
  /** Events it already held: skipped, so a batch delivered twice changes nothing. */
  duplicates: number;
  /** Stored but not projected: a newer schema or an unknown type (projected after an upgrade). */
  deferred: number;
}

export interface IngestOptions {
  /** The caller validated the envelopes with the shared `EventEnvelope` schema already (e.g. inside `PullResponse`); payloads are still validated here. */
  envelopesParsed?: boolean;
}

/**
 * An incoming event's payload through its type's schema (defaults filled in), for every ingest path.
 * `known`: a type and schema version this app projects; anything else is stored as received, unprojected.
 */
export function checkedPayload(env: Pick<EventEnvelope, 'eventId' | 'type' | 'schemaVersion' | 'payload'>): { known: boolean; payload: unknown } {
  const known = env.type in EVENT_PAYLOADS && env.schemaVersion <= CURRENT_SCHEMA_VERSION;
  if (!known) return { known, payload: env.payload };
  const parsed = EVENT_PAYLOADS[env.type as EventType].safeParse(env.payload);
  if (!parsed.success) throw new AppError('VALIDATION', `Event ${env.eventId} (${env.type}) has an invalid payload`);
  return { known, payload: parsed.data };
}

export function rowToEnvelope(r: StoredEventRow): EventEnvelope {
  return {
    eventId: r.event_id,
    deviceId: r.device_id,
    deviceSeq: r.device_seq,
    hlc: r.hlc,
    type: r.type,
    schemaVersion: r.schema_version,
    actorId: r.actor_id,
    stopId: r.stop_id,
    recordedAt: r.recorded_at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  };
}

/**
 * The append-only event log and its projections, written in one transaction: an event is never
 * stored without its effect, nor an effect without its event.
 */
export class EventStore {
  private readonly insertEvent;
  private readonly nextSeqStmt;
  private readonly nextLocalSeqStmt;
  private readonly maxHlcStmt;
  private readonly byDeviceStmt;
  private readonly firstPageStmt;
  private readonly pageAfterStmt;
  private readonly deferredStmt;
  private readonly markProjected;
  private readonly insertEventPositional;
  private readonly nextEventId: () => string;
  private group: GroupCommit | null = null;

  constructor(
    private readonly db: Db,
    readonly deviceId: string,
    private readonly clock: HybridLogicalClock,
    private readonly projector: Projector,
    private readonly wallClock: () => number = Date.now,
  ) {
    this.insertEvent = db.prepare(`
      INSERT OR IGNORE INTO events (event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, projected, local_seq)
      VALUES (@eventId, @deviceId, @deviceSeq, @hlc, @type, @schemaVersion, @actorId, @stopId, @recordedAt, @payload, @projected, @localSeq)`);
    this.nextSeqStmt = db.prepare<[string], { s: number }>('SELECT COALESCE(MAX(device_seq), 0) + 1 AS s FROM events WHERE device_id = ?');
    this.nextLocalSeqStmt = db.prepare<[], { s: number }>('SELECT COALESCE(MAX(local_seq), 0) + 1 AS s FROM events');
    this.maxHlcStmt = db.prepare<[], { h: string | null }>('SELECT MAX(hlc) AS h FROM events');
    this.byDeviceStmt = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT ?',
    );
    this.firstPageStmt = db.prepare<[], EventRow>(`SELECT * FROM events WHERE projected = 1 ORDER BY hlc, device_id, device_seq LIMIT ${PAGE}`);
    this.pageAfterStmt = db.prepare<[string, string, string, string, string, number], EventRow>(
      `SELECT * FROM events WHERE projected = 1 AND (hlc > ? OR (hlc = ? AND device_id > ?) OR (hlc = ? AND device_id = ? AND device_seq > ?))
       ORDER BY hlc, device_id, device_seq LIMIT ${PAGE}`,
    );
    this.deferredStmt = db.prepare<[], EventRow>('SELECT * FROM events WHERE projected = 0 ORDER BY hlc, device_id, device_seq');
    this.markProjected = db.prepare<[string]>('UPDATE events SET projected = 1 WHERE event_id = ?');
    this.insertEventPositional = db.prepare<[string, string, number, string, string, number, string | null, string | null, string, string, number]>(`
      INSERT INTO events (event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, projected, local_seq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`);
    this.nextEventId = createUuidV7Source(wallClock);
  }

  /** Runs `fn` in one transaction: all its appends land together or none do. Nested calls join it. */
  transaction<T>(fn: () => T): T {
    // Inside an open transaction, join it rather than nesting a savepoint per call: an import
    // appends hundreds of thousands of events in one transaction, and savepoints cost ~4× the insert.
    // A throw still rolls back the whole outer transaction, which is what every caller wants.
    if (this.db.inTransaction) return fn();
    // IMMEDIATE: take the write lock up front. The import worker writes through its own connection,
    // and a deferred transaction that read before another connection committed could not write after.
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs `fn` (synchronous, as in `transaction`) in this turn's group commit (core/store/groupCommit.ts):
   * the writes of every caller of this turn share one transaction and one fsync, each in its own
   * savepoint, so one caller's throw undoes only its own writes. Resolves once the group's commit
   * returned (the write is durable), rejects with what `fn` threw or with the group's commit error.
   * For small writes many clients make at once (check-ins); a caller that must read its own write
   * back before answering does so inside `fn`.
   */
  grouped<T>(fn: () => T): Promise<T> {
    this.group ??= new GroupCommit(this.db);
    return this.group.run(fn);
  }

  /** Commits the grouped writes queued so far now (before the store closes). */
  flushGrouped(): void {
    this.group?.flush();
  }

  /** Writes a local event and its projection in one transaction. */
  append<T extends EventType>(type: T, payload: EventPayloadInput<T>, ctx: AppendContext = {}): TypedEvent<T> {
    const parsed = EVENT_PAYLOADS[type].safeParse(payload);
    if (!parsed.success) {
      throw new AppError('VALIDATION', `Invalid ${type} payload: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    return this.transaction(() => {
      this.followLog();
      const deviceSeq = this.nextSeqStmt.get(this.deviceId)!.s;
      const event: TypedEvent<T> = {
        eventId: uuidv7(),
        deviceId: this.deviceId,
        deviceSeq,
        hlc: this.clock.now(),
        type,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        actorId: ctx.actorId ?? null,
        stopId: ctx.stopId ?? null,
        recordedAt: new Date(this.wallClock()).toISOString(),
        payload: parsed.data as EventPayload<T>,
      };
      // Positional parameters: binding by name costs a lookup per column on every check-in.
      this.insertEventPositional.run(event.eventId, event.deviceId, deviceSeq, event.hlc, type, CURRENT_SCHEMA_VERSION, event.actorId, event.stopId, event.recordedAt, JSON.stringify(event.payload), this.nextLocalSeqStmt.get()!.s);
      this.projector.apply(event as unknown as TypedEvent<EventType>);
      return event;
    });
  }

  /**
   * Writes many local events and their projections in one transaction (or the caller's): the same
   * envelopes, validation and HLC stamps as `append` once per event, but with the sequence numbers
   * read once, one prepared INSERT and pooled id randomness. Any invalid payload throws before
   * anything is kept (the whole transaction rolls back). Returns the number of events written.
   */
  appendMany(items: Iterable<BulkEvent>, ctx: AppendContext = {}): number {
    const actorId = ctx.actorId ?? null;
    const stopId = ctx.stopId ?? null;
    return this.transaction(() => {
      this.followLog();
      let deviceSeq = this.nextSeqStmt.get(this.deviceId)!.s;
      let localSeq = this.nextLocalSeqStmt.get()!.s;
      let wallMs = Number.NaN;
      let recordedAt = '';
      let written = 0;
      // Projections are order independent, so a chunk's events fold in after its log rows, one
      // event type at a time: each pass keeps to one table's pages instead of alternating between
      // a dozen B-trees, and the chunk's objects die young. `fresh` events go first: they name no
      // earlier event's aggregate, while later events may name theirs (and must find the row).
      type Pending = { event: TypedEvent<EventType>; hints: ApplyHints | undefined };
      const pending = new Map<string, Pending[]>();
      let inChunk = 0;
      const project = (): void => {
        for (const fresh of [true, false]) {
          for (const [key, list] of pending) {
            if (key.startsWith('fresh:') !== fresh) continue;
            for (const p of list) this.projector.apply(p.event, p.hints);
            list.length = 0;
          }
        }
        inChunk = 0;
      };
      for (const item of items) {
        let payload = item.payload;
        let json = item.json;
        if (json === undefined) {
          const parsed = EVENT_PAYLOADS[item.type].safeParse(item.payload);
          if (!parsed.success) {
            throw new AppError('VALIDATION', `Invalid ${item.type} payload: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
          }
          payload = parsed.data as EventPayload<EventType>;
          json = JSON.stringify(payload);
        }
        const wall = this.wallClock();
        if (wall !== wallMs) {
          wallMs = wall;
          recordedAt = new Date(wall).toISOString();
        }
        const event: TypedEvent<EventType> = {
          eventId: this.nextEventId(),
          deviceId: this.deviceId,
          deviceSeq,
          hlc: this.clock.now(),
          type: item.type,
          schemaVersion: CURRENT_SCHEMA_VERSION,
          actorId,
          stopId,
          recordedAt,
          payload,
        };
        this.insertEventPositional.run(event.eventId, event.deviceId, deviceSeq, event.hlc, event.type, CURRENT_SCHEMA_VERSION, actorId, stopId, recordedAt, json, localSeq);
        deviceSeq++;
        localSeq++;
        written++;
        const key = item.hints?.fresh ? `fresh:${item.type}` : item.type;
        const list = pending.get(key);
        if (list) list.push({ event, hints: item.hints });
        else pending.set(key, [{ event, hints: item.hints }]);
        inChunk += item.weight ?? 1;
        if (inChunk >= BULK_CHUNK) project();
      }
      project();
      return written;
    });
  }

  /**
   * Stores events from other devices (sync pull, hub, USB bundle, demo seed) and projects them.
   * Idempotent: an event already held is skipped, whatever order or how often it arrives.
   */
  ingest(events: readonly EventEnvelope[], opts: IngestOptions = {}): IngestReport {
    const report: IngestReport = { added: 0, duplicates: 0, deferred: 0 };
    if (events.length === 0) return report;
    this.transaction(() => {
      // One read of the next local sequence per batch (this transaction is the only writer).
      let localSeq = this.nextLocalSeqStmt.get()!.s;
      // The clock merges the latest stamp once: receive() of the maximum equals receiving each in turn
      // for everything later local events see (wall and counter only grow).
      let latestHlc: string | null = null;
      for (const raw of events) {
        const env = opts.envelopesParsed ? raw : EventEnvelope.parse(raw);
        if (latestHlc === null || env.hlc > latestHlc) latestHlc = env.hlc;
        const { known, payload } = checkedPayload(env);
        const event = { ...env, payload } as unknown as TypedEvent<EventType>;
        if (!this.insert(event, known, localSeq)) {
          report.duplicates++;
          continue;
        }
        localSeq++;
        report.added++;
        if (known) this.projector.apply(event);
        else report.deferred++;
      }
      if (latestHlc !== null) this.clock.receive(latestHlc);
    });
    return report;
  }

  /** This device's own events after `afterSeq`, in order: what a push sends. */
  eventsOfDevice(deviceId: string, afterSeq: number, limit: number): EventEnvelope[] {
    return this.byDeviceStmt.all(deviceId, afterSeq, limit).map(rowToEnvelope);
  }

  /** Projects events stored earlier as deferred, once this build knows their type and version. */
  projectDeferred(): number {
    let n = 0;
    this.transaction(() => {
      for (const row of this.deferredStmt.all()) {
        if (!(row.type in EVENT_PAYLOADS) || row.schema_version > CURRENT_SCHEMA_VERSION) continue;
        this.projector.apply(rowToEnvelope(row) as unknown as TypedEvent<EventType>);
        this.markProjected.run(row.event_id);
        n++;
      }
    });
    return n;
  }

  /** Drops every projection and folds the whole log again in (hlc, device, seq) order. */
  rebuildProjections(): void {
    this.transaction(() => {
      for (const t of this.projector.tables) this.db.prepare(`DELETE FROM ${t.name}`).run();
      // Paged (keyset), since a statement cannot be iterated while the same connection writes.
      let after: EventRow | undefined;
      for (;;) {
        const page: EventRow[] = after
          ? this.pageAfterStmt.all(after.hlc, after.hlc, after.device_id, after.hlc, after.device_id, after.device_seq)
          : this.firstPageStmt.all();
        for (const row of page) this.projector.apply(rowToEnvelope(row) as unknown as TypedEvent<EventType>);
        if (page.length < PAGE) break;
        after = page[page.length - 1];
      }
    });
  }

  /** The newest HLC in the log (any device), or null for an empty log. */
  newestHlc(): string | null {
    return this.maxHlcStmt.get()?.h ?? null;
  }

  /**
   * Another connection to this file (the import worker) may have written events with later stamps
   * than this clock gave: follow the newest stored HLC so a local event never sorts before one
   * written earlier on this device. One index lookup; inside the write transaction, so nothing
   * else can write in between.
   */
  private followLog(): void {
    const top = this.maxHlcStmt.get()?.h;
    if (!top) return;
    const s = this.clock.snapshot();
    // Compare wall clock and counter only (the node id follows them in the encoding).
    if (top.slice(0, HLC_ORDER_CHARS) > encodeHlc(s.wallMs, s.counter, '').slice(0, HLC_ORDER_CHARS)) this.clock.receive(top);
  }

  /** SHA-256 over every projection table's rows in key order: equal state, equal hash. */
  projectionHash(): string {
    const h = createHash('sha256');
    for (const t of this.projector.tables) {
      h.update(`#${t.name}\n`);
      for (const row of this.db.prepare(`SELECT * FROM ${t.name} ORDER BY ${t.orderBy}`).iterate()) {
        h.update(JSON.stringify(row));
        h.update('\n');
      }
    }
    return h.digest('hex');
  }

  private insert(event: TypedEvent<EventType> | EventEnvelope, projected: boolean, localSeq = this.nextLocalSeqStmt.get()!.s): boolean {
    const info = this.insertEvent.run({
      eventId: event.eventId,
      deviceId: event.deviceId,
      deviceSeq: event.deviceSeq,
      hlc: event.hlc,
      type: event.type,
      schemaVersion: event.schemaVersion,
      actorId: event.actorId,
      stopId: event.stopId,
      recordedAt: event.recordedAt,
      payload: JSON.stringify(event.payload),
      projected: projected ? 1 : 0,
      localSeq,
    });
    return info.changes === 1;
  }
}
