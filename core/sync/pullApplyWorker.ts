/**
 * The pull's apply thread (pullApplyThread.ts): its own connection to the laptop's store, where the
 * pages of a large pull are written (log, projections, cursor; one transaction per group) while the
 * sync's thread receives and validates the next pages. SQLite serialises its writes with the host's
 * (WAL: the host keeps reading meanwhile).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { openStore } from '../store/openStore';
import { applyPulledTexts, type PullApplyReply, type PullApplyRequest, type PullApplyWorkerData } from './pullApply';

const data = workerData as PullApplyWorkerData;
const store = openStore(data.file, { key: data.keyHex ? Buffer.from(data.keyHex, 'hex') : undefined });
// A group waits for a host write in progress (a check-in, a grouped commit) instead of failing after 5 s.
store.db.pragma('busy_timeout = 120000');
// As the pull on the sync's thread: a larger page cache, and the WAL copied into the database once
// after the pull (the sync's thread does it, core/store/walCheckpoint.ts), not by every commit here.
store.db.pragma(`cache_size = -${data.cacheKib}`);
store.db.pragma('wal_autocheckpoint = 0');
const port = parentPort!;
port.on('message', (req: PullApplyRequest | { close: true }) => {
  if ('close' in req) {
    // The pull is over: the connection closes here, and the thread ends with nothing left to do.
    store.close();
    port.close();
    return;
  }
  let reply: PullApplyReply;
  try {
    const r = applyPulledTexts(store, req);
    reply = { id: req.id, ok: true, added: r.added, conflicts: r.conflicts };
  } catch (err) {
    reply = err instanceof AppError
      ? { id: req.id, ok: false, message: err.message, code: err.code, ...(err.details ? { details: err.details } : {}) }
      : { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies PullApplyReply);
