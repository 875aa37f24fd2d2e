import type { EventEnvelope } from '../../shared/events/envelope';
import type { EventType } from '../../shared/events/eventTypes';
import { checkedPayload, type IngestReport } from './eventStore';
import type { Store } from './openStore';
import { perDb } from './perDb';
import { createProjector } from './projections/index';
import type { TypedEvent } from './projections/projection';
import type { Db } from './sqlite';

/** An event received from another device, with its payload's JSON text as it arrived (when the transport kept it). */
export interface IncomingEvent {
  /** Validated with the shared `EventEnvelope` schema by the caller (inside `PullResponse`); the payload is validated here. */
  envelope: EventEnvelope;
  /** The payload exactly as sent: stored verbatim. Absent: the parsed payload is serialised. */
  payloadText?: string;
}

export interface BulkIngestReport extends IngestReport {
  /** The events new to this store, in the order given. */
  addedEvents: EventEnvelope[];
}

/** Statements and projector of the bulk path, prepared once per connection. */
const writerOf = perDb((db: Db) => ({
  insert: db.prepare<[string, string, number, string, string, number, string | null, string | null, string, string, number, number]>(`
    INSERT OR IGNORE INTO events (event_id, device_id, device_seq, hlc, type, schema_version, actor_id, stop_id, recorded_at, payload, projected, local_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  nextLocalSeq: db.prepare<[], { s: number }>('SELECT COALESCE(MAX(local_seq), 0) + 1 AS s FROM events'),
  projector: createProjector(db),
}));

/**
 * The sync pull's bulk path: stores many events from other devices and folds them into the
 * projections, in the caller's transaction (or one of its own). The same rows as
 * `EventStore.ingest` event by event (idempotent: an event already held is skipped; events of an
 * unknown type or a newer schema are stored unprojected), with the work a pull page does not need
 * left out: the envelopes arrive validated (each payload is validated once, here), the payload text
 * is stored as it arrived instead of serialised again, one prepared positional INSERT, the next local
 * sequence read once, the clock merged once with the latest stamp, and the new events folded one
 * event type at a time after their log rows (projections are order independent; each pass stays in
 * one table's pages). Any invalid payload throws before the transaction commits: nothing is kept.
 */
export function ingestBulk(store: Store, events: readonly IncomingEvent[]): BulkIngestReport {
  const report: BulkIngestReport = { added: 0, duplicates: 0, deferred: 0, addedEvents: [] };
  if (events.length === 0) return report;
  const w = writerOf(store.db);
  store.events.transaction(() => {
    let localSeq = w.nextLocalSeq.get()!.s;
    let latestHlc: string | null = null;
    const byType = new Map<string, TypedEvent<EventType>[]>();
    for (const { envelope: env, payloadText } of events) {
      if (latestHlc === null || env.hlc > latestHlc) latestHlc = env.hlc;
      const { known, payload } = checkedPayload(env);
      const text = payloadText ?? JSON.stringify(payload);
      const info = w.insert.run(env.eventId, env.deviceId, env.deviceSeq, env.hlc, env.type, env.schemaVersion, env.actorId, env.stopId, env.recordedAt, text, known ? 1 : 0, localSeq);
      if (info.changes !== 1) {
        report.duplicates++;
        continue;
      }
      localSeq++;
      report.added++;
      report.addedEvents.push(env);
      if (!known) {
        report.deferred++;
        continue;
      }
      const event = { ...env, payload } as unknown as TypedEvent<EventType>;
      const list = byType.get(env.type);
      if (list) list.push(event);
      else byType.set(env.type, [event]);
    }
    for (const [type, list] of byType) w.projector.applyAll(type, list);
    if (latestHlc !== null) store.clock.receive(latestHlc);
  });
  return report;
}
