import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { DashboardQueries, type DashboardOp, type DashboardOps, type DashboardSources } from './dashboardOps';

export interface DashboardWorkerData {
  projections: { file: string; keyHex: string | null };
  log: { file: string; keyHex: string | null } | null;
}

export interface DashboardRequest<K extends DashboardOp = DashboardOp> {
  id: number;
  op: K;
  input: DashboardOps[K]['input'];
}

export type DashboardReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; error?: { code: ErrorCode; message: string; details?: Record<string, unknown> | undefined } };

/**
 * The worker's code: HQ runs from its TypeScript sources (`npm run hq`, tests, benchmarks), loaded in
 * the new thread through tsx's loader registered there (as core/import/importRunner.ts does).
 */
function workerScript(): { script: string | URL; eval: boolean } {
  // HQ's bundle (scripts/build.mjs, dist/hq): the thread's own prebuilt file beside it.
  if (typeof __HQ_WORKER_DIR_URL__ === 'string') return { script: new URL('./dashboardWorker.mjs', __HQ_WORKER_DIR_URL__), eval: false };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = new URL('./dashboardWorker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, eval: true };
}

/** Set by scripts/build.mjs in HQ's bundle: the bundle's URL. */
declare const __HQ_WORKER_DIR_URL__: string | undefined;

export interface DashboardReaderOptions {
  /** HQ's projection store (its file and SQLCipher key). */
  projections: { file: string; key?: Buffer | undefined };
  /** HQ's event log when it is SQLite (digests are hashed on the worker); null on PostgreSQL. */
  log: { file: string; key?: Buffer | undefined } | null;
  /** The same reads on the main thread's connections, where no worker can start. */
  inProcess: () => DashboardSources;
  /** Never start a thread (benchmarks compare the two). */
  inProcessOnly?: boolean;
}

/**
 * Where the dashboard's pages get their data: a worker thread with its own read-only connections
 * (dashboardWorker.ts), so a page that derives proposals over 100,000 records or hashes a large log
 * never holds the thread that answers the laptops' sync and /v1/health. Started at the first page;
 * restarted if it dies; where a thread cannot start at all, the reads run in-process (slower for
 * sync, never wrong).
 */
export class DashboardReader {
  private worker: Worker | null = null;
  private ready: Promise<Worker | null> | null = null;
  private fallback: DashboardQueries | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: DashboardReaderOptions) {
    if (opts.inProcessOnly || opts.projections.file === ':memory:') this.fallback = new DashboardQueries(opts.inProcess());
  }

  /** 'worker' once its thread answered, 'in-process' after a failed start. */
  get mode(): 'worker' | 'in-process' | 'idle' {
    return this.fallback ? 'in-process' : this.worker ? 'worker' : 'idle';
  }

  async run<K extends DashboardOp>(op: K, input: DashboardOps[K]['input']): Promise<DashboardOps[K]['output']> {
    const w = this.fallback ? null : await this.start();
    if (!w) {
      this.fallback ??= new DashboardQueries(this.opts.inProcess());
      return this.fallback.run(op, input);
    }
    const id = this.nextId++;
    const out = await new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, op, input } satisfies DashboardRequest<K>);
    });
    if (op === 'followUpExport') {
      const file = out as DashboardOps['followUpExport']['output'] & { bytes: Uint8Array };
      return { ...file, bytes: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength) } as DashboardOps[K]['output'];
    }
    return out as DashboardOps[K]['output'];
  }

  /** Starts the thread ahead of the first page (it loads its code meanwhile). */
  prepare(): void {
    if (!this.fallback) void this.start();
  }

  private start(): Promise<Worker | null> {
    if (this.closed) return Promise.reject(new Error('The dashboard is closed'));
    if (this.ready) return this.ready;
    const hex = (k?: Buffer) => k?.toString('hex') ?? null;
    const data: DashboardWorkerData = {
      projections: { file: this.opts.projections.file, keyHex: hex(this.opts.projections.key) },
      log: this.opts.log ? { file: this.opts.log.file, keyHex: hex(this.opts.log.key) } : null,
    };
    this.ready = new Promise<Worker | null>((resolve) => {
      let w: Worker;
      try {
        const spec = workerScript();
        w = new Worker(spec.script, { eval: spec.eval, workerData: data });
      } catch (err) {
        console.warn('[hq] no dashboard worker thread, reading in-process:', err);
        resolve(null);
        return;
      }
      w.unref();
      let up = false;
      w.on('message', (m: DashboardReply | { ready: true }) => {
        if ('ready' in m) {
          up = true;
          this.worker = w;
          resolve(w);
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
          console.warn('[hq] the dashboard worker did not start, reading in-process:', err);
          resolve(null);
        } else if (!this.closed) console.warn('[hq] the dashboard worker stopped; the next page starts a new one:', err);
        for (const p of this.pending.values()) p.reject(err instanceof Error ? err : new Error(String(err)));
        this.pending.clear();
        if (this.worker === w || !up) {
          this.worker = null;
          this.ready = null;
        }
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`dashboard worker exited (${code})`)));
    });
    return this.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    await w?.terminate();
  }
}
