import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeHlc } from '../../core/sync/hlc';
import { CURRENT_SCHEMA_VERSION, EVENT_PAYLOADS, type EventType } from '../../shared/events/eventTypes';
import { DigestResponse, HQ_LEADS_DEVICE_ID, type StopDigestResponse, type DeviceRole, HQ_BATCH_BYTES, HQ_BATCH_EVENTS, MAX_FUTURE_MS, MAX_PULL_BYTES, PullRequest, PushRequest, type PushResponse } from '../../shared/sync/hqProtocol';
import { authenticate } from './auth';
import type { HqDeps } from './syncApp';
import { storedToJson } from './hqProjections';
import { sendError } from './httpErrors';
import { PUSH_ROUTE, pushBodyText, verbatimPayloads } from './pushBody';
import type { StoredEvent } from './storage';
import { stopDigestOf } from '../../core/sync/stopDigest';

function issues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

/** The device each authenticated sync request came from (the dashboard's "last sync" reads it: no second token look-up). */
const callers = new WeakMap<FastifyRequest, string>();
export function syncCaller(req: FastifyRequest): string | undefined {
  return callers.get(req);
}

/** Every sync call is authenticated; answers the device and its role, or has already answered 401. */
async function requireCaller(deps: HqDeps, req: FastifyRequest, reply: FastifyReply): Promise<{ deviceId: string; role: DeviceRole } | null> {
  const auth = await authenticate(deps.storage, req.headers.authorization);
  if (auth.ok) {
    callers.set(req, auth.deviceId);
    return { deviceId: auth.deviceId, role: auth.role };
  }
  if (auth.code === 'REVOKED') sendError(reply, 401, 'REVOKED', 'This device was revoked at HQ; ask HQ for a new enrollment code.');
  else sendError(reply, 401, 'UNAUTHORIZED', 'Missing or unknown device token; enroll this device with a code from HQ.');
  return null;
}

async function requireDevice(deps: HqDeps, req: FastifyRequest, reply: FastifyReply): Promise<string | null> {
  return (await requireCaller(deps, req, reply))?.deviceId ?? null;
}

/**
 * Whose events this push may carry: a desk only its own; a venue hub (role set by HQ's enrollment
 * code) also its desks' events, relayed under the same per-device rules, but never HQ's own
 * events and never a device HQ revoked. Answers null when allowed, else the refusal.
 */
async function relayRefusal(deps: HqDeps, caller: { deviceId: string; role: DeviceRole }, origin: string): Promise<string | null> {
  if (origin === deps.ownDeviceId || origin === HQ_LEADS_DEVICE_ID) return `Nobody pushes events of ${origin}: they are this server's own.`;
  if (origin === caller.deviceId) return null;
  if (caller.role !== 'hub') return `This token belongs to ${caller.deviceId}, not ${origin}.`;
  if (origin === deps.ownDeviceId) return `A hub may not push events of ${origin}.`;
  const info = await deps.storage.deviceInfo(origin);
  if (info?.revoked) return `Device ${origin} was revoked at HQ; its events are not taken.`;
  return null;
}

/** The largest push batch HQ takes, in every push answer: the laptop's next batches may be that large. */
const BATCH_LIMITS = { max_events: HQ_BATCH_EVENTS, max_bytes: HQ_BATCH_BYTES } as const;

export function registerSyncRoutes(app: FastifyInstance, deps: HqDeps): void {
  app.post(PUSH_ROUTE, { bodyLimit: HQ_BATCH_BYTES }, async (req, reply) => {
    const caller = await requireCaller(deps, req, reply);
    if (!caller) return reply;
    // The one validation of the batch: envelopes (PushRequest), then each known payload's schema.
    const parsed = PushRequest.safeParse(req.body);
    if (!parsed.success) return sendError(reply, 400, 'VALIDATION', `Invalid push: ${issues(parsed.error)}`);
    const body = parsed.data;
    const refusal = await relayRefusal(deps, caller, body.device_id);
    if (refusal) return sendError(reply, 403, 'FORBIDDEN_DEVICE', refusal);
    // From here on the rules are the origin device's, whoever carried the batch.
    const deviceId = body.device_id;
    // Each payload as the request carried it (the text the laptop stored), else serialised once.
    const text = pushBodyText(req);
    const verbatim = text === undefined ? null : verbatimPayloads(text, deviceId, body.events);
    const order = body.events.map((_, k) => k).sort((a, b) => body.events[a]!.deviceSeq - body.events[b]!.deviceSeq);
    const hqNow = deps.now();
    const stored: StoredEvent[] = [];
    const ids = new Set<string>();
    for (let k = 0; k < order.length; k++) {
      const e = body.events[order[k]!]!;
      if (e.deviceId !== deviceId) return sendError(reply, 403, 'FORBIDDEN_DEVICE', `A batch carries one device's events; event ${e.eventId} is from ${e.deviceId}, not ${deviceId}.`);
      const prev = k > 0 ? body.events[order[k - 1]!]! : null;
      if (prev && e.deviceSeq !== prev.deviceSeq + 1) {
        return sendError(reply, 400, 'VALIDATION', `A batch must hold consecutive sequence numbers; ${prev.deviceSeq} is followed by ${e.deviceSeq}.`);
      }
      if (ids.has(e.eventId)) return sendError(reply, 400, 'VALIDATION', `Event ${e.eventId} appears twice in the batch.`);
      ids.add(e.eventId);
      const hlc = decodeHlc(e.hlc);
      if (hlc.nodeId !== deviceId) return sendError(reply, 400, 'VALIDATION', `Event ${e.eventId}: its clock stamp names ${hlc.nodeId}, not ${deviceId}.`);
      const stamped = Math.max(hlc.wallMs, Date.parse(e.recordedAt));
      if (stamped - hqNow > MAX_FUTURE_MS) {
        return sendError(reply, 422, 'EVENT_IN_FUTURE', `Event ${e.deviceSeq} is stamped ${new Date(stamped).toISOString()}, more than a day after HQ's clock (${new Date(hqNow).toISOString()}). Fix this laptop's date and time.`, {
          event_id: e.eventId,
          device_seq: e.deviceSeq,
          stamped_at: new Date(stamped).toISOString(),
          hq_time: new Date(hqNow).toISOString(),
        });
      }
      if (e.type in EVENT_PAYLOADS && e.schemaVersion <= CURRENT_SCHEMA_VERSION) {
        const p = EVENT_PAYLOADS[e.type as EventType].safeParse(e.payload);
        if (!p.success) return sendError(reply, 400, 'VALIDATION', `Event ${e.deviceSeq} (${e.type}) has an invalid payload: ${issues(p.error)}`, { event_id: e.eventId });
      }
      // Stored exactly as the laptop stored it (its JSON text), so both sides hash the same bytes for the digest.
      stored.push({
        eventId: e.eventId,
        deviceId: e.deviceId,
        deviceSeq: e.deviceSeq,
        hlc: e.hlc,
        type: e.type,
        schemaVersion: e.schemaVersion,
        actorId: e.actorId,
        stopId: e.stopId,
        recordedAt: e.recordedAt,
        payloadText: verbatim ? verbatim[order[k]!]! : JSON.stringify(e.payload),
      });
    }
    const outcome = await deps.storage.pushBatch(deviceId, stored, new Date(hqNow).toISOString());
    if (!outcome.ok) {
      if (outcome.code === 'GAP') return sendError(reply, 409, 'GAP', `HQ expects sequence ${outcome.expectedSeq} next.`, { expected_seq: outcome.expectedSeq });
      if (outcome.code === 'SEQ_MISMATCH') return sendError(reply, 409, 'SEQ_MISMATCH', `HQ holds a different event at sequence ${outcome.deviceSeq} of this device.`, { device_seq: outcome.deviceSeq });
      return sendError(reply, 409, 'DUPLICATE_EVENT_ID', `Event id ${outcome.eventId} is already held for another event.`, { event_id: outcome.eventId });
    }
    if (outcome.added > 0) deps.onAccepted();
    const res: PushResponse = { acked_through_seq: outcome.ackedThroughSeq, added: outcome.added, duplicates: outcome.duplicates, batch: BATCH_LIMITS };
    return res;
  });

  app.post('/v1/sync/pull', async (req, reply) => {
    const deviceId = await requireDevice(deps, req, reply);
    if (!deviceId) return reply;
    const parsed = PullRequest.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(reply, 400, 'VALIDATION', `Invalid pull: ${issues(parsed.error)}`);
    // HQ's high-water mark first: the page's cursor never passes it (a push committed in between only raises it).
    const top = await deps.storage.highWater();
    const page = await deps.storage.pull(parsed.data.cursor, parsed.data.limit);
    // The device's own events are skipped (it holds them), but the cursor moves past them. The answer
    // is written as JSON text around each payload's stored JSON (no parse and re-serialise per event).
    // The page also ends once it holds MAX_PULL_BYTES (events are up to ~600 KB each); the cursor then
    // stops at the last event it covers.
    const events: string[] = [];
    // Bytes as sent (UTF-8), not string length: a Hangul name is 3 bytes a character. Counted exactly
    // only near the cap: until then 3 bytes per UTF-16 unit bound them from above (issue #20: counting
    // every event's bytes was ~4% of HQ's work on a pull of small events, which never come near it).
    let bytes = 0;
    let exact = false;
    let cursor = page.cursor;
    let hasMore = page.hasMore;
    for (const [i, e] of page.events.entries()) {
      if (bytes >= MAX_PULL_BYTES && !exact) {
        bytes = events.reduce((n, json) => n + Buffer.byteLength(json), 0);
        exact = true;
      }
      if (bytes >= MAX_PULL_BYTES) {
        cursor = page.events[i - 1]!.serverSeq;
        hasMore = true;
        break;
      }
      // A device's own events, and HQ's private lead outcomes, are not sent; the cursor moves past them.
      if (e.deviceId === deviceId || e.deviceId === HQ_LEADS_DEVICE_ID) continue;
      const json = storedToJson(e);
      bytes += exact ? Buffer.byteLength(json) : 3 * json.length;
      events.push(json);
    }
    const highWater = BigInt(top) > BigInt(cursor) ? top : cursor;
    return reply.type('application/json; charset=utf-8').send(`{"events":[${events.join(',')}],"cursor":${JSON.stringify(cursor)},"has_more":${hasMore},"high_water":${JSON.stringify(highWater)}}`);
  });

  app.get<{ Querystring: { device?: string } }>('/v1/sync/digest', async (req, reply) => {
    const deviceId = await requireDevice(deps, req, reply);
    if (!deviceId) return reply;
    const [rows, top] = await Promise.all([deps.storage.digest(req.query.device), deps.storage.highWater()]);
    const res: DigestResponse = { devices: rows.map((r) => ({ device_id: r.deviceId, count: r.count, max_seq: r.maxSeq, hash: r.hash })), server_seq: top };
    return res;
  });

  // Issue #19: a laptop purges a stop's personal data only when this digest equals its own.
  app.get<{ Querystring: { stop?: string } }>('/v1/sync/stop-digest', async (req, reply) => {
    const deviceId = await requireDevice(deps, req, reply);
    if (!deviceId) return reply;
    const stopId = req.query.stop ?? '';
    if (!stopId || stopId.length > 64) return sendError(reply, 400, 'VALIDATION', 'Name the stop: /v1/sync/stop-digest?stop=ID');
    const own = stopDigestOf(await deps.storage.stopEventIds(stopId));
    if (deps.hqStopDigest) {
      let hq: { eventCount: number; digest: string };
      try {
        hq = await deps.hqStopDigest(stopId);
      } catch (err) {
        return sendError(reply, 409, 'NOT_CONFIRMED', `The hub could not ask HQ: ${err instanceof Error ? err.message : String(err)}`, { hub_count: own.eventCount, hq_count: null });
      }
      if (hq.eventCount !== own.eventCount || hq.digest !== own.digest) {
        return sendError(reply, 409, 'NOT_CONFIRMED', `HQ does not hold the hub's copy of ${stopId} (hub ${own.eventCount} events, HQ ${hq.eventCount}).`, { hub_count: own.eventCount, hq_count: hq.eventCount });
      }
    }
    const res: StopDigestResponse = { stop_id: stopId, event_count: own.eventCount, digest: own.digest, source: deps.hqStopDigest ? 'hub' : 'hq' };
    return res;
  });
}
