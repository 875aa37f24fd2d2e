import { AppError } from '../../shared/errors';
import { IMPORT_BATCH_ROWS, type ImportedRow } from '../../shared/events/attendeeEvents';
import { IMPORT_PRESETS, type ImportMapping, type ImportOutcome, type ImportReport, type ParsedImport } from '../../shared/ipc/importContract';
import { planImport, type ImportPlan } from '../domain/importPlan';
import { presetMapping, sourceKeyOf, suggestMapping } from '../domain/importMapping';
import { IncrementalDecoder } from '../domain/importDecode';
import { IncrementalCsvReader, parseTable, UnreadableFileError, type ParsedTable } from '../domain/importParse';
import { newScanToken } from '../domain/scanToken';
import type { BulkEvent } from '../store/eventStore';
import type { Store } from '../store/openStore';
import { perDb } from '../store/perDb';
import { createImportQueries } from '../store/queries/importQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createUuidV7Source } from '../store/uuidV7';
import { withDeferredCheckpoint } from '../store/walCheckpoint';

const importQ = perDb(createImportQueries);
const masterQ = perDb(createMasterDataQueries);

/** An upload in progress or parsed; kept in memory only (a file is re-sent if the app restarts). */
interface Upload {
  fileName: string;
  count: number;
  chunks: (Uint8Array | undefined)[];
  bytes: number;
  table: ParsedTable | null;
  /**
   * Decodes and parses the chunks as they arrive (the table is then all but ready when the parse is
   * asked for); null once the file must be read whole (not UTF-8/UTF-16LE, chunks out of order, parsed).
   */
  stream: { decoder: IncrementalDecoder; reader: IncrementalCsvReader } | null;
  plan?: { key: string; plan: ImportPlan };
  touched: number;
}

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const MAX_UPLOADS = 4;

export interface ImportTarget {
  uploadId: string;
  stopId: string;
  mapping: ImportMapping;
}

/**
 * The import of pre-registrations against one store: uploads in memory, parse, validation report
 * (plan) and the commit. Runs in the import worker (core/import/importWorker.ts) on its own
 * connection, so the host stays responsive; or in-process where no worker can run.
 */
export class ImportSession {
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly store: Store) {}

  upload(input: { uploadId: string; fileName: string; index: number; count: number; data: Uint8Array }): { received: number } {
    const { uploadId, fileName, index, count, data } = input;
    let u = this.uploads.get(uploadId);
    if (!u) {
      // Keep memory bounded: forget the oldest uploads beyond a few.
      while (this.uploads.size >= MAX_UPLOADS) {
        const oldest = [...this.uploads.entries()].sort((a, b) => a[1].touched - b[1].touched)[0]!;
        this.uploads.delete(oldest[0]);
      }
      u = { fileName, count, chunks: new Array(count), bytes: 0, table: null, stream: { decoder: new IncrementalDecoder(), reader: new IncrementalCsvReader() }, touched: Date.now() };
      this.uploads.set(uploadId, u);
    }
    if (u.count !== count || index >= count) throw new AppError('VALIDATION', 'Chunk outside the upload', { issues: [{ path: 'index', message: 'out of range', code: 'custom' }] });
    u.bytes += data.length - (u.chunks[index]?.length ?? 0);
    if (u.bytes > MAX_UPLOAD_BYTES) {
      this.uploads.delete(uploadId);
      throw new AppError('IMPORT_UNREADABLE', 'File too large', { reason: 'too_large' });
    }
    u.chunks[index] = data;
    if (u.stream) {
      const text = u.stream.decoder.push(data, index);
      if (text === null) u.stream = null;
      else u.stream.reader.push(text);
    }
    u.table = null;
    u.plan = undefined;
    u.touched = Date.now();
    return { received: u.chunks.filter(Boolean).length };
  }

  async parse(input: { uploadId: string; sheet: number }): Promise<ParsedImport> {
    const u = this.requireUpload(input.uploadId);
    if (u.chunks.some((c) => c === undefined)) throw new AppError('IMPORT_EXPIRED', 'The upload is incomplete', { uploadId: input.uploadId });
    try {
      const stream = u.stream;
      const end = stream?.decoder.finish() ?? null;
      // Used once: a later parse of this upload (another sheet, a re-sent chunk) reads the bytes.
      u.stream = null;
      if (stream && end) {
        stream.reader.push(end.tail);
        u.table = stream.reader.finish(end.encoding);
      } else {
        u.table = await parseTable(Buffer.concat(u.chunks as Uint8Array[]), input.sheet);
      }
      u.plan = undefined;
    } catch (err) {
      if (err instanceof UnreadableFileError) throw new AppError('IMPORT_UNREADABLE', err.message, { reason: err.reason });
      throw err;
    }
    const t = u.table;
    const headers = headersOf(t);
    const sourceKey = sourceKeyOf(headers);
    const suggested = suggestMapping(headers);
    const remembered = importQ(this.store.db).rememberedMapping(sourceKey);
    const width = headers.length;
    const fits = remembered && Object.values(remembered).every((c) => c === undefined || c < width);
    return {
      uploadId: input.uploadId,
      fileName: u.fileName,
      format: t.format,
      encoding: t.encoding,
      delimiter: t.delimiter,
      headers,
      preview: t.rows.slice(1, 6).map((r) => headers.map((_, i) => r[i] ?? '')),
      rowCount: t.rows.length - 1,
      sourceKey,
      detectedPreset: suggested.preset,
      mapping: fits ? remembered : suggested.mapping,
      remembered: Boolean(fits),
      presetMappings: Object.fromEntries(IMPORT_PRESETS.map((p) => [p, presetMapping(headers, p)])),
    };
  }

  check(target: ImportTarget): ImportReport {
    return this.plan(target).plan.report;
  }

  commit(target: ImportTarget, actorId: string | null): ImportOutcome & { lastHlc: string | null } {
    const { table, plan: p } = this.plan(target);
    const { stopId, mapping } = target;
    const { db, events } = this.store;
    let n = 0;
    let created = 0;
    let updated = 0;
    let registered = 0;
    // A large import writes far more pages than SQLite's default 2 MB cache: a bigger cache keeps the
    // one transaction from spilling dirty pages to disk half-way (several times faster).
    const cache = db.pragma('cache_size', { simple: true }) as number;
    if (p.ops.length > 1000 && cache > -65536 && cache < 16384) db.pragma('cache_size = -65536');
    // Ids minted here are UUID v7 (time-ordered): new rows land at the end of the attendees' and
    // registrations' primary-key B-trees instead of on random pages all over them.
    const newId = createUuidV7Source();
    // One `registrations_imported` event per slice of rows (a few hundred log rows for 100,000 people),
    // generated as the log is written so only one slice is alive at a time. Hinted `fresh`: the rows
    // marked `created` name people minted here, whom no event ever named, so they are inserted without a read.
    function* eventsOf(): Generator<BulkEvent> {
      let rows: ImportedRow[] = [];
      const flush = (): BulkEvent => {
        const e: BulkEvent = { type: 'registrations_imported', payload: { stopId, rows }, hints: { fresh: true } };
        rows = [];
        return e;
      };
      const registration = (scanToken: string) => ({ registrationId: newId(), scanToken: scanToken || newScanToken() });
      for (const op of p.ops) {
        if (op.kind === 'create') {
          created++;
          rows.push({ created: true, attendeeId: newId(), set: op.fields, registration: registration(op.scanToken) });
        } else {
          const register = op.kind === 'register' || op.register;
          if (op.kind === 'update') updated++;
          if (register) registered++;
          rows.push({ created: false, attendeeId: op.attendeeId, set: op.kind === 'update' ? op.changes : {}, ...(register ? { registration: registration(op.scanToken) } : {}) });
        }
        if (rows.length === IMPORT_BATCH_ROWS) yield flush();
      }
      if (rows.length) yield flush();
    }
    const write = (): void =>
      events.transaction(() => {
        n = events.appendMany(eventsOf(), { actorId, stopId });
        importQ(db).rememberMapping(sourceKeyOf(headersOf(table)), mapping);
      });
    // A large import's WAL is copied into the database file just after the reply, not inside it.
    if (p.ops.length > 500) withDeferredCheckpoint(db, write);
    else write();
    // What the host's clock must follow (the worker's stamps are later than any it gave).
    const lastHlc = n > 0 ? events.newestHlc() : null;
    return { created, updated, registered, unchanged: p.report.unchanged, skipped: p.report.invalid, events: n, lastHlc };
  }

  discard(uploadId: string): { discarded: boolean } {
    return { discarded: this.uploads.delete(uploadId) };
  }

  private requireUpload(uploadId: string): Upload {
    const u = this.uploads.get(uploadId);
    if (!u) throw new AppError('IMPORT_EXPIRED', `No upload ${uploadId}`, { uploadId });
    u.touched = Date.now();
    return u;
  }

  /**
   * Validates and plans. The plan of the last check is reused by the commit when nothing was written
   * since (same newest local_seq, same stop and mapping): the report the person saw is what is imported.
   */
  private plan({ uploadId, stopId, mapping }: ImportTarget): { table: ParsedTable; plan: ImportPlan } {
    const db = this.store.db;
    if (!masterQ(db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
    const upload = this.requireUpload(uploadId);
    const table = upload.table;
    if (!table) throw new AppError('IMPORT_EXPIRED', `Upload ${uploadId} is not parsed yet`, { uploadId });
    checkMapping(table, mapping);
    const key = `${stopId}\u0000${JSON.stringify(Object.entries(mapping).sort())}\u0000${importQ(db).logPosition()}`;
    if (upload.plan?.key === key) return { table, plan: upload.plan.plan };
    const snap = importQ(db).snapshot(stopId);
    const result = planImport(table.rows.slice(1), table.rowNumbers.slice(1), mapping, snap);
    upload.plan = { key, plan: result };
    return { table, plan: result };
  }
}

const headersOf = (t: ParsedTable): string[] => t.rows[0]!.map((h, i) => h || `#${i + 1}`);

function checkMapping(table: ParsedTable, mapping: ImportMapping): void {
  const width = table.rows[0]!.length;
  for (const [field, col] of Object.entries(mapping)) {
    if (col !== undefined && col >= width) throw new AppError('VALIDATION', `Column ${col} of ${field} is not in the file`, { issues: [{ path: `mapping.${field}`, message: 'no such column', code: 'custom' }] });
  }
  if (mapping.familyName === undefined && mapping.givenName === undefined && mapping.nameKo === undefined && mapping.fullName === undefined) {
    throw new AppError('IMPORT_NO_NAME_COLUMN', 'The mapping has no name column', {});
  }
}
