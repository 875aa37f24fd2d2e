import type { MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { ImportMapping } from '../../shared/ipc/importContract';
import type { ImportedRow } from '../../shared/events/attendeeEvents';
import type { EventPayload } from '../../shared/events/eventTypes';
import type { BulkEvent } from '../store/eventStore';
import { ImportedRowsStage } from '../store/projections/importedRowsStage';
import type { StagedImportRows } from '../store/projections/projection';
import type { Store } from '../store/openStore';
import { perDb } from '../store/perDb';
import { createImportQueries } from '../store/queries/importQueries';
import { withDeferredCheckpoint } from '../store/walCheckpoint';
import { BlockingReceiver, ChannelTimeoutError } from './blockingChannel';
import { cellsToRows, unpackCells } from './importedRowCells';
import { ImportProgress } from './importProgress';
import type { SliceMessage, WriterMessage, WriterReply } from './importProtocol';

const importQ = perDb(createImportQueries);
const rowsStage = perDb((db) => new ImportedRowsStage(db));

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

/**
 * The writer's page cache for a large import, in KiB. SQLite allocates it page by page in the writer thread's
 * malloc arena (glibc, 64 MB heaps). A 64 MB cache filled that arena, and glibc kept it resident after the
 * connection closed and the thread ended: the host held ~64 MB more after every large import (issue #20). With
 * 32 MB the arena is given back when the thread ends; host RSS after a 100k import and searches 297–320 → 265–267
 * MB, the commit no slower (alternating runs of the search bench's import, same session). 16 MB: RSS ~215 MB but
 * the commit ~20 % slower (the transaction spills).
 */
const LARGE_WRITE_CACHE_KIB = 32_768;

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
  if (target.large && cache > -LARGE_WRITE_CACHE_KIB && cache < LARGE_WRITE_CACHE_KIB / 4) db.pragma(`cache_size = -${LARGE_WRITE_CACHE_KIB}`);
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
export function serveImportWrites(store: Store, port: MessagePort, signal: SharedArrayBuffer, waitMs = EVENT_WAIT_MS, progress: ImportProgress = new ImportProgress()): void {
  const receiver = new BlockingReceiver(port, signal);
  let stage: StagedEvents | null = null;
  port.on('message', (m: WriterMessage) => {
    switch (m.kind) {
      case 'begin': {
        // A commit takes the stage it names (or finds it gone, and says so); any other stage is stale by now.
        const taken = m.staged && stage?.stageId === m.staged.stageId ? stage : null;
        if (stage !== taken) stage?.drop();
        stage = null;
        port.postMessage(writeFromChannel(store, m, receiver, waitMs, taken, progress));
        return;
      }
      case 'stage':
        if (stage?.stageId !== m.stageId) {
          stage?.drop();
          stage = new StagedEvents(store, m.stageId);
        }
        stage.add(m);
        return;
      case 'unstage':
        if (stage?.stageId === m.stageId) {
          stage.drop();
          stage = null;
        }
        return;
      // Anything else here ('event', 'end', 'abort') is what is left of a commit that ended early: dropped.
    }
  });
}

/**
 * The first events of a plan, sent ahead of its commit while the desk reads the report (`stage`):
 * kept as sent, their new people and registrations bound into memory
 * (core/store/projections/importedRowsStage.ts). Nothing is written to the store until a commit
 * takes them. Staging can fail (out of memory): the commit then finds the stage incomplete, and
 * the session plans and sends again.
 */
class StagedEvents {
  private readonly slices: { json: string; rows: ImportedRow[]; staged: StagedImportRows }[] = [];
  private broken = false;

  constructor(
    private readonly store: Store,
    readonly stageId: number,
  ) {}

  add(slice: SliceMessage): void {
    if (this.broken) return;
    try {
      const rows = cellsToRows(unpackCells(slice.cells));
      this.slices.push({ json: slice.json, rows, staged: rowsStage(this.store.db).stage(rows) });
    } catch (err) {
      this.broken = true;
      console.warn(`[import] staging failed; the commit will send its events again: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** All `count` slices are here and staged. */
  complete(count: number): boolean {
    return !this.broken && this.slices.length === count;
  }

  *events(stopId: string): Generator<BulkEvent> {
    for (const s of this.slices) {
      yield { type: 'registrations_imported', payload: { stopId, rows: s.rows }, json: s.json, hints: { fresh: true, staged: s.staged }, weight: s.rows.length };
    }
  }

  drop(): void {
    this.slices.length = 0;
    try {
      rowsStage(this.store.db).clear();
    } catch (err) {
      // Never fatal to the writer (it runs in a message handler): the next stage or commit clears again.
      console.warn(`[import] could not clear the staged rows: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function writeFromChannel(store: Store, begin: Extract<WriterMessage, { kind: 'begin' }>, receiver: BlockingReceiver, waitMs: number, stage: StagedEvents | null, progress: ImportProgress): WriterReply {
  const { commitId } = begin;
  function* received(): Generator<BulkEvent> {
    for (;;) {
      const m = receiver.receive(waitMs) as WriterMessage;
      if (!('commitId' in m) || m.commitId !== commitId) continue;
      if (m.kind === 'end') {
        // Every event is in the transaction: what is left is its commit to disk.
        progress.phase('saving');
        return;
      }
      if (m.kind === 'abort') throw new Error(`import aborted by its session: ${m.message}`);
      if (m.kind === 'event') {
        // The payload as its JSON says (same stop, same rows), rebuilt from the flat cells: cheaper than parsing the JSON.
        const rows = cellsToRows(unpackCells(m.cells));
        yield { type: 'registrations_imported', payload: { stopId: begin.stopId, rows }, json: m.json, hints: { fresh: true }, weight: rows.length };
        progress.add(rows.length);
      } else if (m.kind === 'plain') {
        // Validated by the session with the same schema: stored as sent.
        yield { type: m.type, payload: JSON.parse(m.json) as EventPayload<typeof m.type>, json: m.json };
        progress.add(1);
      }
    }
  }
  function* counted(events: Iterable<BulkEvent>): Generator<BulkEvent> {
    for (const e of events) {
      yield e;
      progress.add(e.weight ?? 1);
    }
  }
  try {
    if (begin.staged && !stage?.complete(begin.staged.slices)) {
      // What follows `begin` is dropped as it comes; the session stops sending when it sees this reply.
      return { commitId, ok: false, moved: false, stageLost: true, error: null, message: 'the staged events are incomplete' };
    }
    const staged = stage ? counted(stage.events(begin.stopId)) : [];
    return written(commitId, () => writeImport(store, begin, chain(staged, received())));
  } finally {
    stage?.drop();
  }
}

function* chain<T>(...parts: Iterable<T>[]): Generator<T> {
  for (const part of parts) yield* part;
}

/** The reply to a commit: what was written, or why nothing was. */
function written(commitId: number, write: () => { events: number; lastHlc: string | null }): WriterReply {
  try {
    return { commitId, ok: true, ...write() };
  } catch (err) {
    const message = err instanceof ChannelTimeoutError ? `the import's events stopped coming (${err.message})` : err instanceof Error ? err.message : String(err);
    // Rolled back: the desk is told nothing was imported (a plan overtaken is retried by the session, unseen).
    const error = err instanceof AppError ? err : new AppError('IMPORT_NOT_WRITTEN', `Nothing was imported: ${message}`, {});
    return { commitId, ok: false, moved: err instanceof PlanMovedError, error: error.toShape(), message };
  }
}
