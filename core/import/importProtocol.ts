import type { RejectedRowLabels } from '../../shared/ipc/importRejectsContract';
import type { MessagePort } from 'node:worker_threads';
import type { ApiErrorShape } from '../../shared/errors';
import type { ImportMapping, ImportOutcome, ImportReport, ParsedImport } from '../../shared/ipc/importContract';
import type { PackedCells } from './importedRowCells';
import type { ImportWriteTarget } from './importWriter';

/** What the host asks the import worker (core/import/importWorker.ts), and what each answers. */
export interface ImportOps {
  upload: { input: { uploadId: string; fileName: string; index: number; count: number; data: Uint8Array }; output: { received: number } };
  /** `stopId`: the stop the dialog imports into; the session then plans the suggested mapping ahead. */
  parse: { input: { uploadId: string; sheet: number; stopId?: string }; output: ParsedImport };
  check: { input: { uploadId: string; stopId: string; mapping: ImportMapping }; output: ImportReport };
  commit: {
    /** `searchScopes`: search scopes the host has in use besides the stop's (every attendee's), which a large commit prepares too. */
    input: { uploadId: string; stopId: string; mapping: ImportMapping; actorId: string | null; searchScopes?: string[] };
    /** `lastHlc`: the newest stamp written (the host's clock follows it); `writtenBy`: which thread stored the events. */
    output: ImportOutcome & { lastHlc: string | null; writtenBy: 'writer' | 'session' };
  };
  discard: { input: { uploadId: string }; output: { discarded: boolean } };
  rejectedRows: { input: { uploadId: string; stopId: string; mapping: ImportMapping; labels: RejectedRowLabels }; output: { fileName: string; text: string; count: number } };
}
export type ImportOp = keyof ImportOps;

export interface ImportRequest<K extends ImportOp = ImportOp> {
  id: number;
  op: K;
  input: ImportOps[K]['input'];
}

/**
 * The session worker's search indexes after a large commit (core/store/searchCache.ts `prepareSearchIndex`),
 * for the host's cache to take instead of building them on the host's thread. In this order:
 * `searchPending` (the scopes it will build) just before the commit's reply, then, after the reply,
 * one `searchIndex` per scope built, then `searchDone` (every scope built or given up).
 */
export type SearchIndexMessage =
  | { searchPending: { scopes: string[] } }
  | { searchIndex: { scope: string; seq: number; eventId: string; data: Uint8Array; names?: Uint8Array } }
  | { searchDone: true };

export type ImportReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ApiErrorShape | null; message: string };

/** The worker's start-up data: the store's file and key (a second connection to the same database). */
export interface ImportWorkerData {
  role: ImportWorkerRole;
  file: string;
  keyHex: string | null;
  /** The progress counters the host reads (core/import/importProgress.ts). */
  progress?: SharedArrayBuffer;
}

/** What a worker is: the session (uploads, parse, report, the commit's events) or the writer of its commits. */
export type ImportWorkerRole = 'session' | 'writer';

/**
 * The session worker to the writer thread, over a blocking channel (core/import/blockingChannel.ts).
 * One commit is `begin`, its events, then `end` (or `abort`). Events are `registrations_imported`
 * slices (`event`) then, if the file had a consent column, `consent_recorded` events (`plain`); slices are
 * payloads (of the commit's stop) the session validated with the shared schema: as JSON, and their
 * rows as flat cells (core/import/importedRowCells.ts).
 * A large plan's first events may go ahead while the desk reads the report: `stage` (the writer
 * keeps them, their rows bound into memory; nothing is written to the store), dropped by
 * `unstage`. A `begin` naming `staged` writes those `slices` first, then the events that follow it.
 */
export type WriterMessage =
  | ({ kind: 'begin'; commitId: number; staged: { stageId: number; slices: number } | null } & ImportWriteTarget)
  | ({ kind: 'event'; commitId: number } & SliceMessage)
  /** Any other event of the commit (the consents of a form's answers), validated by the session: its type and payload JSON. */
  | { kind: 'plain'; commitId: number; type: 'consent_recorded'; json: string }
  | { kind: 'end'; commitId: number }
  | { kind: 'abort'; commitId: number; message: string }
  | ({ kind: 'stage'; stageId: number } & SliceMessage)
  | { kind: 'unstage'; stageId: number };

/** One slice of an import on its way to the writer: the payload's JSON, and its rows as cells (see core/import/importedRowCells.ts). */
export interface SliceMessage {
  json: string;
  cells: PackedCells;
}

/**
 * The writer's answer to one commit. `moved`: something was written since the plan was made (the
 * log is past `logPosition`): nothing was written, the session plans again and resends.
 * `stageLost`: the staged events named are not all there (staging failed): nothing was written, the
 * session sends the events itself.
 */
export type WriterReply =
  | { commitId: number; ok: true; events: number; lastHlc: string | null }
  | { commitId: number; ok: false; moved: boolean; stageLost?: boolean; error: ApiErrorShape | null; message: string };

/** Host → workers, once both are up: the two ends of the channel between them. */
export interface WriterLink {
  link: { port: MessagePort; signal: SharedArrayBuffer };
}
