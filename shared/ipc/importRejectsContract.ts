import { z } from 'zod';
import { Id, NonEmpty } from '../schemas/common';
import { IMPORT_ROW_REASONS, ImportMapping } from './importContract';

/** Reason texts in the desk's language: `{{otherRow}}` and `{{field}}` are filled in per row. */
export const RejectedRowLabels = z.object({
  /** Column headers added after the file's own columns. */
  rowHeader: NonEmpty(60),
  reasonHeader: NonEmpty(60),
  reasons: z.object(Object.fromEntries([...IMPORT_ROW_REASONS, 'token_taken_row'].map((k) => [k, NonEmpty(200)])) as Record<(typeof IMPORT_ROW_REASONS)[number] | 'token_taken_row', ReturnType<typeof NonEmpty>>),
  /** Names of the fields a reason may name (the mapping's fields). */
  fields: z.record(z.string().max(40), z.string().max(80)),
  /**
   * Issue #22: the download lists every problem row, also those imported all the same (a scan code
   * another person holds: imported with a new code). Its last column says which: header and the two texts.
   */
  outcome: z.object({ header: NonEmpty(60), rejected: NonEmpty(200), imported: NonEmpty(200) }).optional(),
});
export type RejectedRowLabels = z.infer<typeof RejectedRowLabels>;

/** Issue #19: every row the import leaves out, as a CSV to fix and import again. */
export const importRejectsContract = {
  'import:rejectedRows': {
    input: z.object({ uploadId: Id, stopId: Id, mapping: ImportMapping, labels: RejectedRowLabels }),
    /** CSV text (UTF-8 with BOM); `count`: rows in it. */
    output: z.object({ fileName: z.string(), text: z.string(), count: z.number().int() }),
  },
} as const;
