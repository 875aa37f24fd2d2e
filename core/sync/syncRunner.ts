import { AppError } from '../../shared/errors';
import type { Store } from '../store/openStore';
import { createSyncQueries, SYNC_KEYS, type SyncRunRow } from '../store/queries/syncQueries';
import { normaliseFingerprint } from './certPin';
import { normaliseHqUrl } from './hqUrl';
import { holdsDemoTour } from '../demo/seedDemo';
import { createHttpTransport, type HqTransport } from './hqTransport';
import { enrollDevice, newSyncProgress, SyncClient, type DigestCheck, type SyncProgress, type SyncSummary } from './syncClient';

export interface SyncRunResult extends SyncSummary {
  finishedAt: string;
  digest: DigestCheck;
}

interface LiveState {
  running: boolean;
  progress: SyncProgress | null;
  /** Whether the last contact with HQ worked (null: not tried since start). */
  online: boolean | null;
}

const live = new WeakMap<Store, LiveState>();
function liveOf(store: Store): LiveState {
  let s = live.get(store);
  if (!s) {
    s = { running: false, progress: null, online: null };
    live.set(store, s);
  }
  return s;
}

/** `certFingerprint`: the pinned SHA-256 of HQ's certificate, or null for CA verification. */
export type TransportFactory = (url: string, certFingerprint: string | null) => HqTransport;

/**
 * What the Sync screen drives: HQ address, enrollment, "sync now" (one at a time per store, with
 * progress readable while it runs), digest check and status. Every attempt is recorded in sync_runs.
 */
export class SyncService {
  private readonly q;
  /** The last transport made, reused while address and pin stay the same (a pinned one holds a connection pool). */
  private cached: { key: string; transport: HqTransport } | null = null;
  constructor(
    private readonly store: Store,
    private readonly makeTransport: TransportFactory = (url, certFingerprint) => createHttpTransport(url, { certFingerprint }),
    private readonly now: () => number = Date.now,
  ) {
    this.q = createSyncQueries(store.db);
  }

  private transportFor(url: string): HqTransport {
    const pin = this.q.get(SYNC_KEYS.certFingerprint);
    const key = `${url}\n${pin ?? ''}`;
    if (this.cached?.key !== key) this.cached = { key, transport: this.makeTransport(url, pin) };
    return this.cached.transport;
  }

  /**
   * Sets the HQ address and, for a venue hub with its own self-signed certificate, the SHA-256
   * fingerprint it shows (null/empty: CA verification). A bad address or fingerprint writes nothing.
   */
  configure(rawUrl: string, rawFingerprint?: string | null): string {
    const url = normaliseHqUrl(rawUrl);
    const pin = rawFingerprint?.trim() ? normaliseFingerprint(rawFingerprint) : null;
    if (pin && !url.startsWith('https:')) throw new AppError('SYNC_FINGERPRINT_INVALID', 'A certificate fingerprint needs an https:// address');
    const previous = this.q.get(SYNC_KEYS.url);
    this.store.events.transaction(() => {
      this.q.set(SYNC_KEYS.url, url);
      if (pin) this.q.set(SYNC_KEYS.certFingerprint, pin);
      else this.q.delete(SYNC_KEYS.certFingerprint);
      if (previous !== null && previous !== url) {
        // Another HQ: its enrollment and cursors mean nothing there (a re-push is idempotent anyway).
        this.q.delete(SYNC_KEYS.token);
        this.q.set(SYNC_KEYS.ackedSeq, '0');
        this.q.set(SYNC_KEYS.pullCursor, '0');
      }
    });
    return url;
  }

  async enroll(code: string, label: string): Promise<void> {
    const url = this.requireUrl();
    try {
      // A desk on the demo tour says so: HQ then holds the same demo, and the desk's stops are HQ's too.
      const token = await enrollDevice(this.transportFor(url), this.store.deviceId, code, label, { holdsDemo: holdsDemoTour(this.store) });
      this.q.set(SYNC_KEYS.token, token);
      liveOf(this.store).online = true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'SYNC_OFFLINE') liveOf(this.store).online = false;
      throw err;
    }
  }

  /**
   * One sync: `beforeSync` first (the handler's backup of the store, phase `prepare`), then push, pull
   * and the digest check (phase `verify`), with the progress readable by `status()` all along.
   */
  async syncNow(opts: { onProgress?: (p: SyncProgress) => void; beforeSync?: () => void; clock?: () => number } = {}): Promise<SyncRunResult> {
    const state = liveOf(this.store);
    if (state.running) throw new AppError('SYNC_IN_PROGRESS', 'A sync is already running');
    const url = this.requireUrl();
    const token = this.requireToken();
    state.running = true;
    const progress = newSyncProgress(new Date(this.now()).toISOString());
    state.progress = { ...progress };
    const runId = this.q.startRun(progress.startedAt);
    let summary: SyncSummary = { sent: 0, received: 0, conflicts: 0 };
    const onProgress = (p: SyncProgress) => {
      state.progress = p;
      summary = { ...summary, sent: p.sent, received: p.received };
      opts.onProgress?.(p);
    };
    const client = new SyncClient(this.store, this.transportFor(url), token, { onProgress, now: opts.clock });
    try {
      onProgress({ ...progress });
      if (opts.beforeSync) {
        // Let a status request that is waiting see "preparing" before the (synchronous) backup runs.
        await new Promise((resolve) => setImmediate(resolve));
        opts.beforeSync();
      }
      summary = await client.sync(progress);
      progress.phase = 'verify';
      progress.etaSeconds = null;
      onProgress({ ...progress });
      const digest = await client.digestCheck();
      const finishedAt = new Date(this.now()).toISOString();
      this.q.finishRun({ id: runId, finishedAt, ok: true, ...summary, errorCode: null, errorMessage: null, errorDetails: null });
      state.online = true;
      return { ...summary, finishedAt, digest };
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('SYNC_HQ_ERROR', err instanceof Error ? err.message : String(err));
      state.online = e.code !== 'SYNC_OFFLINE';
      this.q.finishRun({
        id: runId,
        finishedAt: new Date(this.now()).toISOString(),
        ok: false,
        ...summary,
        errorCode: e.code,
        errorMessage: e.message,
        errorDetails: e.details ? JSON.stringify(e.details) : null,
      });
      throw e;
    } finally {
      state.running = false;
    }
  }

  async digest(): Promise<DigestCheck> {
    const client = new SyncClient(this.store, this.transportFor(this.requireUrl()), this.requireToken());
    return client.digestCheck();
  }

  /** Asks HQ whether it is reachable (GET /v1/health), for the header's online/offline. */
  async probe(): Promise<boolean> {
    const url = this.q.get(SYNC_KEYS.url);
    if (!url) return false;
    let ok = false;
    try {
      ok = (await this.transportFor(url).request('GET', '/v1/health', undefined, null)).status === 200;
    } catch {
      ok = false;
    }
    liveOf(this.store).online = ok;
    return ok;
  }

  status() {
    const state = liveOf(this.store);
    const toRun = (r: SyncRunRow | null) =>
      r && {
        at: r.finished_at ?? r.started_at,
        ok: r.ok === 1,
        sent: r.sent,
        received: r.received,
        conflicts: r.conflicts,
        errorCode: r.error_code,
        errorMessage: r.error_message,
        errorDetails: r.error_details ? (JSON.parse(r.error_details) as Record<string, unknown>) : null,
      };
    return {
      deviceId: this.store.deviceId,
      hqUrl: this.q.get(SYNC_KEYS.url),
      certFingerprint: this.q.get(SYNC_KEYS.certFingerprint),
      enrolled: this.q.get(SYNC_KEYS.token) !== null,
      online: state.online,
      running: state.running,
      progress: state.running ? state.progress : null,
      unsynced: this.q.unsynced(this.store.deviceId),
      lastSuccess: toRun(this.q.lastSuccess()),
      lastRun: toRun(this.q.lastFinished()),
    };
  }

  private requireUrl(): string {
    const url = this.q.get(SYNC_KEYS.url);
    if (!url) throw new AppError('SYNC_NOT_CONFIGURED', 'No HQ address set');
    return url;
  }

  private requireToken(): string {
    const token = this.q.get(SYNC_KEYS.token);
    if (!token) throw new AppError('SYNC_NOT_ENROLLED', 'This device is not enrolled with HQ');
    return token;
  }
}
