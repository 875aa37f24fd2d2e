import type { ApiErrorShape } from '../../shared/errors';
import type { ImportMapping, ImportOutcome, ImportReport, ParsedImport } from '../../shared/ipc/importContract';

/** What the host asks the import worker (core/import/importWorker.ts), and what each answers. */
export interface ImportOps {
  upload: { input: { uploadId: string; fileName: string; index: number; count: number; data: Uint8Array }; output: { received: number } };
  parse: { input: { uploadId: string; sheet: number }; output: ParsedImport };
  check: { input: { uploadId: string; stopId: string; mapping: ImportMapping }; output: ImportReport };
  commit: { input: { uploadId: string; stopId: string; mapping: ImportMapping; actorId: string | null }; output: ImportOutcome & { lastHlc: string | null } };
  discard: { input: { uploadId: string }; output: { discarded: boolean } };
}
export type ImportOp = keyof ImportOps;

export interface ImportRequest<K extends ImportOp = ImportOp> {
  id: number;
  op: K;
  input: ImportOps[K]['input'];
}

export type ImportReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ApiErrorShape | null; message: string };

/** The worker's start-up data: the store's file and key (a second connection to the same database). */
export interface ImportWorkerData {
  file: string;
  keyHex: string | null;
}
