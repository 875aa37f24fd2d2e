import { z } from 'zod';
import { Id } from '../schemas/common';

/**
 * What the import is doing for the progress bar (issue #22): `reading` the file's rows, `checking`
 * them against the store, `writing` people and consents, `saving` (the one transaction's commit to
 * disk). Rows `done` of `total` (0 while the total is not known yet, e.g. while a file is read whole).
 */
export const IMPORT_PHASES = ['idle', 'reading', 'checking', 'writing', 'saving'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export const ImportProgressView = z.object({ phase: z.enum(IMPORT_PHASES), done: z.number().int().min(0), total: z.number().int().min(0) });
export type ImportProgressView = z.infer<typeof ImportProgressView>;

export const importProgressContract = {
  /** How far the parse, check or commit of this upload is (asked while it runs); `idle` for another upload or none. */
  'import:progress': { input: z.object({ uploadId: Id }), output: ImportProgressView },
} as const;
