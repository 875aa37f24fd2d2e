import { z } from 'zod';
import { EventEnvelope } from '../events/envelope';

/**
 * The wire protocol between a laptop and HQ (docs/sync.md). Both sides validate with these
 * schemas: the server every request, the client every answer.
 */
export const PROTOCOL_VERSION = 1;
/**
 * A push batch holds at most this many events… (what every HQ takes: a laptop's first batch, and
 * every batch to an HQ whose answers name no larger limit)
 */
export const MAX_BATCH_EVENTS = 1000;
/** …and its JSON body (before gzip) at most this many bytes. */
export const MAX_BATCH_BYTES = 1024 * 1024;
/**
 * What this HQ takes (issue #20), announced in every push answer (`batch`): the laptop sends its
 * following batches up to these limits. Each batch is one transaction with one fsync at HQ and
 * rewrites the log's `event_id` index pages it touches (random UUIDs: nearly all of them), so
 * fewer, larger batches cost HQ less per event.
 */
export const HQ_BATCH_EVENTS = 5_000;
/** Kept moderate: HQ buffers each request's whole body before it parses it, and many desks may push at once. */
export const HQ_BATCH_BYTES = 2 * 1024 * 1024;
export const MAX_PULL_LIMIT = 1000;
/** A pull page ends early once its events' JSON passes this many bytes (an import slice is ~75 KB). */
export const MAX_PULL_BYTES = 4 * 1024 * 1024;
/** Events stamped further ahead of HQ's clock than this are refused. */
export const MAX_FUTURE_MS = 24 * 3600_000;

/**
 * The device HQ writes institutions' lead outcomes as (issue #21): its events live in HQ's log (durable, folded
 * into HQ's projections, backed up with it) but HQ never hands them to a desk or a hub, and nobody else may
 * push or enroll as it.
 */
export const HQ_LEADS_DEVICE_ID = 'hq-leads';

export const DeviceId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'device id has characters it may not');

export const EnrollRequest = z.object({
  code: z.string().trim().min(4).max(64),
  device_id: DeviceId,
  label: z.string().trim().max(100).default(''),
  /**
   * The laptop holds the demo tour (`npm start` without --no-demo): HQ, if it serves the demo (the
   * `npm run hq` program), publishes its own copy of the demo's events, so what the desk shows of its
   * stop is what HQ's dashboard shows after the sync (docs/sync.md, "The demo desk and HQ").
   */
  holds_demo: z.boolean().optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;
export const EnrollResponse = z.object({ device_id: DeviceId, token: z.string().min(20), protocol: z.number().int() });
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const PushRequest = z.object({
  device_id: DeviceId,
  events: z.array(EventEnvelope).min(1).max(HQ_BATCH_EVENTS),
});
export type PushRequest = z.infer<typeof PushRequest>;
export const PushResponse = z.object({
  acked_through_seq: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** The largest batch this HQ takes (an older HQ omits it: MAX_BATCH_EVENTS / MAX_BATCH_BYTES then). */
  batch: z.object({ max_events: z.number().int().positive(), max_bytes: z.number().int().positive() }).optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/** The pull cursor is HQ's own commit sequence, as a decimal string (it may outgrow 2^53 one day). */
export const PullCursor = z.string().regex(/^\d{1,19}$/);
export const PullRequest = z.object({
  cursor: PullCursor.default('0'),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).default(MAX_PULL_LIMIT),
});
export type PullRequest = z.infer<typeof PullRequest>;
export const PullResponse = z.object({
  events: z.array(EventEnvelope),
  cursor: PullCursor,
  has_more: z.boolean(),
  /** HQ's highest server sequence when it answered (for the laptop's progress; older HQs omit it). */
  high_water: PullCursor.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

export const DeviceDigest = z.object({
  device_id: z.string(),
  count: z.number().int().nonnegative(),
  max_seq: z.number().int().nonnegative(),
  hash: z.string(),
});
export type DeviceDigest = z.infer<typeof DeviceDigest>;
export const DigestResponse = z.object({ devices: z.array(DeviceDigest), server_seq: PullCursor });
export type DigestResponse = z.infer<typeof DigestResponse>;

/**
 * `GET /v1/sync/stop-digest?stop=ID`: HQ's digest of a stop's events (core/sync/stopDigest.ts), the
 * proof a laptop needs before it purges the stop's personal data. A venue hub answers only with
 * HQ's confirmation (`source: 'hub'` when its own copy equals HQ's; otherwise 409 NOT_CONFIRMED).
 */
export const StopDigestResponse = z.object({ stop_id: z.string(), event_count: z.number().int().nonnegative(), digest: z.string(), source: z.enum(['hq', 'hub']) });
export type StopDigestResponse = z.infer<typeof StopDigestResponse>;

/** A venue hub's link to HQ (hq/server/hub/upstream.ts), as its health answer reports it to the desks. */
export const HubUpstreamHealth = z.object({
  configured: z.boolean(),
  last_ok_at: z.string().nullable(),
  /** Events the hub holds that HQ has not acknowledged. */
  pending: z.number().int().nonnegative(),
  last_error_code: z.string().nullable(),
  /** Devices HQ would not take from the hub in the last round (or whose HQ history does not continue the hub's). */
  stuck: z.array(z.object({ device_id: z.string(), reason: z.string() })).default([]),
});
export type HubUpstreamHealth = z.infer<typeof HubUpstreamHealth>;

/** `GET /v1/health` (no token needed): HQ or hub, and for a hub its link to HQ. */
export const HealthResponse = z.object({
  ok: z.boolean(),
  protocol: z.number().int(),
  storage: z.string(),
  role: z.enum(['hq', 'hub']).default('hq'),
  upstream: HubUpstreamHealth.optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** What a device may do: a desk pushes only its own events; a hub (role set by HQ's enrollment code) relays other devices' events. */
export const DEVICE_ROLES = ['desk', 'hub'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

/** Codes HQ answers with (HTTP status in brackets). */
export const HQ_ERROR_CODES = [
  'VALIDATION', // 400: the body does not match the schema
  'UNSUPPORTED_ENCODING', // 415
  'TOO_LARGE', // 413: body over the limit (also after gunzip)
  'UNAUTHORIZED', // 401: no or unknown token
  'REVOKED', // 401: this device's token was revoked
  'FORBIDDEN_DEVICE', // 403: pushing another device's events (only a hub relays; never HQ's own or a revoked device's)
  'GAP', // 409: {expected_seq}
  'SEQ_MISMATCH', // 409: a held sequence number carries a different event
  'DUPLICATE_EVENT_ID', // 409: the event id is held for another event
  'EVENT_IN_FUTURE', // 422: stamped more than a day ahead of HQ's clock
  'CODE_INVALID', // 400: unknown, used or expired enrollment code
  'DEVICE_EXISTS', // 409: device id enrolled already and the code is not for it
  'NOT_FOUND', // 404
  'NOT_CONFIRMED', // 409: a venue hub's copy of a stop is not (yet) the same as HQ's, or HQ cannot be asked
  'RATE_LIMITED', // 429: too many failed attempts (enrollment); Retry-After says when to try again
  'INTERNAL', // 500
] as const;
export type HqErrorCode = (typeof HQ_ERROR_CODES)[number];
export const HqErrorBody = z.object({
  error: z.object({ code: z.enum(HQ_ERROR_CODES), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});
export type HqErrorBody = z.infer<typeof HqErrorBody>;
