import { randomUUID } from 'node:crypto';
import { HybridLogicalClock, decodeHlc } from '../sync/hlc';
import { EventStore } from './eventStore';
import { runMigrations } from './migrations/index';
import { createProjector } from './projections/index';
import { useSearchSnapshots } from './searchCache';
import { openSqlite, type Db, type OpenOptions } from './sqlite';

export interface Store {
  db: Db;
  deviceId: string;
  events: EventStore;
  clock: HybridLogicalClock;
  /** The wall clock the store was opened with (injected in tests): what time-based rules read as "now". */
  now: () => number;
  /** Runs `fn` when the store closes (e.g. to stop a worker that holds its own connection). */
  onClose(fn: () => void): void;
  close(): void;
}

export interface StoreOptions extends OpenOptions {
  /** Injected for tests and simulations; the app uses the system clock. */
  now?: () => number;
  /** Forces the device id of a new store (tests, simulations). */
  deviceId?: string;
  onClockDrift?: (remoteWallMs: number, localWallMs: number) => void;
}

/**
 * The file and key a store was opened with: what a second connection (the import worker) needs. Kept
 * off the Store object, which every API handler holds: the key is read only where a connection is opened.
 */
const sources = new WeakMap<Store, { file: string; key?: Buffer }>();
export function storeSource(store: Store): { file: string; key?: Buffer } {
  const s = sources.get(store);
  if (!s) throw new Error('Not a store opened by openStore');
  return s;
}

/** Opens (and migrates) a store; gives a new database its own device id. */
export function openStore(file: string, opts: StoreOptions = {}): Store {
  const db = openSqlite(file, opts);
  try {
    runMigrations(db);
    const deviceId = ensureDeviceId(db, opts.deviceId);
    const now = opts.now ?? Date.now;
    // Never let the clock run backwards across restarts: resume from the newest HLC we hold.
    const newest = db.prepare<[], { h: string | null }>('SELECT MAX(hlc) AS h FROM events').get()?.h;
    const initial = newest ? { wallMs: decodeHlc(newest).wallMs, counter: decodeHlc(newest).counter } : undefined;
    const clock = new HybridLogicalClock({ nodeId: deviceId, now, initial, onDrift: opts.onClockDrift });
    const events = new EventStore(db, deviceId, clock, createProjector(db), now);
    const closing: (() => void)[] = [];
    const store: Store = {
      db,
      deviceId,
      events,
      clock,
      now,
      onClose: (fn) => void closing.push(fn),
      close: () => {
        for (const fn of closing.splice(0)) fn();
        // Grouped writes queued in this turn (core/store/groupCommit.ts) are written, not dropped.
        events.flushGrouped();
        db.close();
      },
    };
    sources.set(store, { file, key: opts.key });
    useSearchSnapshots(db, file, opts.key);
    return store;
  } catch (err) {
    db.close();
    throw err;
  }
}

function ensureDeviceId(db: Db, forced?: string): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'device_id'").get();
  if (row) return row.value;
  const id = forced ?? `dev-${randomUUID()}`;
  db.prepare("INSERT INTO settings (key, value) VALUES ('device_id', ?)").run(id);
  return id;
}
