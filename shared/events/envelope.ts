import { z } from 'zod';

/** An event as it is stored and as it travels between devices (sync, USB bundles). */
export const EventEnvelope = z.object({
  eventId: z.string().regex(/^[0-9a-f-]{36}$/),
  deviceId: z.string().min(1).max(64),
  deviceSeq: z.number().int().positive(),
  hlc: z.string().regex(/^\d{15}:\d{5}:[A-Za-z0-9_.:-]{1,64}$/),
  type: z.string().min(1).max(64),
  schemaVersion: z.number().int().positive(),
  actorId: z.string().max(64).nullable(),
  stopId: z.string().max(64).nullable(),
  /** Wall clock of the writing device, UTC ISO-8601; for people, the HLC is for ordering. */
  recordedAt: z.iso.datetime({ offset: false }),
  /**
   * A JSON object, checked as one only: each known type's payload schema (EVENT_PAYLOADS) validates
   * its contents where the event is taken in (issue #20: a record schema here walked and copied every
   * payload a second time, ~7% of a pull's work). Events of unknown types are stored as they came.
   */
  payload: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'payload must be a JSON object' }),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;
