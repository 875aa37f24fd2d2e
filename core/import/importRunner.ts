import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { storeSource, type Store } from '../store/openStore';
import { createBlockingChannel } from './blockingChannel';
import type { ImportOp, ImportOps, ImportReply, ImportWorkerData, ImportWorkerRole, SearchIndexMessage, WriterLink } from './importProtocol';
import { expectSearchIndex, offerSearchIndex, searchCacheOf } from '../store/searchCache';
import type { ImportSession } from './importSession';
import { ImportProgress } from './importProgress';
import type { ImportProgressView } from '../../shared/ipc/importProgressContract';

/** Set by scripts/build.mjs in the bundles: the worker bundle's file name beside the running bundle. */
declare const __IMPORT_WORKER_FILE__: string | undefined;

/**
 * Where the worker's code is: beside a bundle, or (tests, benchmarks: no bundle) the TypeScript
 * source, loaded through tsx's loader registered inside the new thread.
 */
function workerSpec(): { script: string | URL; eval: boolean } {
  if (typeof __IMPORT_WORKER_FILE__ === 'string') {
    const dir = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
    return { script: path.join(dir, __IMPORT_WORKER_FILE__), eval: false };
  }
  // The ESM entry of tsx's API (its exports map gives require() the CommonJS one).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = new URL('./importWorker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, eval: true };
}

/** A worker idle this long is stopped (its uploads go with it; the desk then chooses the file again). */
const IDLE_MS = 10 * 60_000;
/**
 * After a commit the dialog only shows the outcome (nothing asks for the upload again): the threads
 * are stopped once idle this long, giving their memory back (100,000 rows: hundreds of MB of parsed
 * table, plan and heap). The next import starts them again (the dialog readies them when it opens).
 */
const AFTER_COMMIT_IDLE_MS = 1_000;
/** How long the session waits for its writer thread to start before it goes on without (writing its commits itself). */
const WRITER_START_MS = 60_000;
const delay = (ms: number): Promise<null> => new Promise((r) => setTimeout(() => r(null), ms).unref());
/** How long a host write waits for the worker's commit to release the write lock. */
const COMMIT_BUSY_TIMEOUT_MS = 120_000;

export interface ImportRunner {
  /** 'worker' once the worker thread answers; 'in-process' for in-memory stores or when no worker can start. */
  readonly mode: 'worker' | 'in-process' | 'starting';
  call<K extends ImportOp>(op: K, input: ImportOps[K]['input']): Promise<ImportOps[K]['output']>;
  /** Starts the worker ahead of the first file (it loads its code and opens the store meanwhile). */
  prepare(): Promise<'worker' | 'in-process'>;
  /** How far the running parse, check or commit of this upload is (read from memory the import threads share: never waits for them). */
  progress(uploadId: string): ImportProgressView;
  close(): Promise<void>;
}

/**
 * Runs import steps in a worker thread with its own connection to the store (core/import/importWorker.ts),
 * so parsing 30 MB and committing 100,000 rows never blocks the host's thread: the desk keeps searching
 * and checking people in meanwhile. (A write of the host during the worker's commit waits for it,
 * as two writers to one SQLite file do.) Falls back to running in-process where a worker cannot
 * start, so the import always works.
 */
class WorkerImportRunner implements ImportRunner {
  mode: ImportRunner['mode'] = 'starting';
  private worker: Worker | null = null;
  /** The session worker's writer thread, if it started, and the writer's end of the channel to the session. */
  private writer: Worker | null = null;
  private writerEnd: MessagePort | null = null;
  private ready: Promise<boolean> | null = null;
  /**
   * The in-process session, where no worker runs: loaded on first use (its parsers, decoders and plans
   * are the worker's code, which the host's start need not load).
   */
  private fallback: Promise<ImportSession> | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;
  /**
   * Uploads whose chunks go to the worker without waiting for it (it decodes each chunk as the next is
   * still on its way): the chunks sent, and the first refusal, which the upload's next call then gives.
   */
  private readonly streaming = new Map<string, { sent: Set<number>; failure: unknown; last: Promise<unknown> }>();

  /** Commits of the worker in flight, and the host connection's busy_timeout before the first. */
  private committing = 0;
  private hostBusyTimeout = 0;
  /** Counted by the import threads (or the in-process session) as they go; the upload whose step they count. */
  private readonly counters = new ImportProgress();
  private activeUpload: string | null = null;
  /**
   * The search indexes the worker builds after a large commit (after its reply): each scope's
   * waiter, settled when its index arrives, or when the worker is done, fails or is stopped.
   */
  private readonly searchBuilds = new Map<string, () => void>();
  /** Whether the threads stop a second after the worker's search build (no step asked for since the commit). */
  private stopAfterBuild = false;

  constructor(private readonly store: Store) {
    if (storeSource(store).file === ':memory:') this.useFallback();
  }

  async call<K extends ImportOp>(op: K, input: ImportOps[K]['input']): Promise<ImportOps[K]['output']> {
    if (!this.fallback && !(await this.start())) this.useFallback();
    if (this.fallback) return this.runInProcess(op, input);
    this.touch();
    const uploadId = (input as { uploadId: string }).uploadId;
    if (op === 'parse' || op === 'check' || op === 'commit') this.activeUpload = uploadId;
    if (op === 'upload') return this.uploadWithoutWaiting(input as ImportOps['upload']['input']) as Promise<ImportOps[K]['output']>;
    // Any other step of an upload waits for its chunks, and says why one was refused (a discard
    // just discards: it must still reach the worker, which may hold the upload's other chunks).
    const s = this.streaming.get(uploadId);
    if (s) {
      await s.last.catch(() => undefined);
      this.streaming.delete(uploadId);
      if (s.failure && op !== 'discard') throw s.failure;
    }
    if (op === 'commit') {
      // The worker prepares the search indexes a large commit changes: the stop's, and those the host uses.
      const searchScopes = this.store.db.open ? searchCacheOf(this.store.db).inUse() : [];
      const out = await this.whileCommitting(() => this.send(op, { ...(input as ImportOps['commit']['input']), searchScopes } as ImportOps[K]['input']));
      if (this.searchBuilds.size > 0) {
        // The worker builds the search indexes now: the threads stop a second after it is done.
        this.touch();
        this.stopAfterBuild = true;
      } else this.touch(AFTER_COMMIT_IDLE_MS);
      return out;
    }
    return this.send(op, input);
  }

  /**
   * While the worker's commit holds the write lock (100,000 rows: several seconds, longer on a slow
   * laptop), a write of the host (a check-in, a sync round, a backup's bookkeeping, a purge) waits
   * for it rather than failing with SQLITE_BUSY after the usual 5 s busy_timeout.
   */
  private async whileCommitting<T>(fn: () => Promise<T>): Promise<T> {
    const db = this.store.db;
    if (this.committing++ === 0 && db.open) {
      this.hostBusyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma(`busy_timeout = ${Math.max(this.hostBusyTimeout, COMMIT_BUSY_TIMEOUT_MS)}`);
    }
    try {
      return await fn();
    } finally {
      if (--this.committing === 0 && db.open) db.pragma(`busy_timeout = ${this.hostBusyTimeout}`);
    }
  }

  private uploadWithoutWaiting(input: ImportOps['upload']['input']): Promise<ImportOps['upload']['output']> {
    let s = this.streaming.get(input.uploadId);
    if (!s) this.streaming.set(input.uploadId, (s = { sent: new Set(), failure: null, last: Promise.resolve() }));
    if (s.failure) return Promise.reject(s.failure);
    const entry = s;
    entry.sent.add(input.index);
    entry.last = this.send('upload', input).catch((err: unknown) => {
      entry.failure ??= err;
    });
    return Promise.resolve({ received: entry.sent.size });
  }

  private send<K extends ImportOp>(op: K, input: ImportOps[K]['input']): Promise<ImportOps[K]['output']> {
    const id = this.nextId++;
    const data = (input as { data?: Uint8Array }).data;
    return new Promise((resolve, reject) => {
      // Stopped (idle, store closed) between this call's start and now: its uploads went with it.
      if (!this.worker) return reject(workerGone(op));
      // An upload's bytes move to the worker rather than being copied; bytes that cannot move (a buffer
      // the runtime marked untransferable) are copied instead.
      try {
        this.worker.postMessage({ id, op, input }, data ? [data.buffer as ArrayBuffer] : []);
      } catch (err) {
        if (!data) return reject(err);
        this.worker.postMessage({ id, op, input });
      }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    }).then((value) => {
      // The worker's stamps are later than any this host's clock gave: follow them.
      if (op === 'commit') {
        const last = (value as ImportOps['commit']['output']).lastHlc;
        if (last) this.store.clock.receive(last);
      }
      return value as ImportOps[K]['output'];
    });
  }

  progress(uploadId: string): ImportProgressView {
    return uploadId === this.activeUpload ? this.counters.read() : { phase: 'idle', done: 0, total: 0 };
  }

  async prepare(): Promise<'worker' | 'in-process'> {
    if (!this.fallback && !(await this.start())) this.useFallback();
    if (!this.fallback) this.touch();
    return this.fallback ? 'in-process' : 'worker';
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.searchBuildsOver();
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    await Promise.all([w?.terminate(), this.stopWriter()]);
  }

  private start(): Promise<boolean> {
    if (this.ready) return this.ready;
    const spec = workerSpec();
    const source = storeSource(this.store);
    const data = (role: ImportWorkerRole): ImportWorkerData => ({ role, file: source.file, keyHex: source.key?.toString('hex') ?? null, progress: this.counters.buffer });
    // The writer starts alongside (its own thread and connection); linked to the session once both are up.
    const writer = this.startWriter(spec, data('writer'));
    this.ready = new Promise<boolean>((resolve, reject) => {
      let w: Worker;
      try {
        w = new Worker(spec.script, { workerData: data('session'), eval: spec.eval });
      } catch (err) {
        console.warn('[import] no worker thread, importing in-process:', err);
        void writer.then((ww) => ww?.terminate());
        resolve(false);
        return;
      }
      w.unref();
      let up = false;
      w.on('message', (m: ImportReply | SearchIndexMessage | { ready: true }) => {
        if ('searchPending' in m) {
          // Before the commit's reply: searches of these scopes wait for the worker's index from now on.
          if (this.store.db.open) for (const scope of m.searchPending.scopes) this.expectSearch(scope);
          return;
        }
        if ('searchIndex' in m) {
          // A search index the worker built after a large commit: the host's next search takes it.
          const { scope, ...saved } = m.searchIndex;
          if (this.store.db.open) offerSearchIndex(this.store.db, scope, saved);
          this.searchBuilds.get(scope)?.();
          return;
        }
        if ('searchDone' in m) {
          this.searchBuildsOver();
          if (this.stopAfterBuild) this.touch(AFTER_COMMIT_IDLE_MS);
          return;
        }
        if ('ready' in m) {
          up = true;
          this.mode = 'worker';
          // Ready once the writer is linked too (or could not start): the first commit then uses it.
          void Promise.race([writer, delay(WRITER_START_MS)]).then((ww) => {
            if (ww && this.worker === w && this.writer === ww) this.link(w, ww);
            resolve(true);
          });
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(m.error ? new AppError(m.error.code, m.error.message, m.error.details) : new Error(m.message));
      });
      const gone = (err: unknown) => {
        if (!up) {
          // Stopped by close() while starting (store closed): no fallback for this call, it just ends.
          if (this.worker !== w) reject(workerGone());
          else {
            console.warn('[import] the worker did not start, importing in-process:', err);
            resolve(false);
          }
        }
        // Whatever it held (uploads, a commit in flight, rolled back unless it had finished) went with
        // it: the desk chooses the file again, and the new check shows what is already imported.
        for (const p of this.pending.values()) p.reject(workerGone());
        this.pending.clear();
        // Searches waiting for its indexes build them themselves.
        if (this.worker === w) this.searchBuildsOver();
        if (this.worker === w) {
          // Not stopped by close(): it crashed (the next step starts a new one, and a new writer).
          if (up) console.warn('[import] the worker stopped:', err);
          this.worker = null;
          this.ready = null;
          void this.stopWriter();
        }
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`import worker exited (${code})`)));
      this.worker = w;
    });
    // Stopped while starting: the callers waiting get the rejection; nobody waiting is not an error.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /**
   * The session's writer thread (core/import/importWriter.ts): resolves once it is up, or null if
   * it cannot start (the session then writes its commits itself, on one core).
   */
  private startWriter(spec: { script: string | URL; eval: boolean }, data: ImportWorkerData): Promise<Worker | null> {
    return new Promise((resolve) => {
      let w: Worker;
      try {
        w = new Worker(spec.script, { workerData: data, eval: spec.eval });
      } catch (err) {
        console.warn('[import] no writer thread, the import worker writes its commits itself:', err);
        resolve(null);
        return;
      }
      w.unref();
      this.writer = w;
      let up = false;
      w.on('message', (m: { ready: true }) => {
        if ('ready' in m) {
          up = true;
          resolve(w);
        }
      });
      const gone = (err: unknown) => {
        if (this.writer !== w) return resolve(null);
        this.writer = null;
        // Its end of the channel, if it never reached it, is closed here: the session then sees the channel
        // close either way. A commit it was writing is rolled back; the session writes from now on itself.
        this.writerEnd?.close();
        this.writerEnd = null;
        console.warn(up ? '[import] the writer thread stopped:' : '[import] the writer thread did not start, the import worker writes its commits itself:', err);
        resolve(null);
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`import writer exited (${code})`)));
    });
  }

  /** Connects the session worker to its writer: the two ends of a blocking channel, moved to each. */
  private link(session: Worker, writer: Worker): void {
    const { sender, receiver, signal } = createBlockingChannel();
    this.writerEnd = receiver;
    writer.postMessage({ link: { port: receiver, signal } } satisfies WriterLink, [receiver]);
    session.postMessage({ link: { port: sender, signal } } satisfies WriterLink, [sender]);
  }

  private async stopWriter(): Promise<void> {
    const w = this.writer;
    this.writer = null;
    this.writerEnd = null;
    if (w) await w.terminate();
  }

  /** A scope the worker is building: a search of it on the host waits (core/store/searchCache.ts `searchIndexArriving`). */
  private expectSearch(scope: string): void {
    this.searchBuilds.get(scope)?.();
    const done = new Promise<void>((resolve) => {
      const settle = (): void => {
        if (this.searchBuilds.get(scope) === settle) this.searchBuilds.delete(scope);
        resolve();
      };
      this.searchBuilds.set(scope, settle);
    });
    expectSearchIndex(this.store.db, scope, done);
  }

  /** The worker's search build is over (done, failed, or the worker stopped): nobody waits for it any more. */
  private searchBuildsOver(): void {
    for (const settle of [...this.searchBuilds.values()]) settle();
  }

  private touch(ms = IDLE_MS): void {
    this.stopAfterBuild = false;
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.close(), ms);
    this.idle.unref();
  }

  private useFallback(): void {
    this.mode = 'in-process';
    this.fallback ??= import('./importSession').then(({ ImportSession }) => new ImportSession(this.store, { progress: this.counters }));
  }

  private async runInProcess<K extends ImportOp>(op: K, input: ImportOps[K]['input']): Promise<ImportOps[K]['output']> {
    const s = await this.fallback!;
    if (op === 'parse' || op === 'check' || op === 'commit') this.activeUpload = (input as { uploadId: string }).uploadId;
    const req = input as never;
    switch (op) {
      case 'upload':
        return s.upload(req) as ImportOps[K]['output'];
      case 'parse':
        return (await s.parse(req)) as ImportOps[K]['output'];
      case 'check':
        return s.check(req) as ImportOps[K]['output'];
      case 'commit': {
        const { actorId, searchScopes: _, ...target } = input as ImportOps['commit']['input'];
        return (await s.commit(target, actorId)) as ImportOps[K]['output'];
      }
      case 'rejectedRows': {
        const { labels, ...target } = input as ImportOps['rejectedRows']['input'];
        return s.rejectedRows(target, labels) as ImportOps[K]['output'];
      }
      default:
        return s.discard((input as ImportOps['discard']['input']).uploadId) as ImportOps[K]['output'];
    }
  }
}

function workerGone(op?: ImportOp): AppError {
  return new AppError('IMPORT_EXPIRED', `The import worker stopped${op ? ` before ${op}` : ''}`, {});
}

const runners = new WeakMap<Store, ImportRunner>();

/** The import runner of a store (one worker per open store, started on first use, stopped when the store closes). */
export function importRunner(store: Store): ImportRunner {
  let r = runners.get(store);
  if (!r) {
    const runner = new WorkerImportRunner(store);
    runners.set(store, (r = runner));
    store.onClose(() => void runner.close());
  }
  return r;
}
