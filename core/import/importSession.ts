import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { IMPORT_PRESETS, type ImportMapping, type ImportReport, type ParsedImport } from '../../shared/ipc/importContract';
import { ImportPlanner, type ImportPlan } from '../domain/importPlan';
import { rejectedRowsCsv, rejectedRowsFileName } from '../domain/rejectedRowsCsv';
import type { RejectedRowLabels } from '../../shared/ipc/importRejectsContract';
import { presetWithGuesses, sourceKeyOf, suggestMapping } from '../domain/importMapping';
import { IncrementalDecoder } from '../domain/importDecode';
import { IncrementalCsvReader, parseTable, UnreadableFileError, type ParsedTable } from '../domain/importParse';
import { EVENT_PAYLOADS } from '../../shared/events/eventTypes';
import type { BulkEvent } from '../store/eventStore';
import { ImportSearchAhead, PREPARE_AFTER_IMPORT } from '../store/searchCache';
import type { Store } from '../store/openStore';
import { perDb } from '../store/perDb';
import { createImportQueries } from '../store/queries/importQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { BlockingSender } from './blockingChannel';
import { packCells, rowsToCells } from './importedRowCells';
import { importPayloads, opCounts, type ConsentRecorded, type ConsentSink, type RegistrationsImported } from './importPayloads';
import { ImportProgress } from './importProgress';
import type { ImportOps, SliceMessage, WriterMessage, WriterReply } from './importProtocol';
import { PlanMovedError, writeImport, type ImportWriteTarget } from './importWriter';

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
  stream: { decoder: IncrementalDecoder; reader: IncrementalCsvReader; next: number; early: Map<number, Uint8Array> } | null;
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
  private writer: WriterLink | null = null;
  private nextCommitId = 1;
  private stage: Stage | null = null;
  private nextStageId = 1;
  private ahead: AheadPlan | null = null;
  /** The stop's search index made while the last commit's events were made (`searchAhead`), until taken. */
  private committedSearch: ImportSearchAhead | null = null;

  /**
   * `planAhead`: plan the suggested mapping right after a parse that names its stop (see
   * `planAhead`); for the import worker's thread, not the host's (it would share the host's turns).
   */
  private readonly progress: ImportProgress;

  /**
   * `progress`: counters the host reads for the desk's progress bar (shared with it; core/import/importProgress.ts).
   * `searchAhead`: a large plan's events also feed the stop's search index as they are made (the
   * import worker hands it to the host after the commit: `takeSearchAhead`).
   */
  constructor(
    private readonly store: Store,
    private readonly options: { planAhead?: boolean; progress?: ImportProgress; searchAhead?: boolean } = {},
  ) {
    this.progress = options.progress ?? new ImportProgress();
  }

  upload(input: { uploadId: string; fileName: string; index: number; count: number; data: Uint8Array }): { received: number } {
    const { uploadId, fileName, index, count, data } = input;
    let u = this.uploads.get(uploadId);
    if (!u) {
      // Keep memory bounded: forget the oldest uploads beyond a few.
      while (this.uploads.size >= MAX_UPLOADS) {
        const oldest = [...this.uploads.entries()].sort((a, b) => a[1].touched - b[1].touched)[0]!;
        this.uploads.delete(oldest[0]);
        this.dropStage(oldest[0]);
        this.dropAhead(oldest[0]);
      }
      u = { fileName, count, chunks: new Array(count), bytes: 0, table: null, stream: { decoder: new IncrementalDecoder(), reader: new IncrementalCsvReader(), next: 0, early: new Map() }, touched: Date.now() };
      this.uploads.set(uploadId, u);
      // Another file: the plan of the last one, if still under way, would only compete with this one.
      this.dropAhead();
    }
    if (u.count !== count || index >= count) throw new AppError('VALIDATION', 'Chunk outside the upload', { issues: [{ path: 'index', message: 'out of range', code: 'custom' }] });
    u.bytes += data.length - (u.chunks[index]?.length ?? 0);
    if (u.bytes > MAX_UPLOAD_BYTES) {
      this.uploads.delete(uploadId);
      this.dropStage(uploadId);
      this.dropAhead(uploadId);
      throw new AppError('IMPORT_UNREADABLE', 'File too large', { reason: 'too_large' });
    }
    u.chunks[index] = data;
    if (u.stream) {
      const stream = u.stream;
      if (index > stream.next && !stream.early.has(index)) {
        // Ahead of one still on its way (the renderer keeps two chunks in flight): decoded once the gap is filled.
        stream.early.set(index, data);
      } else {
        // The next chunk, then those that came before it; a chunk sent again makes the decoder give up (the file is then read whole).
        for (let i = index, bytes: Uint8Array | undefined = data; bytes && u.stream; bytes = stream.early.get(++i)) {
          stream.early.delete(i);
          stream.next = i + 1;
          const text = stream.decoder.push(bytes, i);
          if (text === null) u.stream = null;
          else stream.reader.push(text);
        }
      }
    }
    if (index === 0) this.progress.start('reading', 0);
    if (u.stream) this.progress.set(u.stream.reader.rowCount);
    u.table = null;
    u.plan = undefined;
    this.dropStage(uploadId);
    this.dropAhead(uploadId);
    u.touched = Date.now();
    return { received: u.chunks.filter(Boolean).length };
  }

  async parse(input: { uploadId: string; sheet: number; stopId?: string }): Promise<ParsedImport> {
    const u = this.requireUpload(input.uploadId);
    if (u.chunks.some((c) => c === undefined)) throw new AppError('IMPORT_EXPIRED', 'The upload is incomplete', { uploadId: input.uploadId });
    try {
      const stream = u.stream;
      this.progress.start('reading', 0);
      if (stream) this.progress.set(stream.reader.rowCount);
      const end = stream && stream.early.size === 0 ? stream.decoder.finish() : null;
      // Used once: a later parse of this upload (another sheet, a re-sent chunk) reads the bytes.
      u.stream = null;
      if (stream && end) {
        stream.reader.push(end.tail);
        u.table = stream.reader.finish(end.encoding);
      } else {
        u.table = await parseTable(Buffer.concat(u.chunks as Uint8Array[]), input.sheet);
      }
      u.plan = undefined;
      this.dropStage(input.uploadId);
      this.dropAhead(input.uploadId);
    } catch (err) {
      if (err instanceof UnreadableFileError) {
        // A quote opened and never closed swallows the rest of the file into one cell: say where, and how much was lost.
        if (err.reason === 'unclosed_quote' && err.unclosed) throw new AppError('IMPORT_UNCLOSED_QUOTE', err.message, { ...err.unclosed });
        throw new AppError('IMPORT_UNREADABLE', err.message, { reason: err.reason });
      }
      throw err;
    }
    const t = u.table;
    this.progress.set(t.rows.length - 1);
    const headers = headersOf(t);
    const sourceKey = sourceKeyOf(headers);
    const suggested = suggestMapping(headers);
    const remembered = importQ(this.store.db).rememberedMapping(sourceKey);
    const width = headers.length;
    const fits = remembered && Object.values(remembered).every((c) => c === undefined || c < width);
    const mapping = fits ? remembered : suggested.mapping;
    const guessed = fits ? [] : suggested.guessed;
    if (input.stopId && this.options.planAhead) this.planAhead({ uploadId: input.uploadId, stopId: input.stopId, mapping });
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
      mapping,
      remembered: Boolean(fits),
      presetMappings: Object.fromEntries(IMPORT_PRESETS.map((p) => [p, presetWithGuesses(headers, p).mapping])),
      guessed,
    };
  }

  /**
   * The validation report. A large plan's events then go to the writer thread while the desk reads
   * the report (see `stageAhead`): nothing is written until the commit.
   */
  check(target: ImportTarget): ImportReport {
    const planned = this.plan(target);
    this.stageAhead(target, planned);
    return planned.plan.report;
  }

  /**
   * Every row the plan leaves out, as CSV (issue #19): the report on screen lists the first 500, this
   * all of them. Uses the plan of the check (same upload, stop, mapping and log position).
   */
  rejectedRows(target: ImportTarget, labels: RejectedRowLabels): { fileName: string; text: string; count: number } {
    const { table, plan } = this.plan(target);
    const fileName = this.requireUpload(target.uploadId).fileName;
    return { fileName: rejectedRowsFileName(fileName), text: rejectedRowsCsv(table.rows[0] ?? [], table.rows.slice(1), plan.rejected, labels), count: plan.rejected.length };
  }

  /**
   * Writes the plan: one `registrations_imported` event per slice of rows, in one transaction. With a
   * writer thread attached, this thread builds, validates and serialises the events while the writer
   * stores them (SQLite's work and the JavaScript work overlap on two cores); otherwise both here.
   * If something was written between the plan and the write lock, it plans again first.
   */
  async commit(target: ImportTarget, actorId: string | null): Promise<ImportOps['commit']['output']> {
    // A plan under way is this target's (finished by the plan below) or stale: none stages beside the commit.
    const ahead = this.ahead;
    if (ahead && ahead.uploadId !== target.uploadId) this.dropAhead();
    this.committedSearch?.drop();
    this.committedSearch = null;
    try {
      let staging = true;
      for (let attempt = 1; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
        const planned = this.plan(target);
        const writer = this.writer;
        // The events of this very plan the writer already has, if any (see `stageAhead`): the commit sends the rest.
        const stage = staging && writer ? this.claimStage(planned.plan) : null;
        staging = false;
        const round = stage?.round ?? this.round(target, planned);
        const write = round.write(actorId);
        this.progress.start('writing', round.size);
        try {
          const written = writer ? await this.writeThrough(writer, write, round, stage) : writeImport(this.store, write, this.counted(bulkEvents(round)));
          this.committedSearch = round.search;
          return round.outcome(written, writer ? 'writer' : 'session');
        } catch (err) {
          round.search?.drop();
          // The writer lost the stage: nothing was written; the events go again, and this round does not count.
          if (err instanceof StageLostError) {
            attempt--;
            continue;
          }
          // Overtaken by another write (the desk checks people in meanwhile), or the writer stopped: nothing
          // of this round was written (or all of it, which the next plan then sees). Plan again and resend.
          if (!(err instanceof PlanMovedError || err instanceof WriterGoneError)) throw err;
        }
      }
      // Last round: plan and write on this thread under the write lock, so nothing can overtake the plan
      // (the host's writes wait for it; a check-in every second would otherwise outrun a 100,000-row plan).
      const last = this.store.events.transaction(() => {
        const round = this.round(target, this.plan(target));
        this.progress.start('writing', round.size);
        return { round, outcome: round.outcome(writeImport(this.store, round.write(actorId), this.counted(bulkEvents(round))), 'session') };
      });
      this.committedSearch = last.round.search;
      return last.outcome;
    } catch (err) {
      // Rolled back whatever failed (a full disk, a lock held too long): the desk is told nothing was imported.
      if (err instanceof AppError) throw err;
      throw new AppError('IMPORT_NOT_WRITTEN', `Nothing was imported: ${err instanceof Error ? err.message : String(err)}`, {});
    }
  }

  /** One round of a commit: of a plan (reused from the check if nothing was written since), what to write, and its outcome. */
  private round(target: ImportTarget, { table, plan: p, logPosition }: Planned): Round {
    const sink: ConsentSink | undefined = p.consentTextVersion ? { textVersion: p.consentTextVersion, wording: p.consentWording ?? '', consents: [] } : undefined;
    const counts = opCounts(p.ops);
    // A commit large enough for the worker to prepare the stop's search index: its people feed it as their slices are made.
    const search = this.options.searchAhead && counts.created + counts.updated + counts.registered > PREPARE_AFTER_IMPORT ? new ImportSearchAhead(target.stopId) : null;
    const payloads = importPayloads(p.ops, target.stopId, sink);
    return {
      plan: p,
      write: (actorId) => ({ stopId: target.stopId, actorId, sourceKey: sourceKeyOf(headersOf(table)), mapping: target.mapping, logPosition, large: p.ops.length > LARGE_PLAN }),
      payloads: search ? feeding(payloads, search) : payloads,
      search,
      consents: () => sink?.consents ?? [],
      // Rows of the slices, and one per consent: what the progress bar counts while writing.
      size: p.ops.length - p.ops.reduce((n, op) => n + (op.kind === 'consent' ? 1 : 0), 0) + counts.consents,
      outcome: (written: { events: number; lastHlc: string | null }, writtenBy: 'writer' | 'session'): ImportOps['commit']['output'] => ({
        ...counts,
        unchanged: p.report.unchanged,
        skipped: p.report.invalid,
        notAttending: p.report.notAttending,
        newCodes: p.report.newCodes,
        events: written.events,
        lastHlc: written.lastHlc,
        writtenBy,
      }),
    };
  }

  /**
   * Sends a large plan's events to the writer ahead of its commit, a few slices per turn of this
   * thread's event loop (a commit, another check or a discard is taken between turns). The writer
   * keeps them and binds their rows into memory (core/store/projections/importedRowsStage.ts): the
   * commit then has SQLite copy those rows and sends only the rest. A desk that reads the report
   * for a second or two finds most of the work done when it clicks. Replaced by a check of another plan.
   */
  private stageAhead(target: ImportTarget, planned: Planned): void {
    const writer = this.writer;
    if (this.stage?.round.plan === planned.plan) return;
    this.dropStage();
    if (!writer || planned.plan.ops.length <= LARGE_PLAN) return;
    const stage: Stage = { stageId: this.nextStageId++, uploadId: target.uploadId, round: this.round(target, planned), slices: 0, done: false, error: null };
    this.stage = stage;
    const turn = (): void => {
      if (this.stage !== stage || this.writer !== writer) return;
      const until = performance.now() + STAGE_TURN_MS;
      while (!stage.done && performance.now() < until) this.stageNext(stage, writer);
      // Once all is staged, and until the commit claims the stage, the stop's search index takes the staged people.
      const search = stage.round.search;
      if (!stage.done || (search && !search.advance(until))) setImmediate(turn);
    };
    setImmediate(turn);
  }

  /** Validates, serialises and sends the stage's next slice (or notes that all are sent). */
  private stageNext(stage: Stage, writer: WriterLink): void {
    // The writer holds what is staged in memory: a huge file stages its first part, the commit sends the rest.
    if (stage.slices >= MAX_STAGED_SLICES) {
      stage.done = true;
      return;
    }
    const next = stage.round.payloads.next();
    if (next.done) {
      stage.done = true;
      return;
    }
    try {
      writer.sender.send({ kind: 'stage', stageId: stage.stageId, ...sliceMessage(next.value) } satisfies WriterMessage);
      stage.slices++;
    } catch (err) {
      // The commit reports it, as it would have sending the events itself.
      stage.error = err;
      stage.done = true;
    }
  }

  /** The stage of this plan, taken for its commit (it stops growing); any other stage is dropped. */
  private claimStage(plan: ImportPlan): Stage | null {
    const stage = this.stage;
    if (!stage || stage.round.plan !== plan) {
      this.dropStage();
      return null;
    }
    this.stage = null;
    if (stage.error) {
      this.writer?.sender.send({ kind: 'unstage', stageId: stage.stageId } satisfies WriterMessage);
      throw stage.error;
    }
    return stage;
  }

  private dropStage(uploadId?: string): void {
    const stage = this.stage;
    if (!stage || (uploadId !== undefined && stage.uploadId !== uploadId)) return;
    this.stage = null;
    this.writer?.sender.send({ kind: 'unstage', stageId: stage.stageId } satisfies WriterMessage);
  }

  /** Hands the commits' writing to the writer thread at the other end of `port` (core/import/importWriter.ts). */
  attachWriter(port: MessagePort, signal: SharedArrayBuffer): void {
    const replies = new Map<number, { resolve: (r: WriterReply) => void; reject: (e: unknown) => void }>();
    const writer: WriterLink = { port, sender: new BlockingSender(port, signal), replies };
    port.on('message', (r: WriterReply) => {
      replies.get(r.commitId)?.resolve(r);
      replies.delete(r.commitId);
    });
    // The writer stopped (crashed, or the host stopped it): commits are written here from now on.
    port.on('close', () => {
      if (this.writer === writer) {
        this.writer = null;
        this.stage = null;
      }
      for (const p of replies.values()) p.reject(new WriterGoneError('the import writer stopped'));
      replies.clear();
    });
    this.writer = writer;
  }

  /** Counts the events written here (no writer thread) for the progress bar; `saving` once all are in the transaction. */
  private *counted(events: Iterable<BulkEvent>): Generator<BulkEvent> {
    for (const e of events) {
      yield e;
      this.progress.add(e.weight ?? 1);
    }
    this.progress.phase('saving');
  }

  /** Sends the commit's events to the writer (after those it has staged, if any) and waits for its answer. */
  private async writeThrough(w: WriterLink, target: ImportWriteTarget, round: Round, stage: Stage | null): Promise<{ events: number; lastHlc: string | null }> {
    const payloads: Iterable<RegistrationsImported> = round.payloads;
    const commitId = this.nextCommitId++;
    const reply = new Promise<WriterReply>((resolve, reject) => w.replies.set(commitId, { resolve, reject }));
    // Observed even when sending fails before the wait below (a writer gone meanwhile rejects it).
    reply.catch(() => undefined);
    // A failure of the writer half-way (disk full, the plan moved) ends the sending early.
    const answered = (): boolean => {
      const m = receiveMessageOnPort(w.port)?.message as WriterReply | undefined;
      if (m) {
        w.replies.get(m.commitId)?.resolve(m);
        w.replies.delete(m.commitId);
      }
      return !w.replies.has(commitId);
    };
    try {
      const staged = stage && stage.slices > 0 ? { stageId: stage.stageId, slices: stage.slices } : null;
      w.sender.send({ kind: 'begin', commitId, staged, ...target } satisfies WriterMessage);
      let i = 0;
      let stopped = false;
      for (const payload of payloads) {
        w.sender.send({ kind: 'event', commitId, ...sliceMessage(payload) } satisfies WriterMessage);
        if (++i % 16 === 0 && answered()) {
          stopped = true;
          break;
        }
      }
      // The consents, once every slice is out (each names a person the slices hold or the store knows).
      if (!stopped) {
        for (const consent of round.consents()) {
          w.sender.send({ kind: 'plain', commitId, type: 'consent_recorded', json: consentJson(consent) } satisfies WriterMessage);
          if (++i % 256 === 0 && answered()) break;
        }
      }
      w.sender.send({ kind: 'end', commitId } satisfies WriterMessage);
    } catch (err) {
      w.sender.send({ kind: 'abort', commitId, message: err instanceof Error ? err.message : String(err) } satisfies WriterMessage);
      // Replied once the writer rolled back: the write lock is free when this error reaches the host.
      await reply.catch(() => undefined);
      throw err;
    }
    return replied(await reply);
  }

  /**
   * The stop's search index fed by the last commit's events (`searchAhead`), for the worker to finish
   * against the tables and hand to the host (core/store/searchCache.ts `ImportSearchAhead`); taken once.
   */
  takeSearchAhead(): ImportSearchAhead | null {
    const search = this.committedSearch;
    this.committedSearch = null;
    return search;
  }

  discard(uploadId: string): { discarded: boolean } {
    this.dropStage(uploadId);
    this.dropAhead(uploadId);
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
  private plan({ uploadId, stopId, mapping }: ImportTarget): Planned {
    const db = this.store.db;
    if (!masterQ(db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
    const upload = this.requireUpload(uploadId);
    const table = upload.table;
    if (!table) throw new AppError('IMPORT_EXPIRED', `Upload ${uploadId} is not parsed yet`, { uploadId });
    checkMapping(table, mapping);
    // Read in one transaction: the snapshot is of the log at `logPosition`, not of a later write.
    return db.transaction(() => {
      const logPosition = importQ(db).logPosition();
      const key = planKey(stopId, mapping, logPosition);
      if (upload.plan?.key === key) {
        // Planned already (ahead of the check, or by it): the bar says every row is checked.
        this.progress.start('checking', table.rows.length - 1);
        this.progress.set(table.rows.length - 1);
        return { table, plan: upload.plan.plan, logPosition };
      }
      // The plan begun after the parse, when it is of this very table, stop, mapping and log position: finished here.
      const ahead = this.ahead;
      this.dropAhead();
      const planner = ahead?.planner && ahead.uploadId === uploadId && ahead.table === table && ahead.key === key ? ahead.planner : this.planner(table, stopId, mapping);
      this.progress.start('checking', table.rows.length - 1);
      while (!planner.advance(PROGRESS_ROWS)) this.progress.set(planner.read);
      this.progress.set(planner.read);
      const result = planner.result();
      upload.plan = { key, plan: result };
      return { table, plan: result, logPosition };
    })();
  }

  /**
   * Plans the mapping the parse suggested (or remembered) for the stop the dialog imports into, a
   * few thousand rows per turn of this thread's event loop, while the desk looks at the mapping
   * step: a check of that mapping then finds its report ready (or finishes the rest), and the plan's
   * events are staged as after a check (`stageAhead`). Any request is taken between turns; a check of
   * another mapping or stop, a moved log, another upload or parse, or a discard drops it. Best effort:
   * whatever is wrong (no such stop, no name column) is the check's to report.
   */
  private planAhead(target: ImportTarget): void {
    this.dropAhead();
    const upload = this.uploads.get(target.uploadId);
    const table = upload?.table;
    if (!upload || !table || table.rows.length - 1 <= LARGE_PLAN) return;
    // The snapshot (every attendee the store holds) is read in the first turn, after the parse has answered.
    const ahead: AheadPlan = { uploadId: target.uploadId, table, key: '', logPosition: -1, planner: null };
    this.ahead = ahead;
    const turn = (): void => {
      if (this.ahead !== ahead) return;
      try {
        if (!this.advanceAhead(ahead, target, performance.now() + PLAN_TURN_MS)) {
          setImmediate(turn);
          return;
        }
        this.ahead = null;
        const plan = ahead.planner!.result();
        // A write meanwhile (a check-in at the door) makes this plan one the check will not use: not staged.
        if (importQ(this.store.db).logPosition() !== ahead.logPosition) return;
        upload.plan = { key: ahead.key, plan };
        this.stageAhead(target, { table, plan, logPosition: ahead.logPosition });
      } catch (err) {
        // Best effort: the check plans (and reports what is wrong: no such stop, no name column) for itself.
        if (this.ahead === ahead) this.ahead = null;
        if (!(err instanceof AppError)) console.warn(`[import] planning ahead stopped: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    setImmediate(turn);
  }

  /** One turn of a plan made ahead (begun on its first); true once every row is planned. */
  private advanceAhead(ahead: AheadPlan, target: ImportTarget, until: number): boolean {
    if (!ahead.planner) {
      const db = this.store.db;
      if (!masterQ(db).stop(target.stopId)) throw new AppError('NOT_FOUND', `No stop ${target.stopId}`, { stopId: target.stopId });
      checkMapping(ahead.table, target.mapping);
      db.transaction(() => {
        ahead.logPosition = importQ(db).logPosition();
        ahead.key = planKey(target.stopId, target.mapping, ahead.logPosition);
        ahead.planner = this.planner(ahead.table, target.stopId, target.mapping);
      })();
    }
    const planner = ahead.planner!;
    while (!planner.done && performance.now() < until) planner.advance(PLAN_TURN_ROWS);
    return planner.done;
  }

  /** A planner of the table's data rows against what the store holds now (call inside a read transaction). */
  private planner(table: ParsedTable, stopId: string, mapping: ImportMapping): ImportPlanner {
    const consentHeader = mapping.consent === undefined ? undefined : (table.rows[0]![mapping.consent] ?? '');
    const snapshot = importQ(this.store.db).snapshot(stopId, { consents: consentHeader !== undefined });
    return new ImportPlanner(table.rows.slice(1), table.rowNumbers.slice(1), mapping, snapshot, { consentHeader });
  }

  private dropAhead(uploadId?: string): void {
    if (this.ahead && (uploadId === undefined || this.ahead.uploadId === uploadId)) this.ahead = null;
  }
}

/** What a plan depends on besides its table: the stop, the mapping (in any key order), the log position. */
const planKey = (stopId: string, mapping: ImportMapping, logPosition: number): string => `${stopId}\u0000${JSON.stringify(Object.entries(mapping).filter(([, c]) => c !== undefined).sort())}\u0000${logPosition}`;

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

const IMPORTED = EVENT_PAYLOADS.registrations_imported;
/** Rounds of a commit: those overtaken by another write plan again; the last plans under the write lock. */
const MAX_PLAN_ATTEMPTS = 3;
/** A plan of more rows than this is large: its events are staged ahead, its WAL checkpoint deferred. */
const LARGE_PLAN = 500;
/** How long one turn of staging (or of planning ahead) may keep the session's thread before it looks at requests again. */
const STAGE_TURN_MS = 12;
const PLAN_TURN_MS = STAGE_TURN_MS;
/** Rows planned between looks at the clock (a few milliseconds). */
const PLAN_TURN_ROWS = 512;
/** Rows planned between updates of the progress bar's count. */
const PROGRESS_ROWS = 4096;
/** At most this many slices (200,000 rows, a few hundred MB in the writer's memory) are staged ahead. */
const MAX_STAGED_SLICES = 800;

interface Planned {
  table: ParsedTable;
  plan: ImportPlan;
  logPosition: number;
}

/** A plan begun right after a parse, read a part per turn (`planAhead`); its snapshot, key and planner from its first turn. */
interface AheadPlan {
  uploadId: string;
  table: ParsedTable;
  key: string;
  logPosition: number;
  planner: ImportPlanner | null;
}

/** A plan made ready to write: its events (ids minted as they are made), the write's target, the outcome. */
interface Round {
  plan: ImportPlan;
  write(actorId: string | null): ImportWriteTarget;
  payloads: Iterator<RegistrationsImported> & Iterable<RegistrationsImported>;
  /** The stop's search index its people feed as their slices are made (a large commit in the worker), or null. */
  search: ImportSearchAhead | null;
  /** The consents of the plan's rows, complete once `payloads` is (their people's ids are minted with the slices). */
  consents(): readonly ConsentRecorded[];
  /** Rows of the slices plus consents: the writing phase's total. */
  size: number;
  outcome(written: { events: number; lastHlc: string | null }, writtenBy: 'writer' | 'session'): ImportOps['commit']['output'];
}

/** A plan's first events, sent to the writer ahead of its commit. */
interface Stage {
  stageId: number;
  uploadId: string;
  /** The round whose events these are: its commit continues it. */
  round: Round;
  /** Slices sent so far. */
  slices: number;
  done: boolean;
  /** A slice that failed validation: the commit reports it. */
  error: unknown;
}

/** The slices as made, each one's rows also added to the stop's search index made ahead. */
function* feeding(payloads: Iterable<RegistrationsImported>, search: ImportSearchAhead): Generator<RegistrationsImported> {
  for (const payload of payloads) {
    search.addRows(payload.rows);
    yield payload;
  }
}

/** A `registrations_imported` payload validated with the shared schema, as the writer takes it: JSON, and its rows as flat cells. */
function sliceMessage(payload: RegistrationsImported): SliceMessage {
  const parsed = IMPORTED.safeParse(payload);
  if (!parsed.success) throw new AppError('VALIDATION', `Invalid registrations_imported payload: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
  return { json: JSON.stringify(parsed.data), cells: packCells(rowsToCells(parsed.data.rows)) };
}

function replied(r: WriterReply): { events: number; lastHlc: string | null } {
  if (r.ok) return r;
  if (r.stageLost) throw new StageLostError(r.message);
  if (r.moved) throw new PlanMovedError(r.message);
  throw r.error ? new AppError(r.error.code, r.error.message, r.error.details) : new Error(r.message);
}

/** The writer thread stopped while a commit waited for it. */
class WriterGoneError extends Error {}

/** The writer does not hold all the staged events a commit named. */
class StageLostError extends Error {}

interface WriterLink {
  port: MessagePort;
  sender: BlockingSender;
  replies: Map<number, { resolve: (r: WriterReply) => void; reject: (e: unknown) => void }>;
}

/**
 * As events for `appendMany` (which validates them), hinted `fresh`: the rows marked `created` name
 * people minted here, whom no event ever named, so they are inserted without a read. Then the
 * consents of the rows (a form's consent answers), ordinary `consent_recorded` events.
 */
function* bulkEvents(round: Round): Generator<BulkEvent> {
  for (const payload of round.payloads) yield { type: 'registrations_imported', payload, hints: { fresh: true }, weight: payload.rows.length };
  for (const payload of round.consents()) yield { type: 'consent_recorded', payload };
}

const CONSENT = EVENT_PAYLOADS.consent_recorded;
/** A consent's payload validated with the shared schema, as JSON for the writer (stored as sent). */
function consentJson(payload: ConsentRecorded): string {
  const parsed = CONSENT.safeParse(payload);
  if (!parsed.success) throw new AppError('VALIDATION', `Invalid consent_recorded payload: ${parsed.error.issues.map((x) => x.message).join('; ')}`);
  return JSON.stringify(parsed.data);
}
