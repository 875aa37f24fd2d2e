import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { keyPragmas, SQLITE_DRIVER, type Db } from './sqlite';

/** How often the thread reads the WAL index (`-shm`: how many frames the WAL holds, how many are copied). */
const POLL_MS = 50;
/** Frames not yet copied that start a checkpoint at once: SQLite's own automatic threshold. */
const THRESHOLD_FRAMES = 1000;
/** Fewer frames are copied once no commit came for this long (a quiet desk's WAL still reaches the file). */
const IDLE_MS = 500;
/** SQLite's own setting, given back to the connection when the thread stops or cannot run. */
const AUTO_CHECKPOINT_PAGES = 1000;
/** How long `stop()` waits for the thread to close its connection (a checkpoint in progress finishes first). */
const STOP_WAIT_MS = 10_000;

/** Slots of the shared flags: the thread closed its connection (1) / checkpoints done so far. */
const CLOSED = 0;
const DONE = 1;

/**
 * The thread: its own connection to the store, nothing but `PRAGMA wal_checkpoint(PASSIVE)` when
 * another connection committed since the last look. CommonJS run with `eval` (no file to bundle beside
 * each build); it requires the driver by the path the host resolved.
 */
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const flags = new Int32Array(workerData.flags);
let db = null;
let timer = null;
let shm = null;
const header = Buffer.alloc(136);
let lastMax = -1;
let changedAt = Date.now();
const closed = () => {
  Atomics.store(flags, ${CLOSED}, 1);
  Atomics.notify(flags, ${CLOSED});
};
// The WAL index header (sqlite.org/walformat.html): mxFrame at byte 16 (frames in the WAL), nBackfill at
// byte 96 (frames already copied), native byte order. Read without a lock: a torn read only moves a
// checkpoint by one tick. Null when the file cannot be read: then every tick that saw a change checkpoints.
const frames = () => {
  try {
    if (shm === null) shm = fs.openSync(workerData.file + '-shm', 'r');
    if (fs.readSync(shm, header, 0, 136, 0) < 136) return null;
    const max = workerData.le ? header.readUInt32LE(16) : header.readUInt32BE(16);
    const done = workerData.le ? header.readUInt32LE(96) : header.readUInt32BE(96);
    return { max, pending: max > done ? max - done : 0 };
  } catch {
    return null;
  }
};
const tick = () => {
  timer = null;
  try {
    const f = frames();
    const now = Date.now();
    const max = f ? f.max : db.pragma('data_version', { simple: true });
    if (max !== lastMax) {
      lastMax = max;
      changedAt = now;
    }
    const pending = f ? f.pending : 1;
    if (pending > 0 && (pending >= workerData.thresholdFrames || now - changedAt >= workerData.idleMs)) {
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.add(flags, ${DONE}, 1);
      if (!f) changedAt = Infinity;
    }
  } catch {
    // Busy or mid-write: the next tick tries again.
  }
  if (db) timer = setTimeout(tick, workerData.pollMs);
};
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  if (timer) clearTimeout(timer);
  timer = null;
  try {
    if (db) db.close();
  } catch {}
  try {
    if (shm !== null) fs.closeSync(shm);
  } catch {}
  db = null;
  closed();
  parentPort.close();
});
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file);
  for (const p of workerData.pragmas) db.pragma(p);
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 0');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('data_version', { simple: true });
  parentPort.postMessage('ready');
  timer = setTimeout(tick, workerData.pollMs);
} catch (err) {
  try { if (db) db.close(); } catch {}
  db = null;
  closed();
  parentPort.postMessage({ failed: String((err && err.message) || err) });
}
`;

const running = new WeakMap<Db, WalCheckpointer>();

/** The checkpoint thread serving `db`'s file, if one runs (then nothing else on `db` needs to checkpoint). */
export function checkpointerOf(db: Db): WalCheckpointer | undefined {
  const c = running.get(db);
  return c?.active ? c : undefined;
}

function driverPath(): string {
  const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  return createRequire(here).resolve(SQLITE_DRIVER);
}

/**
 * The WAL checkpoint off the request path (issue #20). SQLite's automatic checkpoint runs inside the
 * commit that pushes the WAL past 1,000 pages: one check-in in ~100 waited for the copy of the WAL
 * into the database file and its two fsyncs (the p99). While this thread runs, the host's connection
 * has `wal_autocheckpoint = 0` and the thread, with its own connection, copies the committed pages
 * (PASSIVE: it never waits for or blocks the host's reads and writes) when 1,000 frames wait (SQLite's
 * own threshold, read from the WAL index every 50 ms), or fewer once no commit came for 500 ms.
 *
 * Durability is unchanged: a write is durable when its commit is in the WAL (synchronous = FULL syncs
 * it); a checkpoint only copies committed pages, and one cut short by a crash is redone from the WAL
 * at the next open. Until the thread answers, and if it cannot start or dies, the connection keeps
 * SQLite's automatic checkpoint. `stop()` (the store's close) waits for the thread to close its
 * connection, so the host's close stays the last one and checkpoints and removes the WAL as before.
 * `ROADSHOW_WAL_THREAD=0` leaves it off.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly flags: Int32Array;
  private ready = false;
  private stopped = false;

  private constructor(
    private readonly db: Db,
    file: string,
    key: Buffer | undefined,
  ) {
    const shared = new SharedArrayBuffer(8);
    this.flags = new Int32Array(shared);
    this.worker = new Worker(THREAD_CODE, {
      eval: true,
      workerData: { driver: driverPath(), file, pragmas: key ? keyPragmas(key) : [], flags: shared, pollMs: POLL_MS, thresholdFrames: THRESHOLD_FRAMES, idleMs: IDLE_MS, le: endianness() === 'LE' },
    });
    // The thread never keeps the process alive: an exit without closing the store is SQLite's usual crash case.
    this.worker.unref();
    this.worker.on('message', (m: unknown) => {
      if (m === 'ready' && !this.stopped && this.db.open) {
        this.db.pragma('wal_autocheckpoint = 0');
        this.ready = true;
      } else if (m !== 'ready') {
        this.fallBack();
      }
    });
    this.worker.on('error', () => this.fallBack());
    this.worker.on('exit', () => this.fallBack());
  }

  /** Starts the thread for the store at `file` (its connection `db`); null where none can run (memory database, switched off, no threads). */
  static start(db: Db, file: string, key?: Buffer): WalCheckpointer | null {
    if (file === ':memory:' || process.env.ROADSHOW_WAL_THREAD === '0' || running.has(db)) return null;
    try {
      const c = new WalCheckpointer(db, file, key);
      running.set(db, c);
      return c;
    } catch {
      return null;
    }
  }

  /** The thread runs and the connection's automatic checkpoint is off. */
  get active(): boolean {
    return this.ready && !this.stopped;
  }

  /** Checkpoints the thread ran so far (tests, benches). */
  get checkpoints(): number {
    return Atomics.load(this.flags, DONE);
  }

  /** Gives the connection its automatic checkpoint back and ends the thread once it closed its connection (synchronous: the store closes next). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this.db);
    this.restoreAuto();
    if (Atomics.load(this.flags, CLOSED) === 0) {
      this.worker.postMessage('close');
      Atomics.wait(this.flags, CLOSED, 0, STOP_WAIT_MS);
    }
    void this.worker.terminate();
  }

  private fallBack(): void {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this.db);
    this.restoreAuto();
  }

  private restoreAuto(): void {
    if (this.ready && this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    this.ready = false;
  }
}
