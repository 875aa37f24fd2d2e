import { AppError } from '../../shared/errors';
import type { EventEnvelope } from '../../shared/events/envelope';
import {
  DigestResponse,
  EnrollResponse,
  HqErrorBody,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_PULL_LIMIT,
  PullResponse,
  PushResponse,
} from '../../shared/sync/hqProtocol';
import type { Store } from '../store/openStore';
import { createSyncQueries, type SyncKeys, type SyncQueries } from '../store/queries/syncQueries';
import { countConflicts } from './conflicts';
import { JsonText, NetworkError, type HqResponse, type HqTransport } from './hqTransport';

export interface SyncProgress {
  phase: 'push' | 'pull';
  /** Own events HQ acknowledged during this run, and how many there were to send at the start. */
  sent: number;
  toSend: number;
  /** Events from other devices applied during this run. */
  received: number;
}

export interface SyncSummary {
  sent: number;
  received: number;
  conflicts: number;
}

export interface DigestCheck {
  /** True when HQ holds exactly this laptop's events: same count, same last sequence, same hash chain. */
  ok: boolean;
  localCount: number;
  hqCount: number;
  localMaxSeq: number;
  hqMaxSeq: number;
}

/** Points where the simulation makes the laptop "crash" (throw), to prove nothing is lost or doubled. */
export interface SyncFailPoints {
  /** After HQ acknowledged a batch, before the laptop stored the acknowledgement. */
  afterAckBeforeStore?: () => void;
  /** Inside the pull transaction, after the events were applied, before the cursor was stored. */
  afterApplyBeforeCursor?: () => void;
}

export interface SyncClientOptions {
  onProgress?: (p: SyncProgress) => void;
  failPoints?: SyncFailPoints;
  batchEvents?: number;
  batchBytes?: number;
  pullLimit?: number;
  /** Which target's acknowledged sequence and pull cursor (default HQ's; a venue hub has its own). */
  keys?: SyncKeys;
}

/** Turns an HQ answer that is not a success into the app's translated error codes. */
export function hqError(res: HqResponse): AppError {
  const parsed = HqErrorBody.safeParse(res.body);
  const err = parsed.success ? parsed.data.error : { code: 'INTERNAL' as const, message: `HQ answered ${res.status}`, details: undefined };
  const details = { hqCode: err.code, message: err.message, status: res.status, ...(err.details ?? {}) };
  if (res.status >= 500) return new AppError('SYNC_HQ_ERROR', err.message, details);
  switch (err.code) {
    case 'REVOKED':
      return new AppError('SYNC_REVOKED', err.message, details);
    case 'UNAUTHORIZED':
      return new AppError('SYNC_UNAUTHORIZED', err.message, details);
    case 'EVENT_IN_FUTURE':
      return new AppError('SYNC_CLOCK_AHEAD', err.message, details);
    case 'CODE_INVALID':
      return new AppError('SYNC_BAD_CODE', err.message, details);
    case 'DEVICE_EXISTS':
      return new AppError('SYNC_DEVICE_EXISTS', err.message, details);
    case 'RATE_LIMITED':
      return new AppError('SYNC_RATE_LIMITED', err.message, { ...details, minutes: Math.max(1, Math.ceil(Number(err.details?.retry_after_s ?? 60) / 60)) });
    default:
      return new AppError('SYNC_REFUSED', err.message, details);
  }
}

async function call(transport: HqTransport, method: 'GET' | 'POST', path: string, body: unknown, token: string | null): Promise<HqResponse> {
  try {
    return await transport.request(method, path, body, token);
  } catch (err) {
    if (err instanceof NetworkError) throw new AppError('SYNC_OFFLINE', err.message, { network: err.message });
    throw err;
  }
}

/** Exchanges a one-time enrollment code for this device's token (not stored here: the caller stores it). */
export async function enrollDevice(transport: HqTransport, deviceId: string, code: string, label: string): Promise<string> {
  const res = await call(transport, 'POST', '/v1/devices/enroll', { code, device_id: deviceId, label }, null);
  if (res.status !== 200) throw hqError(res);
  const parsed = EnrollResponse.safeParse(res.body);
  if (!parsed.success || parsed.data.device_id !== deviceId) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the enrollment with something unexpected');
  return parsed.data.token;
}

/**
 * The laptop's side of the protocol (docs/sync.md). Push: own events after the acknowledged
 * sequence, in batches; the acknowledgement is stored as soon as it arrives, so a drop loses no
 * acknowledged progress. Pull: pages of other devices' events, applied in ONE transaction with
 * the new cursor. Both are idempotent, so any crash or retry is safe.
 */
export class SyncClient {
  private readonly q: SyncQueries;
  private readonly opts: SyncClientOptions;

  constructor(
    private readonly store: Store,
    private readonly transport: HqTransport,
    private readonly token: string,
    opts: SyncClientOptions = {},
  ) {
    this.q = createSyncQueries(store.db, opts.keys);
    this.opts = opts;
  }

  async sync(): Promise<SyncSummary> {
    const progress: SyncProgress = { phase: 'push', sent: 0, toSend: Math.max(0, this.q.ownMaxSeq(this.store.deviceId) - this.q.ackedSeq()), received: 0 };
    const sent = await this.push(progress);
    progress.phase = 'pull';
    const { received, conflicts } = await this.pull(progress);
    return { sent, received, conflicts };
  }

  async push(progress?: SyncProgress): Promise<number> {
    const limit = Math.min(this.opts.batchEvents ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
    const maxBytes = Math.min(this.opts.batchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES);
    let sent = 0;
    let lastGap = -1;
    let prepared: PushBatch | null = null;
    for (;;) {
      const acked = this.q.ackedSeq();
      // The batch prepared while HQ worked on the previous one is used only if it starts right after
      // what HQ acknowledged; otherwise (a gap, a partial acknowledgement) it is read again.
      const batch = prepared?.after === acked ? prepared : this.batchAfter(acked, limit, maxBytes);
      prepared = null;
      if (!batch) return sent;
      const events = batch.events;
      const pending = call(this.transport, 'POST', '/v1/sync/push', new JsonText(batch.json), this.token);
      // Overlap: read and serialise the next batch while the request is in flight (no request is sent early).
      try {
        prepared = this.batchAfter(events[events.length - 1]!.deviceSeq, limit, maxBytes);
      } catch {
        prepared = null;
      }
      const res = await pending;
      if (res.status === 409 && isGap(res.body)) {
        // HQ holds a different prefix than we believe: continue from what it says it has.
        const expected = (res.body as { error: { details: { expected_seq: number } } }).error.details.expected_seq;
        if (expected === lastGap) throw new AppError('SYNC_HQ_ERROR', `HQ keeps asking for sequence ${expected}`);
        lastGap = expected;
        prepared = null;
        this.store.events.transaction(() => this.q.set(this.q.keys.ackedSeq, String(Math.max(0, expected - 1))));
        continue;
      }
      if (res.status !== 200) throw hqError(res);
      const ok = PushResponse.safeParse(res.body);
      if (!ok.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the push with something unexpected');
      this.opts.failPoints?.afterAckBeforeStore?.();
      const through = Math.min(ok.data.acked_through_seq, events[events.length - 1]!.deviceSeq);
      if (through > acked) this.q.set(this.q.keys.ackedSeq, String(through));
      sent += ok.data.added;
      if (progress) {
        progress.sent = Math.min(progress.toSend, progress.sent + Math.max(0, through - acked));
        this.opts.onProgress?.({ ...progress });
      }
    }
  }

  /** Own events after `after`, serialised once and kept under the byte limit (halved until it fits; one event always fits its schema). */
  private batchAfter(after: number, limit: number, maxBytes: number): PushBatch | null {
    const deviceId = this.store.deviceId;
    let events = this.store.events.eventsOfDevice(deviceId, after, limit);
    if (events.length === 0) return null;
    let json = JSON.stringify({ device_id: deviceId, events });
    while (events.length > 1 && Buffer.byteLength(json) > maxBytes) {
      events = events.slice(0, Math.ceil(events.length / 2));
      json = JSON.stringify({ device_id: deviceId, events });
    }
    return { after, events, json };
  }

  private async pullPage(cursor: string, limit: number): Promise<PullResponse> {
    const res = await call(this.transport, 'POST', '/v1/sync/pull', { cursor, limit }, this.token);
    if (res.status !== 200) throw hqError(res);
    const parsed = PullResponse.safeParse(res.body);
    if (!parsed.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the pull with something unexpected');
    return parsed.data;
  }

  async pull(progress?: SyncProgress): Promise<{ received: number; conflicts: number }> {
    let received = 0;
    let conflicts = 0;
    const limit = Math.min(this.opts.pullLimit ?? MAX_PULL_LIMIT, MAX_PULL_LIMIT);
    let pending: Promise<PullResponse> = this.pullPage(this.q.pullCursor(), limit);
    for (;;) {
      const page = await pending;
      if (page.has_more) {
        // Ask for the next page now, so HQ prepares it while this laptop applies this one. Pages are
        // still applied one after the other, each with its cursor; a failed apply drops the answer.
        pending = this.pullPage(page.cursor, limit);
        pending.catch(() => undefined);
      }
      const foreign: EventEnvelope[] = page.events.filter((e) => e.deviceId !== this.store.deviceId);
      // The events and the cursor that covers them land together, or neither does.
      const added = this.store.events.transaction(() => {
        const report = this.store.events.ingest(foreign, { envelopesParsed: true });
        const c = report.added > 0 ? countConflicts(this.store.db, foreign) : 0;
        this.opts.failPoints?.afterApplyBeforeCursor?.();
        if (BigInt(page.cursor) > BigInt(this.q.pullCursor())) this.q.set(this.q.keys.pullCursor, page.cursor);
        return { added: report.added, conflicts: c };
      });
      received += added.added;
      conflicts += added.conflicts;
      if (progress) {
        progress.received += added.added;
        this.opts.onProgress?.({ ...progress });
      }
      if (!page.has_more) return { received, conflicts };
    }
  }

  async digestCheck(): Promise<DigestCheck> {
    const deviceId = this.store.deviceId;
    const res = await call(this.transport, 'GET', `/v1/sync/digest?device=${encodeURIComponent(deviceId)}`, undefined, this.token);
    if (res.status !== 200) throw hqError(res);
    const parsed = DigestResponse.safeParse(res.body);
    if (!parsed.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the digest with something unexpected');
    const hq = parsed.data.devices.find((d) => d.device_id === deviceId) ?? { count: 0, max_seq: 0, hash: '' };
    const local = this.q.ownDigest(deviceId);
    return {
      ok: local.count === hq.count && local.maxSeq === hq.max_seq && (local.count === 0 || local.hash === hq.hash),
      localCount: local.count,
      hqCount: hq.count,
      localMaxSeq: local.maxSeq,
      hqMaxSeq: hq.max_seq,
    };
  }
}

interface PushBatch {
  /** The acknowledged sequence this batch follows. */
  after: number;
  events: EventEnvelope[];
  json: string;
}

function isGap(body: unknown): boolean {
  const p = HqErrorBody.safeParse(body);
  return p.success && p.data.error.code === 'GAP' && typeof p.data.error.details?.expected_seq === 'number';
}
