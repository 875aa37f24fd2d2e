/**
 * The dashboard's worker thread: its own read-only connections to HQ's projection store and (SQLite
 * back end) event log, where every heavy read of the dashboard runs (dashboardOps.ts): proposals over
 * every record, the tour's conflicts, figures, digests, follow-up files. The thread that serves
 * sync never waits for them (SQLite in WAL mode lets readers and the writer go on side by side).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { openSqlite } from '../../../core/store/sqlite';
import { DashboardQueries, type DashboardOp, type DashboardOps } from './dashboardOps';
import type { DashboardReply, DashboardRequest, DashboardWorkerData } from './dashboardReader';

const data = workerData as DashboardWorkerData;
const key = (hex: string | null) => (hex ? Buffer.from(hex, 'hex') : undefined);
const db = openSqlite(data.projections.file, { readonly: true, key: key(data.projections.keyHex) });
const log = data.log ? openSqlite(data.log.file, { readonly: true, key: key(data.log.keyHex) }) : null;
const queries = new DashboardQueries({ db, log, cacheable: true });
const port = parentPort!;
port.on('close', () => {
  db.close();
  log?.close();
});

// One request at a time, in arrival order (each is a synchronous read but the follow-up file's XLSX).
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: DashboardRequest) => {
  queue = queue.then(async () => {
    let reply: DashboardReply;
    const transfer: ArrayBuffer[] = [];
    try {
      let value = (await queries.run(req.op, req.input as DashboardOps[DashboardOp]['input'])) as unknown;
      if (req.op === 'followUpExport') {
        // The file's bytes move to the main thread without a copy.
        const file = value as DashboardOps['followUpExport']['output'];
        const bytes = new Uint8Array(file.bytes);
        transfer.push(bytes.buffer);
        value = { ...file, bytes };
      }
      reply = { id: req.id, ok: true, value };
    } catch (err) {
      reply =
        err instanceof AppError
          ? { id: req.id, ok: false, message: err.message, error: { code: err.code, message: err.message, details: err.details } }
          : { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply, transfer);
  });
});
port.postMessage({ ready: true });
