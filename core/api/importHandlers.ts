import { AppError } from '../../shared/errors';
import { IMPORT_PRESETS, type ImportMapping, type importContract } from '../../shared/ipc/importContract';
import { planImport, type ImportPlan } from '../domain/importPlan';
import { presetMapping, sourceKeyOf, suggestMapping } from '../domain/importMapping';
import { parseTable, UnreadableFileError, type ParsedTable } from '../domain/importParse';
import { TEMPLATE_FILE_NAME, templateCsv } from '../domain/importTemplate';
import { newScanToken } from '../domain/scanToken';
import type { Store } from '../store/openStore';
import type { BulkEvent } from '../store/eventStore';
import { IMPORT_BATCH_ROWS, type ImportedRow } from '../../shared/events/attendeeEvents';
import { perDb } from '../store/perDb';
import { createImportQueries } from '../store/queries/importQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createUuidV7Source } from '../store/uuidV7';
import { withDeferredCheckpoint } from '../store/walCheckpoint';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const importQ = perDb(createImportQueries);
const masterQ = perDb(createMasterDataQueries);

/** An upload in progress or parsed; kept in memory only (a file is re-sent if the app restarts). */
interface Upload {
  fileName: string;
  count: number;
  chunks: (Buffer | undefined)[];
  bytes: number;
  table: ParsedTable | null;
  plan?: { key: string; plan: ImportPlan };
  touched: number;
}

const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const MAX_UPLOADS = 4;
const uploadsByStore = new WeakMap<Store, Map<string, Upload>>();

function uploads(ctx: ApiContext): Map<string, Upload> {
  let m = uploadsByStore.get(ctx.store);
  if (!m) uploadsByStore.set(ctx.store, (m = new Map()));
  return m;
}

function requireUpload(ctx: ApiContext, uploadId: string): Upload {
  const u = uploads(ctx).get(uploadId);
  if (!u) throw new AppError('IMPORT_EXPIRED', `No upload ${uploadId}`, { uploadId });
  u.touched = Date.now();
  return u;
}

function requireTable(ctx: ApiContext, uploadId: string): ParsedTable {
  const t = requireUpload(ctx, uploadId).table;
  if (!t) throw new AppError('IMPORT_EXPIRED', `Upload ${uploadId} is not parsed yet`, { uploadId });
  return t;
}

function checkMapping(table: ParsedTable, mapping: ImportMapping): void {
  const width = table.rows[0]!.length;
  for (const [field, col] of Object.entries(mapping)) {
    if (col !== undefined && col >= width) throw new AppError('VALIDATION', `Column ${col} of ${field} is not in the file`, { issues: [{ path: `mapping.${field}`, message: 'no such column', code: 'custom' }] });
  }
  if (mapping.familyName === undefined && mapping.givenName === undefined && mapping.nameKo === undefined && mapping.fullName === undefined) {
    throw new AppError('IMPORT_NO_NAME_COLUMN', 'The mapping has no name column', {});
  }
}

/**
 * Validates and plans. The plan of the last check is reused by the commit when nothing was written
 * since (same newest local_seq, same stop and mapping): the report the person saw is what is imported.
 */
function plan(ctx: ApiContext, uploadId: string, stopId: string, mapping: ImportMapping): { table: ParsedTable; plan: ImportPlan } {
  if (!masterQ(ctx.store.db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
  const upload = requireUpload(ctx, uploadId);
  const table = requireTable(ctx, uploadId);
  checkMapping(table, mapping);
  const key = `${stopId}\u0000${JSON.stringify(Object.entries(mapping).sort())}\u0000${importQ(ctx.store.db).logPosition()}`;
  if (upload.plan?.key === key) return { table, plan: upload.plan.plan };
  const snap = importQ(ctx.store.db).snapshot(stopId);
  const result = planImport(table.rows.slice(1), table.rowNumbers.slice(1), mapping, snap);
  upload.plan = { key, plan: result };
  return { table, plan: result };
}

export const importHandlers: HandlerMap<keyof typeof importContract> = {
  'import:upload': ({ uploadId, fileName, index, count, data }, ctx) => {
    const all = uploads(ctx);
    let u = all.get(uploadId);
    if (!u) {
      // Keep memory bounded: forget the oldest uploads beyond a few.
      while (all.size >= MAX_UPLOADS) {
        const oldest = [...all.entries()].sort((a, b) => a[1].touched - b[1].touched)[0]!;
        all.delete(oldest[0]);
      }
      u = { fileName, count, chunks: new Array(count), bytes: 0, table: null, touched: Date.now() };
      all.set(uploadId, u);
    }
    if (u.count !== count || index >= count) throw new AppError('VALIDATION', 'Chunk outside the upload', { issues: [{ path: 'index', message: 'out of range', code: 'custom' }] });
    const chunk = Buffer.from(data, 'base64');
    u.bytes += chunk.length - (u.chunks[index]?.length ?? 0);
    if (u.bytes > MAX_UPLOAD_BYTES) {
      all.delete(uploadId);
      throw new AppError('IMPORT_UNREADABLE', 'File too large', { reason: 'too_large' });
    }
    u.chunks[index] = chunk;
    u.table = null;
    u.plan = undefined;
    u.touched = Date.now();
    return { received: u.chunks.filter(Boolean).length };
  },
  'import:parse': async ({ uploadId, sheet }, ctx) => {
    const u = requireUpload(ctx, uploadId);
    if (u.chunks.some((c) => c === undefined)) throw new AppError('IMPORT_EXPIRED', 'The upload is incomplete', { uploadId });
    try {
      u.table = await parseTable(Buffer.concat(u.chunks as Buffer[]), sheet);
      u.plan = undefined;
    } catch (err) {
      if (err instanceof UnreadableFileError) throw new AppError('IMPORT_UNREADABLE', err.message, { reason: err.reason });
      throw err;
    }
    const t = u.table;
    const headers = t.rows[0]!.map((h, i) => h || `#${i + 1}`);
    const sourceKey = sourceKeyOf(headers);
    const suggested = suggestMapping(headers);
    const remembered = importQ(ctx.store.db).rememberedMapping(sourceKey);
    const width = headers.length;
    const fits = remembered && Object.values(remembered).every((c) => c === undefined || c < width);
    return {
      uploadId,
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
  },
  'import:check': ({ uploadId, stopId, mapping }, ctx) => plan(ctx, uploadId, stopId, mapping).plan.report,
  'import:commit': ({ uploadId, stopId, mapping }, ctx) => {
    const { table, plan: p } = plan(ctx, uploadId, stopId, mapping);
    const events = ctx.store.events;
    const meta = { actorId: ctx.actorId, stopId };
    let n = 0;
    let created = 0;
    let updated = 0;
    let registered = 0;
    // A large import writes far more pages than SQLite's default 2 MB cache: a bigger cache keeps the
    // one transaction from spilling dirty pages to disk half-way (several times faster).
    const cache = ctx.store.db.pragma('cache_size', { simple: true }) as number;
    if (p.ops.length > 1000 && cache > -65536 && cache < 16384) ctx.store.db.pragma('cache_size = -65536');
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
        n = events.appendMany(eventsOf(), meta);
        importQ(ctx.store.db).rememberMapping(sourceKeyOf(table.rows[0]!.map((h, i) => h || `#${i + 1}`)), mapping);
      });
    // A large import's WAL is copied into the database file just after the reply, not inside it.
    if (p.ops.length > 500) withDeferredCheckpoint(ctx.store.db, write);
    else write();
    return { created, updated, registered, unchanged: p.report.unchanged, skipped: p.report.invalid, events: n };
  },
  'import:discard': ({ uploadId }, ctx) => ({ discarded: uploads(ctx).delete(uploadId) }),
  'import:template': () => ({ fileName: TEMPLATE_FILE_NAME, text: templateCsv() }),
};

