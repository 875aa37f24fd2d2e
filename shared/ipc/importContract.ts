import { z } from 'zod';
import { Id } from '../schemas/common';
import { IMPORT_FIELDS, IMPORT_PRESETS, IMPORT_ROW_REASONS, MAX_CHUNK_BYTES, type ImportField } from './importFields';

export { IMPORT_FIELDS, IMPORT_PRESETS, IMPORT_ROW_REASONS, MAX_CHUNK_BYTES, type ImportField, type ImportPreset, type ImportRowReason } from './importFields';

/** Field → 0-based column of the file. Unmapped fields are left out. */
export const ImportMapping = z.object(
  Object.fromEntries(IMPORT_FIELDS.map((f) => [f, z.number().int().min(0).max(1000).optional()])) as Record<ImportField, z.ZodOptional<z.ZodNumber>>,
);
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ParsedImport = z.object({
  uploadId: Id,
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  /** utf-8, utf-8-bom, utf-16le, utf-16be, cp949 (or xlsx). */
  encoding: z.string(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  /** The first rows after the header, as text. */
  preview: z.array(z.array(z.string())),
  rowCount: z.number().int(),
  /** Identifies the kind of file (its header row): mappings are remembered per source. */
  sourceKey: z.string(),
  detectedPreset: z.enum(IMPORT_PRESETS).nullable(),
  /** The mapping to start from: remembered for this source, else the detected preset, else guessed from the headers. */
  mapping: ImportMapping,
  remembered: z.boolean(),
  /** Each preset applied to these headers (with the columns guessed from header words for what it leaves out), for the preset picker. */
  presetMappings: z.record(z.string(), ImportMapping),
  /** Fields of `mapping` found from the header words (not by a preset's exact header, nor remembered): shown as guessed. */
  guessed: z.array(z.enum(IMPORT_FIELDS)).default([]),
});
export type ParsedImport = z.infer<typeof ParsedImport>;

export const ImportRowIssue = z.object({
  /** The row's number as a spreadsheet shows the file (header = row 1; a cell of several lines is one row). */
  row: z.number().int(),
  reasons: z.array(
    z.object({
      code: z.enum(IMPORT_ROW_REASONS),
      field: z.string().nullable(),
      otherRow: z.number().int().nullable(),
      /** The cell the reason is about, when it helps to see it (the scan code already in use). */
      value: z.string().max(200).optional(),
    }),
  ),
  /** The person as the row names them (Latin and Hangul name) and their email as written: to find the row. */
  name: z.string().default(''),
  email: z.string().default(''),
  /**
   * True when the row is imported all the same and the reason says what was left out: a scan code
   * another person holds (the person is imported with a new code). False: the row is not imported.
   */
  imported: z.boolean().default(false),
});
export type ImportRowIssue = z.infer<typeof ImportRowIssue>;

export const ImportReport = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  /** The first rows that fail (at most 500), with every reason. */
  issues: z.array(ImportRowIssue),
  /** What importing the valid rows would do. */
  toCreate: z.number().int(),
  toUpdate: z.number().int(),
  /** Known people (same email, or same name and affiliation) newly registered at this stop. */
  toRegister: z.number().int(),
  unchanged: z.number().int(),
  /** Rows whose status column says the person is not attending (cancelled, refunded): skipped, neither valid nor invalid. */
  notAttending: z.number().int().default(0),
  /** Rows imported with a new scan code because theirs is another person's (listed among the issues, `imported`). */
  newCodes: z.number().int().default(0),
  /**
   * Consent answers of the valid rows: agreed, declined, blank or not understood (nothing recorded);
   * `toRecord`: consent records the import writes (an answer equal to the person's current consent is not written again).
   */
  consent: z
    .object({ agreed: z.number().int(), declined: z.number().int(), unclear: z.number().int(), toRecord: z.number().int() })
    .default({ agreed: 0, declined: 0, unclear: 0, toRecord: 0 }),
  /** The consent text version the import records (from the consent question's header), if a consent column is mapped. */
  consentTextVersion: z.string().nullable().default(null),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportOutcome = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  registered: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  events: z.number().int(),
  /** Rows skipped as not attending. */
  notAttending: z.number().int().default(0),
  /** People imported with a new scan code (theirs was another person's). */
  newCodes: z.number().int().default(0),
  /** Consent records written (answers that differ from the person's current consent). */
  consents: z.number().int().default(0),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

const ImportTarget = z.object({ uploadId: Id, stopId: Id, mapping: ImportMapping });


export const importContract = {
  /**
   * One chunk of a file being uploaded; chunks keep each request small and show progress. The bytes
   * themselves (the renderer sends them: Electron's IPC clones them, browser mode's HTTP transport sends
   * them as the request body, see renderer/api/transportHttp.ts), or base64 text (scripts, older callers).
   */
  'import:upload': {
    input: z.object({
      uploadId: Id,
      fileName: z.string().trim().min(1).max(260),
      index: z.number().int().min(0).max(10_000),
      count: z.number().int().min(1).max(10_000),
      data: z.union([
        // By tag, not instanceof: bytes read in another realm (a page's FileReader under jsdom) are bytes too.
        z.custom<Uint8Array>((v) => ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Uint8Array]', 'not bytes').refine((b) => b.byteLength <= MAX_CHUNK_BYTES, 'chunk too large'),
        z.string().max((MAX_CHUNK_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
      ]),
    }),
    output: z.object({ received: z.number().int() }),
  },
  /** Decodes and parses an uploaded file: encoding, delimiter, headers, preview, suggested mapping. */
  'import:parse': {
    input: z.object({
      uploadId: Id,
      sheet: z.number().int().min(0).max(100).default(0),
      // The stop the dialog imports into: the report for the suggested mapping is prepared while the desk looks at the mapping.
      stopId: Id.optional(),
    }),
    output: ParsedImport,
  },
  /** The validation report, before anything is written. */
  'import:check': { input: ImportTarget, output: ImportReport },
  /** Imports the valid rows in one transaction (or nothing), and remembers the mapping for this source. */
  'import:commit': { input: ImportTarget, output: ImportOutcome },
  'import:discard': { input: z.object({ uploadId: Id }), output: z.object({ discarded: z.boolean() }) },
  /** Readies the import (starts its worker) while the person picks a file; answers where imports will run. */
  'import:prepare': { input: z.object({}), output: z.object({ mode: z.enum(['worker', 'in-process']) }) },
  /** The app's own template (CSV, UTF-8 with BOM so Excel shows Hangul). */
  'import:template': { input: z.object({}), output: z.object({ fileName: z.string(), text: z.string() }) },
} as const;
