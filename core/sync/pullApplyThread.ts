/**
 * The pull's apply thread, seen from the sync's thread (issue #20): a large pull's groups of pages are
 * written on a thread of its own with its own connection to the store (pullApplyWorker.ts), so the
 * sync's thread receives, parses and validates the next pages (and HQ prepares them) while a group
 * is written: on two cores the pull takes about as long as its writes alone.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../shared/errors';
import { storeSource, type Store } from '../store/openStore';
import type { SyncKeys } from '../store/queries/syncQueries';
import type { GroupApplied, PullApplyReply, PullApplyWorkerData } from './pullApply';

/** Set by scripts/build.mjs in the bundles: the apply thread's file beside the running bundle. */
declare const __PULL_WORKER_FILE__: string | undefined;

/**
 * Where the thread's code is: beside a bundle; from the sources (tests, benchmarks), bundled once per
 * process with esbuild (as HQ's fold thread: no module loader thread to start), else through tsx's
 * loader registered in the new thread.
 */
let bundled: Promise<string | null> | null = null;
async function bundleSource(): Promise<string | null> {
  const require = createRequire(import.meta.url);
  try {
    const esbuild = await import('esbuild');
    const native = ['better-sqlite3-multiple-ciphers'];
    const out = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./pullApplyWorker.ts', import.meta.url))],
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

async function workerSpec(): Promise<{ script: string; eval: boolean }> {
  if (typeof __PULL_WORKER_FILE__ === 'string') {
    const dir = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
    return { script: path.join(dir, __PULL_WORKER_FILE__), eval: false };
  }
  const code = await (bundled ??= bundleSource());
  if (code) return { script: code, eval: true };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const source = new URL('./pullApplyWorker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`, eval: true };
}

/** One pull's apply thread: started when a pull has more than one page, ended when the pull ends. */
export class PullApplyThread {
  private worker: Worker | null = null;
  private readyFlag = false;
  private failed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: GroupApplied) => void; reject: (err: unknown) => void }>();
  private onStarted: (up: boolean) => void = () => undefined;
  /** Resolves true once the thread answers, false if it could not start. */
  readonly started = new Promise<boolean>((resolve) => {
    this.onStarted = resolve;
  });

  /** Starts the thread for `store` (a store on a file); null where none can start. */
  static start(store: Store, cacheKib: number): PullApplyThread | null {
    let source: { file: string; key?: Buffer };
    try {
      source = storeSource(store);
    } catch {
      return null;
    }
    if (source.file === ':memory:') return null;
    const t = new PullApplyThread();
    void t.boot({ file: source.file, keyHex: source.key?.toString('hex') ?? null, cacheKib });
    return t;
  }

  private async boot(data: PullApplyWorkerData): Promise<void> {
    try {
      const spec = await workerSpec();
      if (this.failed) return;
      const w = new Worker(spec.script, { eval: spec.eval, workerData: data });
      this.worker = w;
      w.on('message', (m: PullApplyReply) => {
        if ('ready' in m) {
          this.readyFlag = true;
          this.onStarted(true);
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve({ added: m.added, conflicts: m.conflicts });
        else p.reject(m.code ? new AppError(m.code as ErrorCode, m.message, m.details) : new Error(m.message));
      });
      const gone = (err: unknown) => {
        this.failed = true;
        this.onStarted(false);
        this.readyFlag = false;
        for (const p of this.pending.values()) p.reject(err instanceof Error ? err : new Error(String(err)));
        this.pending.clear();
      };
      w.on('error', gone);
      w.on('exit', (code) => gone(new Error(`the pull's apply thread exited (${code})`)));
    } catch {
      this.failed = true;
      this.onStarted(false);
    }
  }

  /** The thread is up and answering: groups go to it (until then, or after it failed, the sync's thread applies them). */
  get ready(): boolean {
    return this.readyFlag && !this.failed;
  }

  /** Applies the pages (their answers' texts, validated by the caller) and moves the cursor, in one transaction on the thread. */
  apply(texts: string[], cursor: string, keys: SyncKeys | undefined): Promise<GroupApplied> {
    const w = this.worker;
    if (!w || !this.ready) return Promise.reject(new Error("the pull's apply thread is not running"));
    const id = this.nextId++;
    return new Promise<GroupApplied>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, texts, cursor, keys });
    });
  }

  /** Ends the thread (after its last group answered): it closes its connection and exits. */
  async close(): Promise<void> {
    this.failed = true;
    this.onStarted(false);
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ close: true });
    const timer = setTimeout(() => void w.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
