import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { storeSource, type Store } from '../../core/store/openStore';
import { createSettingsQueries } from '../../core/store/queries/settingsQueries';
import type { FoldWorkerData } from './foldWorker';
import { CURSOR_KEY, followFoldClock, foldPass, HqFolder, prepareHqProjectionStore, type FoldReply, type LogSource } from './hqFold';
import type { HqStorage, StoredEvent } from './storage';

export { storedToEnvelope } from './hqFold';

/** Payload characters folded per transaction on the main thread (~2 import slices of 250 people, ~50 ms; hundreds of small events). */
const FOLD_BYTES = 128 * 1024;
/**
 * …and on the fold thread, where a step holds only the projection store's write lock (HQ's own
 * actions wait for it), never the server; the thread runs at the lowest priority, so steps stay short.
 */
const THREAD_FOLD_BYTES = 128 * 1024;
/** The fold thread ends after this long with nothing to fold (and starts again at the next push). */
const FOLD_THREAD_IDLE_MS = 10_000;
/** Events read from the log per page (a page of import slices is ~90 KB an event). */
const PAGE_EVENTS = 250;
/** The in-process catch-up folds its next step once sync requests left it alone this long… */
const QUIET_MS = 100;
/** …or after this long, whatever comes in. */
const MAX_YIELD_MS = 1000;

/**
 * The envelope as JSON text (a `PullResponse` event), with the payload spliced in as the JSON text HQ
 * stored: HQ stores only payloads it parsed from JSON, so the text is valid JSON, and equal to
 * `JSON.stringify(storedToEnvelope(e))` up to the payload's own formatting.
 */
export function storedToJson(e: StoredEvent): string {
  return `{"eventId":${JSON.stringify(e.eventId)},"deviceId":${JSON.stringify(e.deviceId)},"deviceSeq":${e.deviceSeq},"hlc":${JSON.stringify(e.hlc)},"type":${JSON.stringify(e.type)},"schemaVersion":${e.schemaVersion},"actorId":${JSON.stringify(e.actorId)},"stopId":${JSON.stringify(e.stopId)},"recordedAt":${JSON.stringify(e.recordedAt)},"payload":${e.payloadText}}`;
}

/**
 * The fold thread's code. HQ runs from its TypeScript sources: the thread's modules are bundled once
 * into one script (esbuild, which tsx runs on; native modules stay outside, required by absolute
 * path), so the thread needs no module loader of its own (a loader is one more thread and its memory).
 * Without esbuild, the sources are loaded through tsx's loader registered in the thread.
 */
let bundled: Promise<string | null> | null = null;
async function bundleWorker(): Promise<string | null> {
  const require = createRequire(import.meta.url);
  try {
    const esbuild = await import('esbuild');
    const native = ['better-sqlite3-multiple-ciphers', 'pg'];
    const out = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./foldWorker.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'native-by-path',
          setup(build) {
            build.onResolve({ filter: new RegExp(`^(${native.join('|')})$`) }, (args) => ({ path: require.resolve(args.path), external: true }));
          },
        },
      ],
    });
    return out.outputFiles[0]?.text ?? null;
  } catch {
    return null;
  }
}

/** Set by scripts/build.mjs in HQ's bundle (dist/hq): the bundle's URL, its threads' files beside it. */
declare const __HQ_WORKER_DIR_URL__: string | undefined;

async function workerScript(): Promise<{ script: string | URL; eval: boolean }> {
  // HQ's bundle: the thread's own prebuilt file.
  if (typeof __HQ_WORKER_DIR_URL__ === 'string') return { script: new URL('./foldWorker.mjs', __HQ_WORKER_DIR_URL__), eval: false };
  const code = await (bundled ??= bundleWorker());
  if (code) return { script: code, eval: true };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = new URL('./foldWorker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, eval: true };
}

export interface HqProjectionsOptions {
  /**
   * Fold on a thread of its own with its own connections (HQ's runtime, hqRuntime.ts): the push
   * commits the log and answers; the fold follows. Without it (tests that build HQ by hand, or where
   * no thread can start) the same fold runs on the calling thread in small steps between requests.
   */
  thread?: boolean;
  onError?: (err: unknown) => void;
}

/**
 * HQ's state: the very same core store and projections a laptop runs (core/store), fed with every
 * event HQ accepted, in server-sequence order, like a laptop's pull (hqFold.ts). The cursor is stored
 * in the same transaction as the fold it covers, so a crash between an accepted push and its fold is
 * caught up on the next start; several HQ processes on one PostgreSQL each keep their own copy. The
 * projection store keeps no second copy of the devices' events: HQ's log is the one copy.
 */
export class HqProjections {
  private running: Promise<number> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | null = null;
  private firstKick: number | null = null;
  private stopped = false;
  private lastRequestAt = 0;
  private readonly settings;
  private readonly onError: (err: unknown) => void;
  /** The fold thread, when there is one (null: fold in-process). */
  private thread: FoldThread | null = null;
  private folder: HqFolder | null = null;

  constructor(
    readonly store: Store,
    private readonly storage: HqStorage,
    optsOrOnError: HqProjectionsOptions | ((err: unknown) => void) = {},
  ) {
    const opts = typeof optsOrOnError === 'function' ? { onError: optsOrOnError } : optsOrOnError;
    this.onError = opts.onError ?? ((err) => console.error('[hq] projection catch-up failed', err));
    this.settings = createSettingsQueries(store.db);
    prepareHqProjectionStore(store.db, store.deviceId);
    this.followFold();
    const log = opts.thread ? storage.logSource?.() : null;
    const source = log ? storeSourceOrNull(store) : null;
    if (log && source && source.file !== ':memory:') {
      this.thread = new FoldThread({ projections: { file: source.file, keyHex: source.key?.toString('hex') ?? null }, log, deviceId: store.deviceId, stepBytes: THREAD_FOLD_BYTES, pageEvents: PAGE_EVENTS }, (hlc) => this.store.clock.receive(hlc));
      store.onClose(() => void this.thread?.close());
    }
  }

  get cursor(): string {
    return this.settings.get(CURSOR_KEY) ?? '0';
  }

  /** 'thread' while the fold runs on its own thread, else 'in-process'. */
  get mode(): 'thread' | 'in-process' {
    return this.thread && !this.thread.failed ? 'thread' : 'in-process';
  }

  /**
   * HQ's clock follows the newest HLC folded (stored with the cursor), so what HQ decides sorts after
   * everything its projections showed: the fold thread reports it as it goes; HQ's actions call this
   * before they write (hqActions.ts), and it runs at start.
   */
  followFold(): void {
    followFoldClock(this.store);
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
   * The server's call after an accepted push. On the fold thread: folds right away (the push is
   * already answered; a burst of pushes shares passes). In-process: soon, not per batch: while
   * batches keep arriving it waits for a quiet moment (at most `maxDelayMs`), so a burst is folded
   * in big pages instead of competing with the pushes batch by batch. Failures are logged, never thrown.
   */
  kick(delayMs = 200, maxDelayMs = 2000): void {
    if (this.stopped) return;
    if (this.mode === 'thread') {
      this.catchUp().catch((err: unknown) => {
        if (!this.stopped) this.onError(err);
      });
      return;
    }
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

  /** Ends the fold thread (after `stop` and a last `catchUp`). */
  async close(): Promise<void> {
    this.stop();
    await this.thread?.close();
  }

  /** A sync request began or ended (syncApp.ts): the in-process catch-up waits for a quiet moment before its next step. */
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
    if (this.thread && !this.thread.failed) {
      const n = await this.thread.pass();
      if (n !== null) return n;
      // The thread could not start: fold here from now on.
    }
    this.folder ??= new HqFolder(this.store.db, this.store.events, this.store.deviceId);
    return foldPass(
      this.folder,
      { page: (after, limit) => this.storage.pull(after, limit) },
      { stepBytes: FOLD_BYTES, pageEvents: PAGE_EVENTS },
      (_cursor, hlc) => {
        if (hlc) this.store.clock.receive(hlc);
      },
      async () => {
        await this.quiet();
        // Let waiting requests (pushes, pulls) run between steps: a long catch-up never holds the server.
        await new Promise((resolve) => setImmediate(resolve));
      },
    );
  }
}

function storeSourceOrNull(store: Store): { file: string; key?: Buffer } | null {
  try {
    return storeSource(store);
  } catch {
    return null;
  }
}

/** The fold thread seen from the main thread: one pass at a time; started at the first pass, restarted if it dies. */
class FoldThread {
  private worker: Promise<Worker | null> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (n: number) => void; reject: (err: unknown) => void }>();
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Set when no thread could start: the caller folds in-process. */
  failed = false;

  constructor(
    private readonly data: FoldWorkerData,
    private readonly onHlc: (hlc: string) => void,
  ) {}

  /** Runs one pass on the thread; null when the thread cannot start. */
  async pass(): Promise<number | null> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const w = await this.start();
    if (!w) return null;
    const id = this.nextId++;
    try {
      return await new Promise<number>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id });
      });
    } finally {
      this.idleLater();
    }
  }

  /**
   * A thread with nothing to fold for FOLD_THREAD_IDLE_MS ends, and gives its memory back (its heap,
   * its connections' caches); the next push starts it again (the bundled code is kept).
   */
  private idleLater(): void {
    if (this.pending.size > 0 || this.closed) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size > 0 || this.closed) return;
      const w = this.worker;
      this.worker = null;
      void w?.then((t) => t?.terminate()).catch(() => undefined);
    }, FOLD_THREAD_IDLE_MS);
    this.idleTimer.unref();
  }

  private start(): Promise<Worker | null> {
    if (this.closed) return Promise.reject(new Error('HQ projections are closed'));
    if (this.worker) return this.worker;
    const started: Promise<Worker | null> = workerScript().then((spec) => new Promise<Worker | null>((resolve) => {
      let w: Worker;
      try {
        // Its own heap limits: the fold's garbage is collected early instead of growing HQ's memory.
        w = new Worker(spec.script, { eval: spec.eval, workerData: this.data, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 4 } });
      } catch (err) {
        console.warn('[hq] no fold thread, folding in-process:', err);
        this.failed = true;
        resolve(null);
        return;
      }
      w.unref();
      let up = false;
      w.on('message', (m: FoldReply) => {
        if ('ready' in m) {
          up = true;
          resolve(w);
        } else if ('progress' in m) {
          if (m.hlc) this.onHlc(m.hlc);
        } else {
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          if (m.ok) p.resolve(m.n);
          else p.reject(new Error(m.message));
        }
      });
      const gone = (err: unknown) => {
        if (!up) {
          console.warn('[hq] the fold thread did not start, folding in-process:', err);
          this.failed = true;
          resolve(null);
        } else if (!this.closed && this.pending.size > 0) console.warn('[hq] the fold thread stopped; the next pass starts a new one:', err);
        for (const p of this.pending.values()) p.reject(err instanceof Error ? err : new Error(String(err)));
        this.pending.clear();
        if (this.worker === started) this.worker = null;
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`fold thread exited (${code})`)));
    }));
    this.worker = started;
    return started;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const w = await this.worker?.catch(() => null);
    this.worker = null;
    await w?.terminate();
  }
}

export type { LogSource };
