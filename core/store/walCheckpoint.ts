import type { Db } from './sqlite';
import { checkpointerOf } from './walCheckpointer';

/** Delay before the deferred checkpoint: long enough for the reply to leave the host first. */
const CHECKPOINT_DELAY_MS = 200;

/**
 * Runs a large write (`fn`, which opens its own transaction) with SQLite's automatic WAL
 * checkpoint switched off, then checkpoints shortly after, outside the request.
 *
 * Durability is unchanged: a transaction is durable once its commit is in the WAL (synchronous =
 * FULL syncs it); the checkpoint only copies the committed pages into the database file. After a
 * 100,000-row import that copy takes ~2 s here, and SQLite would otherwise do it inside the
 * committing call (or inside the next small write, e.g. a check-in, if it is left pending).
 */
export function withDeferredCheckpoint<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  const auto = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  try {
    return fn();
  } finally {
    db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(auto))}`);
    const timer = setTimeout(() => checkpointNow(db), CHECKPOINT_DELAY_MS);
    timer.unref?.();
  }
}

/** Copies the WAL into the database file (PASSIVE: never waits for or blocks readers). */
export function checkpointNow(db: Db): void {
  // The store's checkpoint thread copies it (core/store/walCheckpointer.ts): not this thread.
  if (checkpointerOf(db)) return;
  // The store may have been closed (restore, quit, tests) or be mid-write; the next commit's
  // automatic checkpoint then does the copy instead.
  if (!db.open || db.inTransaction) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or closed while we looked: same as above.
  }
}
