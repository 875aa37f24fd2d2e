import { AppError } from '../../shared/errors';
import type { HubStatus } from '../../shared/ipc/hubContract';
import type { SyncResult, SyncRun } from '../../shared/ipc/syncContract';
import { HealthResponse } from '../../shared/sync/hqProtocol';
import type { Store } from '../store/openStore';
import { perDb } from '../store/perDb';
import { createSyncQueries, type SyncKeys } from '../store/queries/syncQueries';
import { normaliseFingerprint } from './certPin';
import { normaliseHqUrl } from './hqUrl';
import { createHttpTransport, type HqTransport } from './hqTransport';
import { enrollDevice, SyncClient } from './syncClient';

/** A venue hub's state in `settings`, apart from HQ's: its own address, pin, token and cursors. */
export const HUB_KEYS = {
  url: 'hub_url',
  token: 'hub_token',
  ackedSeq: 'hub_acked_seq',
  pullCursor: 'hub_pull_cursor',
  certFingerprint: 'hub_cert_sha256',
} as const satisfies SyncKeys;
const AUTO_KEY = 'hub_auto';

const hubQ = perDb((db) => createSyncQueries(db, HUB_KEYS));
const logPositionQ = perDb((db) => db.prepare<[], { s: number | null }>('SELECT MAX(local_seq) AS s FROM events'));

export type HubTransportFactory = (url: string, certFingerprint: string | null) => HqTransport;

export interface HubLoopOptions {
  /** How often the loop looks for own unsent events (it pushes them at once). */
  tickMs?: number;
  /** How often it asks the hub for other desks' events when nothing was written here. */
  pullEveryMs?: number;
  /** Longest wait between attempts while the hub is unreachable. */
  maxBackoffMs?: number;
  now?: () => number;
}

/**
 * The desk's link to a venue hub (docs/venue-hub.md): the same protocol as HQ, a second set of
 * address, pin, token and cursors, and a loop that syncs every few seconds while it is on. Own
 * writes are pushed at the next tick (≤ 0.5 s); other desks' events are pulled every 2 s. When the
 * hub is gone the loop backs off (up to 10 s) and the desk carries on offline: its writes are local.
 *
 * Runs are kept in memory (a sync every 2 s would flood `sync_runs`, which is HQ's end-of-day record).
 */
export class HubService {
  private timer: NodeJS.Timeout | null = null;
  /** The sync in flight: a second "sync now" waits for it instead of failing. */
  private current: Promise<SyncResult> | null = null;
  private online: boolean | null = null;
  private lastAttempt = 0;
  private backoffMs: number;
  /** The loop's last attempt failed: the next waits for the back-off. */
  private failing = false;
  private receivedSinceStart = 0;
  private lastRun: SyncRun | null = null;
  private lastSuccess: SyncRun | null = null;
  private upstream: HubStatus['upstream'] = null;
  private lastHealthAt = 0;
  private cached: { key: string; transport: HqTransport } | null = null;
  private readonly tickMs: number;
  private readonly pullEveryMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;

  constructor(
    private readonly getStore: () => Store,
    private readonly makeTransport: HubTransportFactory = (url, certFingerprint) => createHttpTransport(url, { certFingerprint, timeoutMs: 15_000 }),
    opts: HubLoopOptions = {},
  ) {
    this.tickMs = opts.tickMs ?? 500;
    this.pullEveryMs = opts.pullEveryMs ?? 2_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.backoffMs = this.pullEveryMs;
  }

  private get q() {
    return hubQ(this.getStore().db);
  }

  private transportFor(url: string, pin: string | null): HqTransport {
    const key = `${url}\n${pin ?? ''}`;
    if (this.cached?.key !== key) this.cached = { key, transport: this.makeTransport(url, pin) };
    return this.cached.transport;
  }

  /**
   * Address, pin and (with a code) enrollment, all or nothing: the code is redeemed first, and only
   * then are address, pin and token written together. Another address drops the old token and cursors.
   */
  async connect(input: { url: string; certFingerprint?: string | undefined; code?: string | undefined; label?: string }): Promise<HubStatus> {
    const url = normaliseHqUrl(input.url);
    const pin = input.certFingerprint?.trim() ? normaliseFingerprint(input.certFingerprint) : null;
    if (pin && !url.startsWith('https:')) throw new AppError('SYNC_FINGERPRINT_INVALID', 'A certificate fingerprint needs an https:// address');
    const store = this.getStore();
    const q = this.q;
    const previous = q.get(HUB_KEYS.url);
    if (previous !== url) this.resetLive();
    let token: string | null = null;
    if (input.code?.trim()) {
      try {
        token = await enrollDevice(this.transportFor(url, pin), store.deviceId, input.code.trim(), input.label ?? '');
        this.online = true;
      } catch (err) {
        if (err instanceof AppError && err.code === 'SYNC_OFFLINE') this.online = false;
        throw err;
      }
    }
    // A sync in flight against the old settings must not write its cursor after the reset below.
    const wasLooping = this.looping;
    await this.quiesce();
    store.events.transaction(() => {
      if (previous !== url || token !== null) {
        // Another hub (or a fresh enrollment): its cursors mean nothing there; re-pushing is idempotent.
        q.delete(HUB_KEYS.token);
        q.set(HUB_KEYS.ackedSeq, '0');
        q.set(HUB_KEYS.pullCursor, '0');
      }
      q.set(HUB_KEYS.url, url);
      if (pin) q.set(HUB_KEYS.certFingerprint, pin);
      else q.delete(HUB_KEYS.certFingerprint);
      if (token) {
        q.set(HUB_KEYS.token, token);
        q.set(AUTO_KEY, '1');
      }
    });
    if (token || (wasLooping && q.get(HUB_KEYS.token))) this.start();
    return this.status();
  }

  /** Stops the loop and waits for the sync in flight, if any. */
  private async quiesce(): Promise<void> {
    this.stop();
    await this.current?.catch(() => undefined);
  }

  /** Turns the loop on or off (remembered: it restarts with the app). */
  setAuto(on: boolean): HubStatus {
    if (on) this.requireConnection();
    this.q.set(AUTO_KEY, on ? '1' : '0');
    if (on) this.start();
    else this.stop();
    return this.status();
  }

  /** Stops the loop and drops address, pin, token and cursors. The desk's data stays. */
  async forget(): Promise<HubStatus> {
    await this.quiesce();
    const q = this.q;
    this.getStore().events.transaction(() => {
      for (const key of [...Object.values(HUB_KEYS), AUTO_KEY]) q.delete(key);
    });
    this.resetLive();
    return this.status();
  }

  /** At start-up: resumes the loop if it was on. */
  startIfEnabled(): void {
    if (this.q.get(AUTO_KEY) === '1' && this.q.get(HUB_KEYS.token)) this.start();
  }

  start(): void {
    if (this.timer) return;
    this.backoffMs = this.pullEveryMs;
    this.failing = false;
    this.lastAttempt = 0;
    const loop = () => {
      this.timer = setTimeout(() => {
        void this.tick().finally(() => {
          if (this.timer) loop();
        });
      }, this.tickMs);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get looping(): boolean {
    return this.timer !== null;
  }

  /** One step of the loop: sync if own events wait, or if the pull interval (or the back-off) has passed. */
  async tick(): Promise<void> {
    if (this.current) return;
    let due: boolean;
    try {
      const q = this.q;
      if (!q.get(HUB_KEYS.url) || !q.get(HUB_KEYS.token)) return;
      const since = this.now() - this.lastAttempt;
      const ownWaiting = q.ownMaxSeq(this.getStore().deviceId) > q.ackedSeq();
      // After a failure of any kind (hub gone, or a refusal: a revoked token, a hub that lost its data),
      // wait the back-off even with own events waiting: never a request every tick.
      due = this.failing ? since >= this.backoffMs : ownWaiting || since >= this.pullEveryMs;
    } catch {
      return; // the store is being swapped (restore) or closed: try again at the next tick
    }
    if (!due) return;
    try {
      await this.syncNow();
      this.backoffMs = this.pullEveryMs;
      this.failing = false;
    } catch {
      // Recorded in lastRun; the desk carries on offline and the loop tries again, less often.
      this.backoffMs = Math.min(this.maxBackoffMs, this.backoffMs * 2);
      this.failing = true;
    }
  }

  /** One sync with the hub; while one runs (the loop's), answers that one. */
  syncNow(): Promise<SyncResult> {
    if (!this.current) {
      const run = this.runSync();
      this.current = run;
      void run.then(
        () => (this.current = null),
        () => (this.current = null),
      );
    }
    return this.current;
  }

  private async runSync(): Promise<SyncResult> {
    const { url, pin, token } = this.requireConnection();
    const store = this.getStore();
    this.lastAttempt = this.now();
    const transport = this.transportFor(url, pin);
    try {
      const client = new SyncClient(store, transport, token, { keys: HUB_KEYS });
      const summary = await client.sync();
      const digest = await client.digestCheck();
      const finishedAt = new Date(this.now()).toISOString();
      this.online = true;
      this.receivedSinceStart += summary.received;
      this.lastRun = this.lastSuccess = { at: finishedAt, ok: true, ...summary, errorCode: null, errorMessage: null, errorDetails: null };
      await this.refreshUpstream(transport);
      return { ...summary, finishedAt, digest };
    } catch (err) {
      const e = err instanceof AppError ? err : new AppError('SYNC_HQ_ERROR', err instanceof Error ? err.message : String(err));
      this.online = e.code !== 'SYNC_OFFLINE';
      this.lastRun = { at: new Date(this.now()).toISOString(), ok: false, sent: 0, received: 0, conflicts: 0, errorCode: e.code, errorMessage: e.message, errorDetails: e.details ?? null };
      throw e;
    }
  }

  /** The hub's own link to HQ, from its health answer (at most every 5 s; a failure only clears it). */
  private async refreshUpstream(transport: HqTransport): Promise<void> {
    if (this.now() - this.lastHealthAt < 5_000) return;
    this.lastHealthAt = this.now();
    try {
      const res = await transport.request('GET', '/v1/health', undefined, null);
      const health = HealthResponse.safeParse(res.body);
      const u = health.success ? health.data.upstream : undefined;
      this.upstream = u ? { configured: u.configured, lastOkAt: u.last_ok_at, pending: u.pending, lastErrorCode: u.last_error_code } : null;
    } catch {
      this.upstream = null;
    }
  }

  status(): HubStatus {
    const store = this.getStore();
    const q = this.q;
    const hubUrl = q.get(HUB_KEYS.url);
    return {
      hubUrl,
      certFingerprint: q.get(HUB_KEYS.certFingerprint),
      enrolled: q.get(HUB_KEYS.token) !== null,
      auto: q.get(AUTO_KEY) === '1',
      online: this.online,
      running: this.current !== null,
      unsynced: hubUrl ? Math.max(0, q.ownMaxSeq(store.deviceId) - q.ackedSeq()) : 0,
      receivedSinceStart: this.receivedSinceStart,
      logPosition: logPositionQ(store.db).get()?.s ?? 0,
      lastSuccess: this.lastSuccess,
      lastRun: this.lastRun,
      upstream: this.upstream,
    };
  }

  private resetLive(): void {
    this.online = null;
    this.lastRun = null;
    this.lastSuccess = null;
    this.upstream = null;
    this.lastHealthAt = 0;
  }

  private requireConnection(): { url: string; pin: string | null; token: string } {
    const q = this.q;
    const url = q.get(HUB_KEYS.url);
    if (!url) throw new AppError('SYNC_NOT_CONFIGURED', 'No hub address set');
    const token = q.get(HUB_KEYS.token);
    if (!token) throw new AppError('SYNC_NOT_ENROLLED', 'This desk is not enrolled with the hub');
    return { url, pin: q.get(HUB_KEYS.certFingerprint), token };
  }
}
