import { AppError } from '../../shared/errors';
import type { SyncProgress as SharedSyncProgress } from '../../shared/ipc/syncContract';
import {
  DigestResponse,
  EnrollResponse,
  HQ_BATCH_BYTES,
  HQ_BATCH_EVENTS,
  HqErrorBody,
  MAX_BATCH_BYTES,
  MAX_BATCH_EVENTS,
  MAX_PULL_LIMIT,
  PullResponse,
  PushResponse,
} from '../../shared/sync/hqProtocol';
import type { Store } from '../store/openStore';
import { createSyncQueries, type SyncKeys, type SyncQueries } from '../store/queries/syncQueries';
import { checkpointNow } from '../store/walCheckpoint';
import { rowJson } from './envelopeJson';
import { JsonText, NetworkError, type HqResponse, type HqTransport } from './hqTransport';
import { applyPulledGroup, incomingOf } from './pullApply';
import { PullApplyThread } from './pullApplyThread';

/** What a sync reports while it runs (the Sync screen polls it): see `SyncProgress` in shared/ipc/syncContract.ts. */
export type SyncProgress = SharedSyncProgress;

/**
 * Pulled events applied per transaction (whole pages), at first: one page, so HQ prepares the next
 * page while this one is applied. Each commit rewrites every index page its rows touched (people's ids
 * are random, so nearly all of those indexes' pages), so the size then grows with what this pull
 * applied (as much again: the group size doubles), up to PULL_APPLY_MAX_EVENTS or PULL_APPLY_BYTES:
 * a pull makes few commits (8 for 100,000 walk-in events; 12 when it grew by half, issue #20: the
 * commits' CPU ~0.8 → ~0.63 s) and its cost per event stays flat as the store grows.
 */
export const PULL_APPLY_EVENTS = 1_000;
export const PULL_APPLY_MAX_EVENTS = 50_000;
/** …or fewer, once the pages' answers reach this many bytes (import slices: ~75 KB each). */
export const PULL_APPLY_BYTES = 16 * 1024 * 1024;
/** Own events read for a push batch's first slice (further slices: what fits at the average size so far). */
const BATCH_FIRST_READ = 64;
/** Delay before the WAL checkpoint after a pull of more than one page (the pull has answered by then). */
const PULL_CHECKPOINT_DELAY_MS = 200;
/** The page cache (KiB) during a pull of more than one page (SQLite's default is 2 MB). */
const PULL_CACHE_KIB = 65_536;

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
  /** Events of pulled pages applied per transaction (whole pages: at least one page each); default: growing, see PULL_APPLY_EVENTS. */
  applyEvents?: number;
  /** …and bytes of pulled answers per transaction. */
  applyBytes?: number;
  /**
   * false: a pull of several pages writes its groups on this thread too. Default: on a thread of its
   * own (pullApplyThread.ts) once it is up; 'await': wait for it to be up first (tests).
   */
  applyThread?: boolean | 'await';
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

/**
 * Resolves once the event loop went round twice: a request just handed to fetch is then on the socket
 * (fetch dispatches it over a few ticks: with one round a 420 KB body was sometimes still held back,
 * with two never, measured on loopback). Synchronous work right after the call would hold it back.
 */
const requestSent = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
};

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
  /** Groups of pulled pages written by this client's pulls, and how many of them on the apply thread. */
  readonly pullStats = { groups: 0, onThread: 0 };

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
    // The first batch within what every HQ takes; the next ones up to what HQ's answers announce
    // (issue #20: fewer, larger transactions at HQ), never above this build's own ceiling or the options.
    let limit = Math.min(this.opts.batchEvents ?? MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
    let maxBytes = Math.min(this.opts.batchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES);
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
    let acked = this.q.ackedSeq();
    // An acknowledgement received and not yet stored: it is stored while the next request is in
    // flight (its commit overlaps HQ's work instead of delaying the next batch), and before push
    // returns or throws. A crash in between re-sends what HQ already holds: duplicates, nothing lost.
    let unstored: number | null = null;
    const storeAck = (): void => {
      if (unstored !== null && unstored > this.q.ackedSeq()) this.q.set(this.q.keys.ackedSeq, String(unstored));
      unstored = null;
    };
    try {
      for (;;) {
        // The batch prepared while HQ worked on the previous one is used only if it starts right after
        // what HQ acknowledged; otherwise (a gap, a partial acknowledgement) it is read again.
        const batch = prepared?.after === acked ? prepared : this.batchAfter(acked, limit, maxBytes);
        prepared = null;
        if (!batch) return sent;
        const pending = call(this.transport, 'POST', '/v1/sync/push', new JsonText(batch.json), this.token);
        // Its failure is thrown where it is awaited below (not unhandled while this waits for the request to go out).
        pending.catch(() => undefined);
        // fetch writes the request a few ticks later: let it go out before the synchronous work below,
        // or HQ receives batch N only after batch N+1 was read (issue #20: the two sides took turns).
        await requestSent();
        storeAck();
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
          acked = Math.max(0, expected - 1);
          this.store.events.transaction(() => this.q.set(this.q.keys.ackedSeq, String(acked)));
          continue;
        }
        if (res.status !== 200) throw hqError(res);
        const ok = PushResponse.safeParse(res.body);
        if (!ok.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the push with something unexpected');
        this.opts.failPoints?.afterAckBeforeStore?.();
        if (ok.data.batch) {
          limit = Math.min(this.opts.batchEvents ?? HQ_BATCH_EVENTS, HQ_BATCH_EVENTS, ok.data.batch.max_events);
          maxBytes = Math.min(this.opts.batchBytes ?? HQ_BATCH_BYTES, HQ_BATCH_BYTES, ok.data.batch.max_bytes);
        }
        const through = Math.min(ok.data.acked_through_seq, batch.lastSeq);
        const before = acked;
        if (through > acked) {
          acked = through;
          unstored = through;
        }
        sent += ok.data.added;
        if (progress) {
          const done = Math.max(0, through - before);
          progress.sent = Math.min(progress.toSend, progress.sent + done);
          // Bytes of the events HQ acknowledged (all of the batch, or its acknowledged share).
          const bytes = done >= batch.count ? batch.eventBytes : Math.round((batch.eventBytes * done) / batch.count);
          progress.bytesSent = Math.min(progress.bytesToSend, progress.bytesSent + bytes);
          progress.etaSeconds = estimate(progress.bytesSent, progress.bytesToSend, this.now() - startedAt);
          this.report(progress);
        }
      }
    } finally {
      storeAck();
    }
  }

  /**
   * Own events after `after`, as the JSON body of one push: each event's stored payload text spliced
   * in verbatim (never parsed and re-serialised), events added while the body stays within `maxBytes`
   * (at least one: an event always fits its schema's limits) and `limit` events. Rows are read in
   * slices sized by what still fits at the average size so far (first BATCH_FIRST_READ rows), so a
   * batch of a few large import slices reads about those only, and a batch of 1,000 small events
   * takes a few calls into SQLite instead of one per row.
   */
  private batchAfter(after: number, limit: number, maxBytes: number): PushBatch | null {
    const deviceId = this.store.deviceId;
    const head = `{"device_id":${JSON.stringify(deviceId)},"events":[`;
    let bytes = Buffer.byteLength(head) + 2;
    let eventBytes = 0;
    const parts: string[] = [];
    let lastSeq = after;
    let want = Math.min(limit, BATCH_FIRST_READ);
    read: while (want > 0) {
      const rows = this.q.ownRowsPage(deviceId, lastSeq, want);
      for (const row of rows) {
        const json = rowJson(row);
        const size = Buffer.byteLength(json);
        if (parts.length > 0 && bytes + size + 1 > maxBytes) break read;
        bytes += size + (parts.length > 0 ? 1 : 0);
        eventBytes += size;
        parts.push(json);
        lastSeq = row.device_seq;
      }
      if (rows.length < want) break;
      // What still fits at the average size so far, and one more (the one that may not fit).
      want = Math.min(limit - parts.length, Math.floor((maxBytes - bytes) / (eventBytes / parts.length)) + 1);
    }
    if (parts.length === 0) return null;
    return { after, lastSeq, count: parts.length, eventBytes, json: `${head}${parts.join(',')}]}` };
  }

  private async pullPage(cursor: string, limit: number): Promise<PulledPage> {
    const res = await call(this.transport, 'POST', '/v1/sync/pull', { cursor, limit }, this.token);
    if (res.status !== 200) throw hqError(res);
    // Validated once, here, at the edge: the envelopes (each payload by its type's schema where it is stored).
    const parsed = PullResponse.safeParse(res.body);
    if (!parsed.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the pull with something unexpected');
    return { page: parsed.data, text: res.text, bytes: res.bytes ?? 0 };
  }

  /**
   * Pages of other devices' events, read ahead: the next page is asked for as soon as one arrives, so
   * HQ prepares it while this laptop validates and applies. Pages are applied in order through the
   * bulk path (core/store/pulledEvents.ts), several per transaction (up to `applyEvents` events or
   * `applyBytes` of answers) with the cursor that covers them: they land together or not at all. A
   * pull of more than one page writes its groups on a thread of its own (pullApplyThread.ts, its own
   * connection) while this thread receives and validates the next pages; one group is written at a
   * time, in order. A failed request still applies the pages read before it.
   */
  async pull(progress?: SyncProgress, announce = progress !== undefined): Promise<{ received: number; conflicts: number }> {
    let received = 0;
    let conflicts = 0;
    const limit = Math.min(this.opts.pullLimit ?? MAX_PULL_LIMIT, MAX_PULL_LIMIT);
    const fixedApply = this.opts.applyEvents !== undefined ? Math.max(1, this.opts.applyEvents) : null;
    let applied = 0;
    const applyEvents = (): number => fixedApply ?? Math.min(PULL_APPLY_MAX_EVENTS, Math.max(PULL_APPLY_EVENTS, applied));
    const applyBytes = Math.max(1, this.opts.applyBytes ?? PULL_APPLY_BYTES);
    const startCursor = BigInt(this.q.pullCursor());
    const startedAt = this.now();
    if (progress) {
      Object.assign(progress, { phase: 'pull', pullDone: 0, pullTotal: 0, etaSeconds: null });
      if (announce) this.report(progress);
    }
    const db = this.store.db;
    const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    let bigPull = false;
    let thread: PullApplyThread | null = null;
    let group: PullGroup = emptyGroup();
    /** The group being written on the apply thread (at most one at a time: groups land in order). */
    let writing: Promise<void> | null = null;
    const settle = async (): Promise<void> => {
      const w = writing;
      writing = null;
      if (w) await w;
    };
    const done = (g: PullGroup, cursor: string, added: { added: number; conflicts: number }): void => {
      received += added.added;
      conflicts += added.conflicts;
      applied += g.count;
      this.pullStats.groups++;
      if (g.onThread) this.pullStats.onThread++;
      // The sync's clock follows what the group brought (the apply thread's connection has its own).
      if (g.latestHlc !== null && g.onThread) this.store.clock.receive(g.latestHlc);
      if (progress) {
        progress.received += added.added;
        progress.bytesReceived += g.bytes;
        // How far through HQ's log (as it stood when asked) this pull is: HQ's sequence numbers, the
        // laptop's own events included (passed over, but read past all the same).
        progress.pullTotal = Math.max(progress.pullTotal, Number(g.top - startCursor));
        progress.pullDone = Math.min(progress.pullTotal, Number(BigInt(cursor) - startCursor));
        if (g.last) progress.pullDone = progress.pullTotal;
        progress.etaSeconds = g.last ? 0 : estimate(progress.pullDone, progress.pullTotal, this.now() - startedAt);
        this.report(progress);
      }
    };
    /** Starts writing the group read so far: on the apply thread once it is up, else here (synchronously). */
    const apply = async (): Promise<void> => {
      await settle();
      const g = group;
      group = emptyGroup();
      if (g.cursor === null) return;
      const cursor = g.cursor;
      const texts = g.pages.map((p) => p.text);
      if (thread?.ready && texts.every((t): t is string => t !== undefined)) {
        g.onThread = true;
        writing = thread.apply(texts, cursor, this.opts.keys).then((added) => done(g, cursor, added));
        // A failure is seen at the next settle (before anything else is applied, and before the pull ends).
        writing.catch(() => undefined);
        return;
      }
      const events = g.pages.flatMap((p) => incomingOf(p.page.events, p.text, this.store.deviceId));
      done(g, cursor, applyPulledGroup(this.store, this.opts.keys, events, cursor, this.opts.failPoints?.afterApplyBeforeCursor));
    };
    try {
      let pending = this.pullPage(this.q.pullCursor(), limit);
      for (;;) {
        let pulled: PulledPage;
        try {
          pulled = await pending;
        } catch (err) {
          await apply(); // what was read before the failure is kept
          await settle();
          throw err;
        }
        const { page, bytes } = pulled;
        if (page.has_more) {
          // Ask for the next page now; a failed apply drops the answer read ahead.
          pending = this.pullPage(page.cursor, limit);
          pending.catch(() => undefined);
          // Let the request go out before this page is applied (synchronous): HQ prepares the next
          // page during the apply instead of after it.
          await requestSent();
          if (!bigPull) {
            // More than a page to come: a larger page cache keeps the pull's transactions from
            // spilling pages half-way, and the WAL is copied into the database once at the end.
            bigPull = true;
            const cache = db.pragma('cache_size', { simple: true }) as number;
            if (cache > -PULL_CACHE_KIB && cache < PULL_CACHE_KIB / 4) db.pragma(`cache_size = -${PULL_CACHE_KIB}`);
            db.pragma('wal_autocheckpoint = 0');
            // The apply thread, where the groups are written once it is up (never where the
            // simulation makes a crash happen inside the transaction: that runs here).
            if (this.opts.applyThread !== false && !this.opts.failPoints?.afterApplyBeforeCursor) thread = PullApplyThread.start(this.store, PULL_CACHE_KIB);
            if (thread && this.opts.applyThread === 'await') await thread.started;
          }
        }
        group.pages.push(pulled);
        for (const e of page.events) {
          if (e.deviceId === this.store.deviceId) continue;
          group.count++;
          if (group.latestHlc === null || e.hlc > group.latestHlc) group.latestHlc = e.hlc;
        }
        group.cursor = page.cursor;
        group.bytes += bytes;
        group.top = page.high_water !== undefined ? BigInt(page.high_water) : BigInt(page.cursor);
        group.last = !page.has_more;
        if (group.last || group.count >= applyEvents() || group.bytes >= applyBytes) await apply();
        if (!page.has_more) {
          await settle();
          return { received, conflicts };
        }
      }
    } finally {
      // Never leave a group being written behind (its failure was thrown above, or is moot after another).
      await (writing as Promise<void> | null)?.catch(() => undefined);
      await thread?.close();
      if (bigPull) {
        db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(autoCheckpoint))}`);
        // The WAL is copied into the database shortly after the pull answers, as after an import
        // (withDeferredCheckpoint): every group was durable at its commit; the copy only moves the
        // pages, and it took ~13% of a 40,000-event pull when done inside it.
        const timer = setTimeout(() => checkpointNow(db), PULL_CHECKPOINT_DELAY_MS);
        timer.unref?.();
      }
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

/** A pull page: its validated answer, the answer's text (payloads are stored as HQ sent them), its size. */
interface PulledPage {
  page: PullResponse;
  text: string | undefined;
  bytes: number;
}

/** Pages read and not yet applied: applied in one transaction with the last page's cursor. */
interface PullGroup {
  pages: PulledPage[];
  /** Other devices' events in them. */
  count: number;
  /** The latest HLC among those. */
  latestHlc: string | null;
  /** Written on the apply thread (whose connection's clock is not this one). */
  onThread: boolean;
  cursor: string | null;
  bytes: number;
  /** HQ's high water (or the cursor) of the last page. */
  top: bigint;
  /** The last page of this pull is in the group. */
  last: boolean;
}

function emptyGroup(): PullGroup {
  return { pages: [], count: 0, latestHlc: null, onThread: false, cursor: null, bytes: 0, top: 0n, last: false };
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
