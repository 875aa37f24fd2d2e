import { AppError } from '../../shared/errors';
import type { EventEnvelope } from '../../shared/events/envelope';
import type { SyncProgress as SharedSyncProgress } from '../../shared/ipc/syncContract';
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
import { rowJson } from './envelopeJson';
import { JsonText, NetworkError, type HqResponse, type HqTransport } from './hqTransport';

/** What a sync reports while it runs (the Sync screen polls it): see `SyncProgress` in shared/ipc/syncContract.ts. */
export type SyncProgress = SharedSyncProgress;

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
  /** Milliseconds clock for the progress estimate (injected by tests). */
  now?: () => number;
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
export async function enrollDevice(transport: HqTransport, deviceId: string, code: string, label: string, opts: { holdsDemo?: boolean } = {}): Promise<string> {
  const res = await call(transport, 'POST', '/v1/devices/enroll', { code, device_id: deviceId, label, ...(opts.holdsDemo ? { holds_demo: true } : {}) }, null);
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

  /**
   * Push, then pull. A `progress` given (from `newSyncProgress`: the Sync screen's) is updated in place
   * and reported when each phase starts (with its totals), after every acknowledged batch and every
   * applied page. Without one, `onProgress` (if set) hears of every batch and page only.
   */
  async sync(progress?: SyncProgress): Promise<SyncSummary> {
    const announce = progress !== undefined;
    const p = progress ?? (this.opts.onProgress ? newSyncProgress(new Date(this.now()).toISOString()) : undefined);
    const sent = await this.push(p, announce);
    const { received, conflicts } = await this.pull(p, announce);
    return { sent, received, conflicts };
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private report(progress: SyncProgress | undefined): void {
    if (progress) this.opts.onProgress?.({ ...progress });
  }

  /** `announce`: report the phase's start and totals before the first batch (the Sync screen's progress). */
  async push(progress?: SyncProgress, announce = progress !== undefined): Promise<number> {
    const limit = Math.min(this.opts.batchEvents ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
    const maxBytes = Math.min(this.opts.batchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES);
    const deviceId = this.store.deviceId;
    const startedAt = this.now();
    if (progress) {
      // What there is to send, in events and in bytes of JSON (as the batches will carry them).
      const pending = this.q.pendingOwn(deviceId, this.q.ackedSeq());
      Object.assign(progress, { phase: 'push', sent: 0, toSend: pending.events, bytesSent: 0, bytesToSend: pending.bytes, etaSeconds: null });
      if (announce) this.report(progress);
    }
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
      const pending = call(this.transport, 'POST', '/v1/sync/push', new JsonText(batch.json), this.token);
      // Overlap: read and serialise the next batch while the request is in flight (no request is sent early).
      try {
        prepared = this.batchAfter(batch.lastSeq, limit, maxBytes);
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
      const through = Math.min(ok.data.acked_through_seq, batch.lastSeq);
      if (through > acked) this.q.set(this.q.keys.ackedSeq, String(through));
      sent += ok.data.added;
      if (progress) {
        const done = Math.max(0, through - acked);
        progress.sent = Math.min(progress.toSend, progress.sent + done);
        // Bytes of the events HQ acknowledged (all of the batch, or its acknowledged share).
        const bytes = done >= batch.count ? batch.eventBytes : Math.round((batch.eventBytes * done) / batch.count);
        progress.bytesSent = Math.min(progress.bytesToSend, progress.bytesSent + bytes);
        progress.etaSeconds = estimate(progress.bytesSent, progress.bytesToSend, this.now() - startedAt);
        this.report(progress);
      }
    }
  }

  /**
   * Own events after `after`, as the JSON body of one push: each event's stored payload text spliced
   * in verbatim (never parsed and re-serialised), events added while the body stays within `maxBytes`
   * (at least one: an event always fits its schema's limits) and `limit` events. Rows are read one by
   * one, so a batch of a few large import slices reads only those.
   */
  private batchAfter(after: number, limit: number, maxBytes: number): PushBatch | null {
    const deviceId = this.store.deviceId;
    const head = `{"device_id":${JSON.stringify(deviceId)},"events":[`;
    let bytes = Buffer.byteLength(head) + 2;
    let eventBytes = 0;
    const parts: string[] = [];
    let lastSeq = after;
    for (const row of this.q.ownRowsAfter(deviceId, after, limit)) {
      const json = rowJson(row);
      const size = Buffer.byteLength(json);
      if (parts.length > 0 && bytes + size + 1 > maxBytes) break;
      bytes += size + (parts.length > 0 ? 1 : 0);
      eventBytes += size;
      parts.push(json);
      lastSeq = row.device_seq;
    }
    if (parts.length === 0) return null;
    return { after, lastSeq, count: parts.length, eventBytes, json: `${head}${parts.join(',')}]}` };
  }

  private async pullPage(cursor: string, limit: number): Promise<{ page: PullResponse; bytes: number }> {
    const res = await call(this.transport, 'POST', '/v1/sync/pull', { cursor, limit }, this.token);
    if (res.status !== 200) throw hqError(res);
    const parsed = PullResponse.safeParse(res.body);
    if (!parsed.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the pull with something unexpected');
    return { page: parsed.data, bytes: res.bytes ?? 0 };
  }

  async pull(progress?: SyncProgress, announce = progress !== undefined): Promise<{ received: number; conflicts: number }> {
    let received = 0;
    let conflicts = 0;
    const limit = Math.min(this.opts.pullLimit ?? MAX_PULL_LIMIT, MAX_PULL_LIMIT);
    const startCursor = BigInt(this.q.pullCursor());
    const startedAt = this.now();
    if (progress) {
      Object.assign(progress, { phase: 'pull', pullDone: 0, pullTotal: 0, etaSeconds: null });
      if (announce) this.report(progress);
    }
    let pending = this.pullPage(this.q.pullCursor(), limit);
    for (;;) {
      const { page, bytes } = await pending;
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
        progress.bytesReceived += bytes;
        // How far through HQ's log (as it stood when asked) this pull is: HQ's sequence numbers, the
        // laptop's own events included (passed over, but read past all the same).
        const top = page.high_water !== undefined ? BigInt(page.high_water) : BigInt(page.cursor);
        progress.pullTotal = Math.max(progress.pullTotal, Number(top - startCursor));
        progress.pullDone = Math.min(progress.pullTotal, Number(BigInt(page.cursor) - startCursor));
        if (!page.has_more) progress.pullDone = progress.pullTotal;
        progress.etaSeconds = page.has_more ? estimate(progress.pullDone, progress.pullTotal, this.now() - startedAt) : 0;
        this.report(progress);
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
  /** Its last event's sequence (the events are `after + 1 … lastSeq`). */
  lastSeq: number;
  count: number;
  /** Bytes of its events' JSON (for the progress: the body less its wrapping). */
  eventBytes: number;
  json: string;
}

/** A progress record at the start of a run (phase `prepare`: the backup before a sync). */
export function newSyncProgress(startedAt: string): SyncProgress {
  return { phase: 'prepare', sent: 0, toSend: 0, bytesSent: 0, bytesToSend: 0, received: 0, bytesReceived: 0, pullDone: 0, pullTotal: 0, etaSeconds: null, startedAt };
}

/** Seconds left at the rate so far (`done` units in `elapsedMs`); null before anything was done. */
export function estimate(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0) return null;
  if (done >= total) return 0;
  return Math.ceil(((total - done) * elapsedMs) / done / 1000);
}

function isGap(body: unknown): boolean {
  const p = HqErrorBody.safeParse(body);
  return p.success && p.data.error.code === 'GAP' && typeof p.data.error.details?.expected_seq === 'number';
}
