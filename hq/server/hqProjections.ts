import type { Store } from '../../core/store/openStore';
import { createSettingsQueries } from '../../core/store/queries/settingsQueries';
import type { EventEnvelope } from '../../shared/events/envelope';
import type { HqStorage, StoredEvent } from './storage';

const CURSOR_KEY = 'hq_projection_cursor';
const PAGE = 1000;
/** Payload characters folded per transaction (~2 import slices of 250 people, ~50 ms; hundreds of small events). */
const FOLD_BYTES = 128 * 1024;
/** The catch-up folds its next step once sync requests left it alone this long… */
const QUIET_MS = 100;
/** …or after this long, whatever comes in. */
const MAX_YIELD_MS = 1000;

export function storedToEnvelope(e: StoredEvent): EventEnvelope {
  return {
    eventId: e.eventId,
    deviceId: e.deviceId,
    deviceSeq: e.deviceSeq,
    hlc: e.hlc,
    type: e.type,
    schemaVersion: e.schemaVersion,
    actorId: e.actorId,
    stopId: e.stopId,
    recordedAt: e.recordedAt,
    payload: JSON.parse(e.payloadText) as Record<string, unknown>,
  };
}

/**
 * The envelope as JSON text (a `PullResponse` event), with the payload spliced in as the JSON text HQ
 * stored: HQ stores only payloads it parsed from JSON, so the text is valid JSON, and equal to
 * `JSON.stringify(storedToEnvelope(e))` up to the payload's own formatting.
 */
export function storedToJson(e: StoredEvent): string {
  return `{"eventId":${JSON.stringify(e.eventId)},"deviceId":${JSON.stringify(e.deviceId)},"deviceSeq":${e.deviceSeq},"hlc":${JSON.stringify(e.hlc)},"type":${JSON.stringify(e.type)},"schemaVersion":${e.schemaVersion},"actorId":${JSON.stringify(e.actorId)},"stopId":${JSON.stringify(e.stopId)},"recordedAt":${JSON.stringify(e.recordedAt)},"payload":${e.payloadText}}`;
}

/**
 * HQ's state: the very same core store and projections a laptop runs (core/store), fed with every
 * event HQ accepted, in server-sequence order, like a laptop's pull. The cursor is stored in the same
 * transaction as the events it covers, so a crash between an accepted push and its projection is
 * caught up on the next start; several HQ processes on one PostgreSQL each keep their own copy.
 */
export class HqProjections {
  private running: Promise<number> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | null = null;
  private firstKick: number | null = null;
  private stopped = false;
  private lastRequestAt = 0;
  private readonly settings;

  constructor(
    readonly store: Store,
    private readonly storage: HqStorage,
    private readonly onError: (err: unknown) => void = (err) => console.error('[hq] projection catch-up failed', err),
  ) {
    this.settings = createSettingsQueries(store.db);
  }

  get cursor(): string {
    return this.settings.get(CURSOR_KEY) ?? '0';
  }

  /** Folds every accepted event not yet projected. Concurrent calls share one run (plus one more pass). */
  catchUp(): Promise<number> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.rerun = false;
          total += await this.pass();
        } while (this.rerun);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  /**
   * The server's call after an accepted push: projects soon, not per batch. While batches keep
   * arriving it waits for a quiet moment (at most `maxDelayMs`), so a burst of pushes is folded in
   * big pages instead of competing with the pushes batch by batch. Failures are logged, never thrown.
   */
  kick(delayMs = 200, maxDelayMs = 2000): void {
    if (this.stopped) return;
    const now = Date.now();
    this.firstKick ??= now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(delayMs, this.firstKick + maxDelayMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.firstKick = null;
      this.catchUp().catch(this.onError);
    }, wait);
    this.timer.unref();
  }

  /** No more scheduled runs (before closing the stores). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A sync request began or ended (syncApp.ts): the catch-up waits for a quiet moment before its next step. */
  noteRequest(): void {
    this.lastRequestAt = Date.now();
  }

  /**
   * Waits until no sync request began or ended for QUIET_MS, at most MAX_YIELD_MS: a desk's push of
   * a large import is answered between its batches instead of after a fold step (the fold of an
   * import slice is ~10× its push), and the fold still advances at least a step a second.
   */
  private async quiet(): Promise<void> {
    const until = Date.now() + MAX_YIELD_MS;
    while (Date.now() - this.lastRequestAt < QUIET_MS && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  }

  private async pass(): Promise<number> {
    let n = 0;
    for (;;) {
      const page = await this.storage.pull(this.cursor, PAGE);
      // Folded in steps of at most FOLD_BYTES of payload, each with its cursor in one transaction: a
      // page of 1,000 import slices (250 people each) would otherwise hold the server for seconds.
      let from = 0;
      while (from < page.events.length) {
        let to = from;
        let bytes = 0;
        while (to < page.events.length && (to === from || bytes + page.events[to]!.payloadText.length <= FOLD_BYTES)) bytes += page.events[to++]!.payloadText.length;
        await this.quiet();
        const step = page.events.slice(from, to);
        const cursor = to === page.events.length ? page.cursor : step[step.length - 1]!.serverSeq;
        this.store.events.transaction(() => {
          // HQ's log holds only envelopes validated with the shared schema on the way in (push, import);
          // ingest still validates each payload.
          this.store.events.ingest(step.map(storedToEnvelope), { envelopesParsed: true });
          this.settings.set(CURSOR_KEY, cursor);
        });
        n += step.length;
        from = to;
        // Let waiting requests (pushes, pulls) run between steps: a long catch-up never holds the server.
        if (from < page.events.length || page.hasMore) await new Promise((resolve) => setImmediate(resolve));
      }
      if (!page.hasMore) return n;
    }
  }
}
