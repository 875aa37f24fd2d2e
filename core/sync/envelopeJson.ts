import type { StoredEventRow } from '../store/eventStore';

/** The envelope fields of an event (everything but its payload), as the sync wire carries them. */
export interface EnvelopeHead {
  eventId: string;
  deviceId: string;
  deviceSeq: number;
  hlc: string;
  type: string;
  schemaVersion: number;
  actorId: string | null;
  stopId: string | null;
  recordedAt: string;
}

/**
 * An event as the JSON text of an `EventEnvelope`, with the payload spliced in as the JSON text the
 * log stored (written by `JSON.stringify`, so it is valid JSON and re-serialises to the same text):
 * a push or a pull answer never parses and re-serialises a payload (an import slice is ~75 KB).
 * Equal to `JSON.stringify(envelope)` with the same key order.
 */
export function envelopeJson(e: EnvelopeHead, payloadText: string): string {
  return `{"eventId":${JSON.stringify(e.eventId)},"deviceId":${JSON.stringify(e.deviceId)},"deviceSeq":${e.deviceSeq},"hlc":${JSON.stringify(e.hlc)},"type":${JSON.stringify(e.type)},"schemaVersion":${e.schemaVersion},"actorId":${JSON.stringify(e.actorId)},"stopId":${JSON.stringify(e.stopId)},"recordedAt":${JSON.stringify(e.recordedAt)},"payload":${payloadText}}`;
}

/** The same for a row of the log (the app's `events` table). */
export function rowJson(r: StoredEventRow): string {
  return envelopeJson(
    { eventId: r.event_id, deviceId: r.device_id, deviceSeq: r.device_seq, hlc: r.hlc, type: r.type, schemaVersion: r.schema_version, actorId: r.actor_id, stopId: r.stop_id, recordedAt: r.recorded_at },
    r.payload,
  );
}
