import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { ImportMapping } from '../../shared/ipc/importContract';
import type { BulkEvent } from '../store/eventStore';
import type { Store } from '../store/openStore';
import { perDb } from '../store/perDb';
import { createImportQueries } from '../store/queries/importQueries';
import { withDeferredCheckpoint } from '../store/walCheckpoint';
import { BlockingReceiver, ChannelTimeoutError } from './blockingChannel';
import { cellsToRows } from './importedRowCells';
import type { WriterMessage, WriterReply } from './importProtocol';

const importQ = perDb(createImportQueries);

/** A commit whose next event does not come within this long is rolled back (its sender is gone). */
const EVENT_WAIT_MS = 60_000;

export interface ImportWriteTarget {
  stopId: string;
  actorId: string | null;
  sourceKey: string;
  mapping: ImportMapping;
  /** The log position the plan was made at: the write is refused (`PlanMovedError`) if the log moved since. */
  logPosition: number;
  /** Many rows: the WAL checkpoint is deferred until after the reply, and the page cache enlarged. */
  large: boolean;
}

/** Something was written between the plan and the commit's write lock: plan again. Nothing was written. */
export class PlanMovedError extends Error {}

/**
 * Writes one import's events and the remembered column mapping in one transaction: all of it or
 * nothing. Under the write lock it first checks that nothing was written since the plan, so what
 * the plan says about each row (new, changed, already registered) still holds when it is written.
 */
export function writeImport(store: Store, target: ImportWriteTarget, events: Iterable<BulkEvent>): { events: number; lastHlc: string | null } {
  const { db, events: log } = store;
  let n = 0;
  // A large import writes far more pages than SQLite's default 2 MB cache: a bigger cache keeps the
  // one transaction from spilling dirty pages to disk half-way (several times faster).
  const cache = db.pragma('cache_size', { simple: true }) as number;
  if (target.large && cache > -65536 && cache < 16384) db.pragma('cache_size = -65536');
  const write = (): void =>
    log.transaction(() => {
      if (importQ(db).logPosition() !== target.logPosition) throw new PlanMovedError('the log moved since the plan');
      n = log.appendMany(events, { actorId: target.actorId, stopId: target.stopId });
      importQ(db).rememberMapping(target.sourceKey, target.mapping);
    });
  // A large import's WAL is copied into the database file just after the reply, not inside it.
  if (target.large) withDeferredCheckpoint(db, write);
  else write();
  // What the host's clock must follow (these stamps are later than any it gave).
  return { events: n, lastHlc: n > 0 ? log.newestHlc() : null };
}

/**
 * The writer thread's side of the channel: for each `begin`, writes the events that follow in one
 * transaction while the session thread is still validating and serialising the next ones, then
 * replies. The payloads arrive validated (same shared schema, in the session thread) as JSON, stored
 * as sent, with their rows also as flat cells (core/import/importedRowCells.ts) that the projection
 * gets rebuilt: the same rows the JSON holds, as a rebuild from the log would project them.
 */
export function serveImportWrites(store: Store, port: MessagePort, signal: SharedArrayBuffer, waitMs = EVENT_WAIT_MS): void {
  const receiver = new BlockingReceiver(port, signal);
  port.on('message', (m: WriterMessage) => {
    // Anything else here is what is left of a commit that failed half-way: dropped.
    if (m.kind === 'begin') port.postMessage(writeFromChannel(store, m, receiver, waitMs));
  });
}

function writeFromChannel(store: Store, begin: Extract<WriterMessage, { kind: 'begin' }>, receiver: BlockingReceiver, waitMs: number): WriterReply {
  const { commitId } = begin;
  function* received(): Generator<BulkEvent> {
    for (;;) {
      const m = receiver.receive(waitMs) as WriterMessage;
      if (m.commitId !== commitId) continue;
      if (m.kind === 'end') return;
      if (m.kind === 'abort') throw new Error(`import aborted by its session: ${m.message}`);
      if (m.kind === 'event') {
        // The payload as its JSON says (same stop, same rows), rebuilt from the flat cells: cheaper than parsing the JSON.
        const rows = cellsToRows(m.cells);
        yield { type: 'registrations_imported', payload: { stopId: begin.stopId, rows }, json: m.json, hints: { fresh: true }, weight: rows.length };
      }
    }
  }
  try {
    return { commitId, ok: true, ...writeImport(store, begin, received()) };
  } catch (err) {
    const message = err instanceof ChannelTimeoutError ? `the import's events stopped coming (${err.message})` : err instanceof Error ? err.message : String(err);
    // Rolled back: the desk is told nothing was imported (a plan overtaken is retried by the session, unseen).
    const error = err instanceof AppError ? err : new AppError('IMPORT_NOT_WRITTEN', `Nothing was imported: ${message}`, {});
    return { commitId, ok: false, moved: err instanceof PlanMovedError, error: error.toShape(), message };
  }
}
