/**
 * HQ's fold thread (hqProjections.ts): its own connections to HQ's projection store (read-write) and
 * to HQ's log (read-only SQLite, or its own PostgreSQL connection), folding what HQ accepted into its
 * projections while the main thread answers the laptops: a push commits only the log; the fold
 * follows behind, each step with its cursor in one transaction.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { EventStore } from '../../core/store/eventStore';
import { createProjector } from '../../core/store/projections/index';
import { openSqlite } from '../../core/store/sqlite';
import { HybridLogicalClock } from '../../core/sync/hlc';
import { foldPass, HqFolder, openLogReader, type FoldReply, type FoldRequest, type LogReader, type LogSource } from './hqFold';


export interface FoldWorkerData {
  projections: { file: string; keyHex: string | null };
  log: LogSource;
  deviceId: string;
  stepBytes: number;
  pageEvents: number;
}

const data = workerData as FoldWorkerData;
const port = parentPort!;

// The fold yields the processor to HQ's main thread and to everything else on the machine: on Linux
// this thread alone runs at the lowest priority (nice 19). A sync request never waits for a fold;
// the fold uses what the server leaves idle and catches up in the gaps.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {
  /* not Linux: the thread keeps the process's priority */
}

const db = openSqlite(data.projections.file, { key: data.projections.keyHex ? Buffer.from(data.projections.keyHex, 'hex') : undefined });
// NORMAL (WAL): a power cut may lose the last steps, never tear one. The projections are a fold of
// HQ's log (which stays synchronous FULL), and each step's cursor is in the same transaction: what is
// lost is folded again from the cursor. HQ's own actions write on the main thread's connection (FULL).
db.pragma('synchronous = NORMAL');
// HQ's own events and the deferred ones go through ingest (stored, idempotent); its clock here is only
// ingest's bookkeeping: HQ's real clock (main thread) follows the folded HLC the thread reports.
const clock = new HybridLogicalClock({ nodeId: data.deviceId, now: Date.now });
const folder = new HqFolder(db, new EventStore(db, data.deviceId, clock, createProjector(db)), data.deviceId);
const reader: Promise<LogReader> = openLogReader(data.log);

let queue: Promise<void> = Promise.resolve();
port.on('message', (req: FoldRequest) => {
  queue = queue.then(async () => {
    let reply: FoldReply;
    try {
      const n = await foldPass(folder, await reader, { stepBytes: data.stepBytes, pageEvents: data.pageEvents }, (cursor, hlc) => port.postMessage({ progress: true, cursor, hlc } satisfies FoldReply));
      reply = { id: req.id, ok: true, n, cursor: folder.cursor };
    } catch (err) {
      reply = { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
});
port.on('close', () => {
  void reader.then((r) => r.close()).catch(() => undefined);
  db.close();
});
port.postMessage({ ready: true } satisfies FoldReply);
