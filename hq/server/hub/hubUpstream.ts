import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { HQ_BATCH_BYTES, HQ_BATCH_EVENTS, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_PULL_LIMIT, PullResponse, PushResponse, StopDigestResponse, type HubUpstreamHealth } from '../../../shared/sync/hqProtocol';
import { HqErrorBody } from '../../../shared/sync/hqProtocol';
import { normaliseFingerprint } from '../../../core/sync/certPin';
import { normaliseHqUrl } from '../../../core/sync/hqUrl';
import { createHttpTransport, JsonText, NetworkError, type HqResponse, type HqTransport } from '../../../core/sync/hqTransport';
import { enrollDevice, hqError } from '../../../core/sync/syncClient';
import { openSqlite, type Db } from '../../../core/store/sqlite';
import { storedToJson } from '../hqProjections';
import type { HqStorage, StoredEvent } from '../storage';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS upstream_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  -- Per origin device: the highest contiguous sequence HQ is known to hold (from its push answers and pulls).
  CREATE TABLE IF NOT EXISTS upstream_acks (device_id TEXT PRIMARY KEY, acked_seq INTEGER NOT NULL) STRICT;
`;

export interface UpstreamRound {
  pushed: number;
  pulled: number;
  /** Devices whose events HQ refused to take from this hub (revoked there), with HQ's reason. */
  refused: { deviceId: string; reason: string }[];
}

export interface HubUpstreamOptions {
  makeTransport?: (url: string, certFingerprint: string | null) => HqTransport;
  /** Between rounds while HQ answers (default 5 s)… */
  intervalMs?: number;
  /** …and at most this long while it does not (doubling from intervalMs; default 60 s). */
  maxBackoffMs?: number;
  /** Called when a pull added events to the hub's log (its projections catch up). */
  onImported?: () => void;
  /** SQLCipher key of the state file (it holds the hub's token at HQ). */
  key?: Buffer;
  now?: () => number;
}

/**
 * A venue hub's link to HQ (docs/venue-hub.md). The hub is one enrolled device at HQ with the
 * `hub` role: it relays every desk's events upstream, per origin device under HQ's usual rules
 * (contiguous, idempotent, gap answers), and pulls HQ's events into its own log so the desks get
 * them at the venue. Its state (address, pin, token, cursor, what HQ holds per device) lives in
 * `hub-upstream.sqlite` beside the hub's log. Every step is idempotent, so a crash anywhere only
 * repeats work.
 */
export class HubUpstream {
  private readonly db: Db;
  private readonly stmts;
  private timer: NodeJS.Timeout | null = null;
  private generation = 0;
  /** Devices HQ refused to take (or whose HQ history does not continue the hub's), from the last round. */
  private stuck: UpstreamRound['refused'] = [];
  private round: Promise<UpstreamRound> | null = null;
  private backoffMs: number;
  private pending = 0;
  private lastErrorCode: string | null = null;
  private readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly makeTransport: (url: string, certFingerprint: string | null) => HqTransport;
  private cached: { key: string; transport: HqTransport } | null = null;
  private readonly now: () => number;

  constructor(
    private readonly storage: HqStorage,
    file: string,
    private readonly opts: HubUpstreamOptions = {},
  ) {
    this.db = openSqlite(file, { key: opts.key });
    this.db.exec(SCHEMA);
    this.stmts = {
      get: this.db.prepare<[string], { value: string }>('SELECT value FROM upstream_settings WHERE key = ?'),
      set: this.db.prepare('INSERT INTO upstream_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      del: this.db.prepare('DELETE FROM upstream_settings WHERE key = ?'),
      acks: this.db.prepare<[], { device_id: string; acked_seq: number }>('SELECT device_id, acked_seq FROM upstream_acks'),
      setAck: this.db.prepare('INSERT INTO upstream_acks (device_id, acked_seq) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET acked_seq = MAX(acked_seq, excluded.acked_seq)'),
      resetAck: this.db.prepare('INSERT INTO upstream_acks (device_id, acked_seq) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET acked_seq = excluded.acked_seq'),
    };
    this.intervalMs = opts.intervalMs ?? 5_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.backoffMs = this.intervalMs;
    this.makeTransport = opts.makeTransport ?? ((url, pin) => createHttpTransport(url, { certFingerprint: pin, timeoutMs: 30_000 }));
    this.now = opts.now ?? Date.now;
  }

  private get(key: string): string | null {
    return this.stmts.get.get(key)?.value ?? null;
  }

  /** The id this hub has at HQ, made once. */
  get deviceId(): string {
    let id = this.get('device_id');
    if (!id) {
      id = `hub-${randomUUID()}`;
      this.stmts.set.run('device_id', id);
    }
    return id;
  }

  get configured(): boolean {
    return this.get('url') !== null && this.get('token') !== null;
  }

  get url(): string | null {
    return this.get('url');
  }

  private transport(): { transport: HqTransport; token: string } {
    const url = this.get('url');
    const token = this.get('token');
    if (!url) throw new AppError('SYNC_NOT_CONFIGURED', 'This hub has no HQ address');
    if (!token) throw new AppError('SYNC_NOT_ENROLLED', 'This hub is not enrolled at HQ');
    const pin = this.get('cert_sha256');
    const key = `${url}\n${pin ?? ''}`;
    if (this.cached?.key !== key) this.cached = { key, transport: this.makeTransport(url, pin) };
    return { transport: this.cached.transport, token };
  }

  /**
   * Sets HQ's address (and pin) and, with a code from `npm run hq -- enroll-code --hub` at HQ,
   * enrolls this hub. The code is redeemed before anything is written. Another HQ forgets the old
   * token, cursor and acknowledgements.
   */
  async connect(input: { url: string; certFingerprint?: string | null; code?: string | null; label?: string }): Promise<void> {
    const url = normaliseHqUrl(input.url);
    const pin = input.certFingerprint?.trim() ? normaliseFingerprint(input.certFingerprint) : null;
    let token: string | null = null;
    if (input.code?.trim()) token = await enrollDevice(this.makeTransport(url, pin), this.deviceId, input.code.trim(), input.label ?? 'venue hub');
    // A round in flight against the old HQ must not write its acknowledgements after the reset below.
    const wasRunning = this.timer !== null;
    await this.stop();
    const previous = this.get('url');
    this.db.transaction(() => {
      if (previous !== url) {
        this.stmts.del.run('token');
        this.stmts.del.run('pull_cursor');
        this.db.exec('DELETE FROM upstream_acks');
      }
      this.stmts.set.run('url', url);
      if (pin) this.stmts.set.run('cert_sha256', pin);
      else this.stmts.del.run('cert_sha256');
      if (token) this.stmts.set.run('token', token);
    })();
    this.cached = null;
    if (wasRunning) this.start();
  }

  /** Rounds every few seconds while HQ answers, backing off while it does not. */
  start(): void {
    if (this.timer || !this.configured) return;
    const generation = ++this.generation;
    const next = (delay: number) => {
      this.timer = setTimeout(() => {
        void this.syncOnce()
          .then(() => {
            this.backoffMs = this.intervalMs;
          })
          .catch(() => {
            this.backoffMs = Math.min(this.maxBackoffMs, this.backoffMs * 2);
          })
          .finally(() => {
            // A stop (and maybe a new start) since this round began: that loop is not this one.
            if (this.timer && this.generation === generation) next(this.backoffMs);
          });
      }, delay);
      this.timer.unref();
    };
    next(0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.generation++;
    await this.round?.catch(() => undefined);
  }

  close(): void {
    this.db.close();
  }

  /** One round: pull what the hub lacks, then relay what HQ lacks. One at a time. */
  syncOnce(): Promise<UpstreamRound> {
    if (!this.round) {
      this.round = this.runRound().finally(() => {
        this.round = null;
      });
    }
    return this.round;
  }

  private async runRound(): Promise<UpstreamRound> {
    try {
      const { transport, token } = this.transport();
      const refused: UpstreamRound['refused'] = [];
      // Pull first: what comes from HQ is known to be held there and is not relayed back.
      const pulled = await this.pull(transport, token, refused);
      const pushed = await this.relay(transport, token, refused);
      this.stmts.set.run('last_ok_at', new Date(this.now()).toISOString());
      this.stuck = refused;
      this.lastErrorCode = refused.length > 0 ? 'SYNC_REFUSED' : null;
      await this.refreshPending();
      return { pushed, pulled, refused };
    } catch (err) {
      this.lastErrorCode = err instanceof AppError ? err.code : 'SYNC_HQ_ERROR';
      await this.refreshPending().catch(() => undefined);
      throw err;
    }
  }

  private acks(): Map<string, number> {
    return new Map(this.stmts.acks.all().map((r) => [r.device_id, r.acked_seq]));
  }

  private async refreshPending(): Promise<void> {
    const acks = this.acks();
    let pending = 0;
    for (const d of await this.storage.deviceAcks()) pending += Math.max(0, d.ackedSeq - (acks.get(d.deviceId) ?? 0));
    this.pending = pending;
  }

  /** Per origin device, the events after what HQ holds, in batches within the protocol's limits. */
  private async relay(transport: HqTransport, token: string, refused: UpstreamRound['refused']): Promise<number> {
    let pushed = 0;
    const acks = this.acks();
    // As a desk's push (core/sync/syncClient.ts): batches within what every HQ takes until HQ's answer
    // announces a larger batch, then up to that (issue #20: fewer, larger transactions at HQ), never
    // above this build's own ceiling. An HQ from before the announcement keeps 1,000 / 1 MiB.
    const size = { events: MAX_BATCH_EVENTS, bytes: MAX_BATCH_BYTES };
    for (const { deviceId, ackedSeq: held } of await this.storage.deviceAcks()) {
      // One device HQ will not take (a fork, a clock far ahead, revoked) must not hold the others back.
      if (refused.some((r) => r.deviceId === deviceId)) continue;
      let upstream = acks.get(deviceId) ?? 0;
      let lastGap = -1;
      while (held > upstream) {
        const batch = await this.batchAfter(deviceId, upstream, size);
        if (batch.events.length === 0) break;
        const res = await request(transport, 'POST', '/v1/sync/push', new JsonText(batch.json), token);
        const error = HqErrorBody.safeParse(res.body);
        if (res.status === 409 && error.success && error.data.error.code === 'GAP' && typeof error.data.error.details?.expected_seq === 'number') {
          // HQ holds a shorter prefix than this hub believed: continue from where it says.
          const expected = error.data.error.details.expected_seq;
          if (expected === lastGap) throw new AppError('SYNC_HQ_ERROR', `HQ keeps asking for ${deviceId} sequence ${expected}`);
          lastGap = expected;
          upstream = Math.max(0, expected - 1);
          this.stmts.resetAck.run(deviceId, upstream);
          continue;
        }
        if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 429) {
          // HQ refuses this device's events (revoked, another history at those sequences, stamped far
          // in the future, too large): reported, and the other devices go on.
          refused.push({ deviceId, reason: error.success ? `${error.data.error.code}: ${error.data.error.message}` : `HQ answered ${res.status}` });
          break;
        }
        if (res.status !== 200) throw hqError(res);
        const ok = PushResponse.safeParse(res.body);
        if (!ok.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the relay with something unexpected');
        pushed += ok.data.added;
        if (ok.data.batch) {
          size.events = Math.min(HQ_BATCH_EVENTS, ok.data.batch.max_events);
          size.bytes = Math.min(HQ_BATCH_BYTES, ok.data.batch.max_bytes);
        }
        // HQ answers the highest sequence it holds for the device, which may be beyond this batch
        // (the desk also synced with HQ directly): it holds everything up to there.
        upstream = Math.max(upstream, ok.data.acked_through_seq);
        this.stmts.setAck.run(deviceId, upstream);
      }
    }
    return pushed;
  }

  /**
   * The device's events after `after`: as many as `size` allows, by count and by bytes of the body
   * (UTF-8, exact), each event's JSON built once (at least one event, as a desk's push).
   */
  private async batchAfter(deviceId: string, after: number, size: { events: number; bytes: number }): Promise<{ events: StoredEvent[]; json: string }> {
    const read = await this.storage.eventsOfDevice(deviceId, after, size.events);
    const head = `{"device_id":${JSON.stringify(deviceId)},"events":[`;
    let bytes = Buffer.byteLength(head) + 2;
    const texts: string[] = [];
    for (const e of read) {
      const json = storedToJson(e);
      const more = Buffer.byteLength(json) + (texts.length > 0 ? 1 : 0);
      if (texts.length > 0 && bytes + more > size.bytes) break;
      bytes += more;
      texts.push(json);
    }
    return { events: read.slice(0, texts.length), json: `${head}${texts.join(',')}]}` };
  }

  /**
   * HQ's events into the hub's log, page by page, each device's run through the same push rules as
   * a desk's push (contiguous, idempotent); the cursor is stored after the page is in. A refusal
   * stops the pull without moving the cursor (nothing is skipped).
   */
  private async pull(transport: HqTransport, token: string, refused: UpstreamRound['refused']): Promise<number> {
    let added = 0;
    let cursor = this.get('pull_cursor') ?? '0';
    for (;;) {
      const res = await request(transport, 'POST', '/v1/sync/pull', { cursor, limit: MAX_PULL_LIMIT }, token);
      if (res.status !== 200) throw hqError(res);
      const page = PullResponse.safeParse(res.body);
      if (!page.success) throw new AppError('SYNC_HQ_ERROR', 'HQ answered the pull with something unexpected');
      const byDevice = new Map<string, StoredEvent[]>();
      for (const e of page.data.events) {
        const list = byDevice.get(e.deviceId) ?? [];
        list.push({ ...e, payloadText: JSON.stringify(e.payload) });
        byDevice.set(e.deviceId, list);
      }
      const receivedAt = new Date(this.now()).toISOString();
      for (const [deviceId, list] of byDevice) {
        list.sort((a, b) => a.deviceSeq - b.deviceSeq);
        const out = await this.storage.pushBatch(deviceId, list, receivedAt);
        if (!out.ok) {
          // HQ's history of this device does not continue the hub's (e.g. a laptop restored from a copy
          // synced both ways): nothing of it is stored, it is reported, and the rest of the page goes on.
          if (!refused.some((r) => r.deviceId === deviceId)) refused.push({ deviceId, reason: `HQ's events of ${deviceId} do not continue this hub's log (${out.code})` });
          continue;
        }
        added += out.added;
        // HQ holds these: nothing to relay back.
        this.stmts.setAck.run(deviceId, list[list.length - 1]!.deviceSeq);
      }
      if (BigInt(page.data.cursor) > BigInt(cursor)) {
        cursor = page.data.cursor;
        this.stmts.set.run('pull_cursor', cursor);
      }
      if (added > 0) this.opts.onImported?.();
      if (!page.data.has_more) return added;
    }
  }

  /** HQ's digest of a stop (issue #19): what the hub compares its own copy with before it vouches for it. */
  async stopDigest(stopId: string): Promise<{ eventCount: number; digest: string }> {
    const { transport, token } = this.transport();
    const res = await request(transport, 'GET', `/v1/sync/stop-digest?stop=${encodeURIComponent(stopId)}`, undefined, token);
    if (res.status !== 200) throw hqError(res);
    const parsed = StopDigestResponse.safeParse(res.body);
    if (!parsed.success || parsed.data.source !== 'hq') throw new AppError('SYNC_HQ_ERROR', 'HQ answered the stop digest with something unexpected');
    return { eventCount: parsed.data.event_count, digest: parsed.data.digest };
  }

  health(): HubUpstreamHealth {
    return { configured: this.configured, last_ok_at: this.get('last_ok_at'), pending: this.pending, last_error_code: this.lastErrorCode, stuck: this.stuck.map((r) => ({ device_id: r.deviceId, reason: r.reason })) };
  }
}

async function request(transport: HqTransport, method: 'GET' | 'POST', path: string, body: unknown, token: string): Promise<HqResponse> {
  try {
    return await transport.request(method, path, body, token);
  } catch (err) {
    if (err instanceof NetworkError) throw new AppError('SYNC_OFFLINE', err.message, { network: err.message });
    throw err;
  }
}
