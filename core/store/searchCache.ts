import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NameKeyIndex } from '../domain/romanizedNameKey';
import { SearchIndex } from '../domain/searchIndex';
import type { SearchDoc } from '../domain/searchKeys';
import type { Db } from './sqlite';

/** Event types that change what the search index holds (names, email, affiliation, tokens, stops). */
const INDEXED_TYPES = ['attendee_registered', 'attendee_updated', 'registration_created', 'attendee_corrected', 'attendee_correction_resolved'];
const IMPORT_TYPE = 'registrations_imported';
/** Events after which no patch is enough: a stop purge removes people from the tables without naming them. */
const RELOAD_TYPES = ['stop_personal_data_purged'];
/** More changed people than this since the last look: rebuild the scope rather than patch it. */
const PATCH_LIMIT = 5000;
/** A scope whose saved snapshot lags its index by more changed people than this is saved again (after a build). */
const RESAVE_AFTER = 2000;
/** The scope of every attendee (one document per person), used for duplicate suggestions. */
export const ALL_ATTENDEES = '*';

interface DocRow {
  id: string;
  attendee_id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  scan_token: string;
}

interface Scope {
  index: SearchIndex;
  /** The highest events.local_seq already folded into the index. */
  seq: number;
  /** The index's build count when it was last saved as a snapshot (or loaded from one), and the seq saved. */
  savedBuild: number;
  savedSeq: number;
  /** ALL_ATTENDEES only, built on first use: people by romanised/Hangul name key, for the walk-in form's near-duplicate hints. */
  names: NameKeyIndex | null;
  /** Whether the saved snapshot holds the name keys too (saved again once they are first made). */
  namesSaved?: boolean;
  /** The bytes last saved (and the name keys saved with them), kept only by `export` (a worker hands them on). */
  lastSaved?: Uint8Array;
  lastSavedNames?: Uint8Array;
}

const toDoc = (r: DocRow): SearchDoc => ({
  id: r.id,
  familyName: r.family_name,
  givenName: r.given_name,
  nameKo: r.name_ko,
  email: r.email,
  affiliation: r.affiliation,
  scanToken: r.scan_token,
});

const nameOf = (r: DocRow) => ({ familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko });

const STOP_DOCS = `SELECT r.id, r.attendee_id, a.family_name, a.given_name, a.name_ko, a.email, a.affiliation, r.scan_token
  FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = ?`;
const ALL_DOCS = `SELECT a.id, a.id AS attendee_id, a.family_name, a.given_name, a.name_ko, a.email, a.affiliation, '' AS scan_token FROM attendees a`;


/** Where a store's search snapshots go, and the key they are encrypted with (derived from the store's). */
interface SnapshotFiles {
  /** The store's file: snapshots are `<file>-search-<hash of scope>`. */
  file: string;
  key: Buffer | null;
}
const snapshotFiles = new WeakMap<Db, SnapshotFiles>();
const MAGIC_ENCRYPTED = Buffer.from('RSS1');
const MAGIC_PLAIN = Buffer.from('RSP1');

/**
 * Lets the search cache of this connection save its indexes beside the store file (core/store/openStore.ts
 * calls it): encrypted with AES-256-GCM under a key derived from the store's (HKDF), plain beside a
 * plain store; none for an in-memory store.
 */
export function useSearchSnapshots(db: Db, file: string, storeKey?: Buffer): void {
  if (!file || file === ':memory:') return;
  const key = storeKey ? Buffer.from(hkdfSync('sha256', storeKey, Buffer.alloc(0), 'roadshow search snapshot v1', 32)) : null;
  snapshotFiles.set(db, { file: path.resolve(file), key });
}

const snapshotPath = (files: SnapshotFiles, scope: string): string =>
  `${files.file}-search-${createHash('sha256').update(scope).digest('hex').slice(0, 16)}`;

/** Deletes every saved search index of the store (a stop purge: they hold the purged people). */
export function forgetSearchSnapshots(db: Db): void {
  const files = snapshotFiles.get(db);
  if (!files) return;
  const dir = path.dirname(files.file);
  const prefix = `${path.basename(files.file)}-search-`;
  try {
    for (const name of readdirSync(dir)) if (name.startsWith(prefix)) rmSync(path.join(dir, name), { force: true });
  } catch {
    /* no folder: nothing saved */
  }
}

export interface SavedIndex {
  seq: number;
  /** The event at `seq` in the log the index was made from ('' for an empty log). */
  eventId: string;
  data: Uint8Array;
  /** ALL_ATTENDEES only: the walk-in hints' name keys at the same `seq` (`NameKeyIndex.snapshot()`), when they were made. */
  names?: Uint8Array;
}

function writeSnapshotFile(files: SnapshotFiles, scope: string, saved: SavedIndex): void {
  const names = saved.names ?? new Uint8Array(0);
  const header = Buffer.from(JSON.stringify({ scope, seq: saved.seq, eventId: saved.eventId, ...(saved.names ? { names: names.byteLength } : {}) }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  let out: Buffer[];
  if (files.key) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', files.key, iv);
    const body = [cipher.update(len), cipher.update(header), cipher.update(saved.data), cipher.update(names), cipher.final()];
    out = [MAGIC_ENCRYPTED, iv, cipher.getAuthTag(), ...body];
  } else out = [MAGIC_PLAIN, len, header, Buffer.from(saved.data.buffer, saved.data.byteOffset, saved.data.byteLength), Buffer.from(names.buffer, names.byteOffset, names.byteLength)];
  const target = snapshotPath(files, scope);
  const tmp = `${target}.tmp`;
  try {
    // A cache: written whole then renamed (a torn or foreign file fails its check and is rebuilt), never synced.
    writeFileSync(tmp, Buffer.concat(out), { mode: 0o600 });
    renameSync(tmp, target);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/** An index saved at `seq` (a file beside the store, or bytes offered by another thread), read only when wanted. */
interface StoredIndex {
  seq: number;
  eventId: string;
  /** The index (and the walk-in hints' name keys saved with it); null when the bytes are not a good snapshot. */
  read(): { index: SearchIndex; names: NameKeyIndex | null } | null;
  /** Lets go of what `read` would have read (an open file). */
  close(): void;
}

const storedOf = (saved: SavedIndex): StoredIndex => ({
  seq: saved.seq,
  eventId: saved.eventId,
  read() {
    const index = SearchIndex.fromSnapshot(saved.data);
    return index ? { index, names: saved.names ? NameKeyIndex.fromSnapshot(saved.names) : null } : null;
  },
  close() {},
});

/**
 * Opens a saved snapshot and reads its header; `read()` then decrypts and reads the index part by
 * part (each part decrypted into a buffer of its own: no copy of the whole file, nor of the whole
 * plain text), and checks the file's authentication tag before anything read is used.
 */
function readSnapshotFile(files: SnapshotFiles, scope: string): StoredIndex | null {
  let fd: number;
  try {
    fd = openSync(snapshotPath(files, scope), 'r');
  } catch {
    return null;
  }
  let closed = false;
  const close = (): void => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  const fail = (): null => {
    close();
    return null;
  };
  try {
    const size = fstatSync(fd).size;
    let pos = 0;
    /** The next n bytes of the file, in a buffer of their own (or in `into`). */
    const readRaw = (n: number, into?: Buffer): Buffer | null => {
      if (n < 0 || pos + n > size) return null;
      const b = into ?? Buffer.allocUnsafeSlow(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, b, got, n - got, pos + got);
        if (r === 0) return null;
        got += r;
      }
      pos += n;
      return b;
    };
    const magic = readRaw(4);
    let take: (n: number) => Buffer | null;
    let verify: () => boolean;
    if (files.key) {
      if (!magic?.equals(MAGIC_ENCRYPTED)) return fail();
      const ivTag = readRaw(28);
      if (!ivTag) return fail();
      const decipher = createDecipheriv('aes-256-gcm', files.key, ivTag.subarray(0, 12));
      decipher.setAuthTag(ivTag.subarray(12, 28));
      // GCM is a stream cipher: each part's bytes decrypt on their own into a fresh buffer.
      let scratch = Buffer.allocUnsafeSlow(0);
      take = (n) => {
        if (n > scratch.length) scratch = Buffer.allocUnsafeSlow(n);
        const raw = readRaw(n, scratch.subarray(0, n));
        return raw ? decipher.update(raw) : null;
      };
      verify = () => {
        // What is left (nothing, in a good file) goes through the cipher too, then the tag is checked.
        if (pos < size) take(size - pos);
        decipher.final();
        return true;
      };
    } else {
      if (!magic?.equals(MAGIC_PLAIN)) return fail();
      take = (n) => readRaw(n);
      verify = () => pos === size;
    }
    const len = take(4);
    const headerBytes = len ? take(len.readUInt32LE(0)) : null;
    if (!headerBytes) return fail();
    const header = JSON.parse(headerBytes.toString('utf8')) as { scope: string; seq: number; eventId: string; names?: number };
    if (header.scope !== scope || !Number.isInteger(header.seq) || typeof header.eventId !== 'string') return fail();
    const names = header.names;
    if (names !== undefined && (!Number.isInteger(names) || names < 0)) return fail();
    return {
      seq: header.seq,
      eventId: header.eventId,
      read() {
        try {
          const index = SearchIndex.fromSnapshot({ take, owned: true });
          const namesBytes = index && names !== undefined ? take(names) : null;
          // Nothing read is used unless the whole file authenticates.
          if (!index || !verify()) return null;
          return { index, names: namesBytes ? NameKeyIndex.fromSnapshot(namesBytes) : null };
        } catch {
          return null;
        } finally {
          close();
        }
      },
      close,
    };
  } catch {
    close();
    return null;
  }
}

/** Indexes built elsewhere (an import's worker thread, on its own connection) for a connection's cache to take. */
const offers = new WeakMap<Db, Map<string, SavedIndex>>();

/**
 * Hands a connection's search cache an index of `scope` built by another thread on the same store
 * (the import worker builds the stop's index right after its commit): the next search of that scope
 * takes it, patched with whatever changed since, instead of building on the host's thread.
 */
export function offerSearchIndex(db: Db, scope: string, saved: SavedIndex): void {
  let m = offers.get(db);
  if (!m) offers.set(db, (m = new Map()));
  const prior = m.get(scope);
  if (!prior || prior.seq <= saved.seq) m.set(scope, saved);
}

/** Offers on their way (an import's worker building after its commit has answered), per connection and scope. */
const arriving = new WeakMap<Db, Map<string, Promise<void>>>();

/**
 * Tells a connection that another thread is building `scope`'s index and will offer it
 * (`offerSearchIndex`) when `done` settles (settled too when the thread fails or is stopped).
 * Meanwhile a search of that scope awaits it (`searchIndexArriving`) rather than building its own.
 */
export function expectSearchIndex(db: Db, scope: string, done: Promise<void>): void {
  let m = arriving.get(db);
  if (!m) arriving.set(db, (m = new Map()));
  const map = m;
  const p: Promise<void> = done
    .catch(() => undefined)
    .finally(() => {
      if (map.get(scope) === p) map.delete(scope);
    });
  map.set(scope, p);
}

/** The scopes whose index another thread is building for this connection right now. */
export function searchIndexesArriving(db: Db): string[] {
  return [...(arriving.get(db)?.keys() ?? [])];
}

/**
 * Settles once no index of `scope` is on its way from another thread any more (at once when none
 * is): a search handler awaits it before searching, then takes the offer, or builds as usual when
 * the builder failed or was stopped.
 */
export async function searchIndexArriving(db: Db, scope: string): Promise<void> {
  let p: Promise<void> | undefined;
  while ((p = arriving.get(db)?.get(scope))) await p;
}

/**
 * Builds a scope's index on this connection (an import's worker thread, after its commit), saves it
 * beside the store and returns it for the host to take (`offerSearchIndex`): the host then has
 * nothing to build. Null when nothing could be made (an in-memory store still returns the bytes).
 */
export function prepareSearchIndex(db: Db, scope: string): SavedIndex | null {
  return createSearchCache(db, { keepSaved: true }).export(scope);
}

/** A stop's document as its tables give it, in one string (compared with what an import predicted). */
const fingerprint = (d: SearchDoc): string => `${d.familyName}\u0000${d.givenName}\u0000${d.nameKo}\u0000${d.email}\u0000${d.affiliation}\u0000${d.scanToken}`;

/** The part of an imported row the stop's search index needs (`registrations_imported` rows: core/import/importPayloads.ts). */
export interface ImportedRowDoc {
  created: boolean;
  set: { familyName?: string; givenName?: string; nameKo?: string; email?: string; affiliation?: string };
  registration?: { registrationId: string; scanToken: string };
}

/**
 * The stop's search index, made while a large import is written (issue #20): the import worker adds
 * each new person's registration as its slice is made (`addRows`: during the staging and the
 * commit, while the writer thread stores them), so when the commit has answered only the tables'
 * sort remains (`finish`), instead of a whole build from the tables (seconds for 100,000 people,
 * which the desk's first search waited for).
 *
 * Nothing is trusted: `finish` reads the stop's rows from the tables after the commit, in one read
 * transaction with the log position it reflects, adds every registration not predicted (people
 * registered before, people the import updated or registered), replaces any predicted one whose
 * row differs and drops any predicted one the tables do not hold. So the index is exactly the one a
 * build from the tables at that position makes (tested), whatever the prediction got wrong.
 */
export class ImportSearchAhead {
  private builder: ReturnType<typeof SearchIndex.builder> | null = SearchIndex.builder();
  /** Registration id → its predicted document (fingerprint), until the tables confirm it. */
  private readonly predicted = new Map<string, string>();
  /** Slices' rows given but not added yet (see `advance`), and how many rows they hold. */
  private readonly queue: (readonly ImportedRowDoc[])[] = [];
  private queued = 0;

  constructor(readonly stopId: string) {}

  /**
   * Rows of one slice of the import at this stop: each new person's registration is a document.
   * Only kept here (a reference): their keys are derived by `advance` when the thread has nothing
   * else to do, or by `finish`. Deriving them while the commit runs was measured to slow it as much as
   * it saved after (the session thread already keeps the writer busy; 2 cores).
   */
  addRows(rows: readonly ImportedRowDoc[]): void {
    if (!this.builder) return;
    this.queue.push(rows);
    this.queued += rows.length;
  }

  /**
   * Whether finishing it is worth more than a build from the tables: most rows already added (the
   * desk read the report long enough). Adding the rest after the commit costs more than a build
   * (the runs sorted as they come, the predictions kept), so a desk that clicked at once gets a build.
   */
  get worthFinishing(): boolean {
    return this.builder !== null && this.queued <= this.predicted.size;
  }

  /** Adds queued rows until `until` (performance.now()); true when none is left. */
  advance(until = Infinity): boolean {
    while (this.queue.length) {
      if (performance.now() >= until) return false;
      const rows = this.queue.shift()!;
      this.queued -= rows.length;
      this.add(rows);
    }
    return true;
  }

  private add(rows: readonly ImportedRowDoc[]): void {
    const b = this.builder;
    if (!b) return;
    for (const row of rows) {
      if (!row.created || !row.registration) continue;
      const s = row.set;
      const doc: SearchDoc = {
        id: row.registration.registrationId,
        familyName: s.familyName ?? '',
        givenName: s.givenName ?? '',
        nameKo: s.nameKo ?? '',
        email: s.email ?? '',
        affiliation: s.affiliation ?? '',
        scanToken: row.registration.scanToken,
      };
      if (this.predicted.has(doc.id)) continue;
      this.predicted.set(doc.id, fingerprint(doc));
      b.add(doc);
    }
  }

  /** Documents predicted so far (tests). */
  get size(): number {
    return this.predicted.size;
  }

  /**
   * After the commit: the stop's index as its tables are now, saved beside the store (as a build
   * would) and returned for the host to take (`offerSearchIndex`). Null when it cannot be had (used once).
   */
  finish(db: Db): SavedIndex | null {
    this.advance();
    const b = this.builder;
    if (!b) return null;
    this.builder = null;
    const predicted = this.predicted;
    const wrong: SearchDoc[] = [];
    const maxSeq = db.prepare<[], { s: number }>('SELECT COALESCE(MAX(local_seq), 0) AS s FROM events');
    const eventAt = db.prepare<[number], { event_id: string }>('SELECT event_id FROM events WHERE local_seq = ?');
    const stopDocs = db.prepare<[string], DocRow>(STOP_DOCS);
    // One read transaction: the rows and the log position they reflect are of the same moment.
    const read = db.transaction(() => {
      const seq = maxSeq.get()!.s;
      const eventId = seq === 0 ? '' : (eventAt.get(seq)?.event_id ?? null);
      for (const r of stopDocs.iterate(this.stopId)) {
        const doc = toDoc(r);
        const fp = predicted.get(doc.id);
        if (fp === undefined) b.add(doc);
        else {
          predicted.delete(doc.id);
          if (fp !== fingerprint(doc)) wrong.push(doc);
        }
      }
      return { seq, eventId };
    });
    const { seq, eventId } = read();
    const index = b.finish();
    // Predicted but not in the tables (none when the commit wrote what it was sent), then the rows that differ.
    for (const id of predicted.keys()) index.remove(id);
    predicted.clear();
    for (const doc of wrong) index.upsert(doc);
    if (eventId === null) return null;
    const saved: SavedIndex = { seq, eventId, data: index.snapshot() };
    const files = snapshotFiles.get(db);
    if (files) writeSnapshotFile(files, this.stopId, saved);
    return saved;
  }

  /** Lets the documents go (the commit failed or was replaced by another round). */
  drop(): void {
    this.builder = null;
    this.predicted.clear();
    this.queue.length = 0;
    this.queued = 0;
  }
}

/** People changed by an import beyond which its worker prepares the search index (below, the host patches its own quickly). */
export const PREPARE_AFTER_IMPORT = 2000;

/**
 * Scopes whose index a large import into `stopId` should prepare: the stop's, then every attendee's
 * (the walk-in hints, with their name keys): handed to the host when it has it in memory (`inUse`),
 * otherwise saved beside the store for its first walk-in hint to read (a store without a file only
 * when in use: nothing would keep it).
 */
export function searchScopesAfterImport(db: Db, stopId: string, inUse: readonly string[] = []): string[] {
  const all = inUse.includes(ALL_ATTENDEES) || snapshotFiles.has(db);
  return all ? [stopId, ALL_ATTENDEES] : [stopId];
}

/**
 * Search indexes per scope (a stop's registrations, or every attendee), kept in step with the
 * event log: every event bumps events.local_seq, so a search first asks for the newest local_seq
 * (one index lookup) and folds in the people changed since, from the projection tables. Works the
 * same for local writes, sync, USB bundles and imports, without hooking the write path.
 *
 * An index is built from the tables once, then saved beside the store (encrypted with a key derived
 * from the store's) with the local_seq and event id it reflects: a new process loads those bytes and
 * patches the changes since, instead of building again (100,000 people: seconds of building become
 * a read of a few MB).
 */
export function createSearchCache(db: Db, options: { keepSaved?: boolean } = {}) {
  const maxSeq = db.prepare<[], { s: number }>('SELECT COALESCE(MAX(local_seq), 0) AS s FROM events');
  const types = INDEXED_TYPES.map((t) => `'${t}'`).join(',');
  // An import names its people inside `rows` (one event per slice of up to 250 people).
  const changedCount = db.prepare<[number, number], { n: number }>(
    `SELECT (SELECT COUNT(*) FROM events WHERE local_seq > ? AND type IN (${types}))
          + (SELECT COALESCE(SUM(json_array_length(payload, '$.rows')), 0) FROM events WHERE local_seq > ? AND type = '${IMPORT_TYPE}') AS n`,
  );
  const changed = db.prepare<[number, number], { a: string | null }>(
    `SELECT json_extract(payload, '$.attendeeId') AS a FROM events WHERE local_seq > ? AND type IN (${types})
     UNION
     SELECT json_extract(r.value, '$.attendeeId') FROM events, json_each(events.payload, '$.rows') AS r
     WHERE events.local_seq > ? AND events.type = '${IMPORT_TYPE}'`,
  );
  const reloadSince = db.prepare<[number], { n: number }>(
    `SELECT COUNT(*) AS n FROM events WHERE local_seq > ? AND type IN (${RELOAD_TYPES.map((t) => `'${t}'`).join(',')})`,
  );
  const stopDocs = db.prepare<[string], DocRow>(STOP_DOCS);
  const stopDocsOf = db.prepare<[string, string], DocRow>(`${STOP_DOCS} AND r.attendee_id = ?`);
  const allDocs = db.prepare<[], DocRow>(ALL_DOCS);
  const allDocsOf = db.prepare<[string], DocRow>(`${ALL_DOCS} WHERE a.id = ?`);
  const allNames = db.prepare<[], { id: string; family_name: string; given_name: string; name_ko: string }>('SELECT id, family_name, given_name, name_ko FROM attendees');
  const eventAt = db.prepare<[number], { event_id: string }>('SELECT event_id FROM events WHERE local_seq = ?');
  const files = snapshotFiles.get(db) ?? null;
  const scopes = new Map<string, Scope>();
  /**
   * How this cache got its indexes (tests, benchmarks): built from the tables, read from a saved file,
   * taken from an offer; and how often the walk-in hints' name keys were derived from the table.
   */
  const stats = { built: 0, loaded: 0, taken: 0, namesBuilt: 0 };

  /** Changed people since `seq`, or null when only a rebuild will do (a purge, or too many). */
  function changesSince(seq: number): number | null {
    if (reloadSince.get(seq)!.n > 0) return null;
    const n = changedCount.get(seq, seq)!.n;
    return n > PATCH_LIMIT ? null : n;
  }

  function build(key: string, seq: number): Scope {
    const rows = key === ALL_ATTENDEES ? allDocs.iterate() : stopDocs.iterate(key);
    const index = new SearchIndex((function* () {
      for (const r of rows) yield toDoc(r);
    })());
    const scope: Scope = { index, seq, savedBuild: -1, savedSeq: 0, names: null };
    stats.built++;
    save(key, scope);
    return scope;
  }

  /** The saved index of a scope, patched up to now; null when there is none worth patching. */
  function fromSnapshot(key: string, seq: number): Scope | null {
    if (!files) return null;
    const stored = readSnapshotFile(files, key);
    const scope = stored ? fromSaved(key, stored, seq, true) : null;
    if (scope) stats.loaded++;
    return scope;
  }

  /** An index saved (or offered) at `saved.seq`, patched up to `seq`; null when not of this log, or too far behind. */
  function fromSaved(key: string, saved: StoredIndex, seq: number, onDisk: boolean): Scope | null {
    // Made from this very log (its event at that position is the one recorded), and not too far behind.
    let read: ReturnType<StoredIndex['read']> = null;
    try {
      const valid = saved.seq <= seq && (saved.seq === 0 ? saved.eventId === '' : eventAt.get(saved.seq)?.event_id === saved.eventId) && changesSince(saved.seq) !== null;
      if (valid) read = saved.read();
    } finally {
      saved.close();
    }
    if (!read) return null;
    const { index } = read;
    // The walk-in hints' name keys, when they were saved with it (a bad part only costs deriving them again).
    const names = key === ALL_ATTENDEES ? read.names : null;
    // An offered index was saved by the thread that built it (when the store has a file).
    const scope: Scope = { index, seq: saved.seq, savedBuild: onDisk || files ? index.buildCount : -1, savedSeq: saved.seq, names, namesSaved: names !== null };
    patch(key, scope, seq);
    return scope;
  }

  /** An index another thread built for this scope since ours (an import's), if it is newer and valid. */
  function offered(key: string, current: Scope | undefined, seq: number): Scope | null {
    const m = offers.get(db);
    const saved = m?.get(key);
    if (!saved) return null;
    m!.delete(key);
    if (current && saved.seq <= current.seq) return null;
    const scope = fromSaved(key, storedOf(saved), seq, false);
    if (scope) stats.taken++;
    return scope;
  }

  /** Saves the scope's index when it was built since its last save (a file beside the store, encrypted with its key). */
  function save(key: string, scope: Scope): void {
    if (!files || (scope.index.buildCount === scope.savedBuild && (scope.namesSaved || !scope.names))) return;
    const eventId = scope.seq === 0 ? '' : (eventAt.get(scope.seq)?.event_id ?? null);
    if (eventId === null) return;
    const data = scope.index.snapshot();
    const names = scope.names?.snapshot();
    writeSnapshotFile(files, key, { seq: scope.seq, eventId, data, ...(names ? { names } : {}) });
    if (options.keepSaved) {
      scope.lastSaved = data;
      scope.lastSavedNames = names;
    }
    scope.savedBuild = scope.index.buildCount;
    scope.savedSeq = scope.seq;
    scope.namesSaved = names !== undefined;
  }

  function patch(key: string, scope: Scope, seq: number): void {
    const builds = scope.index.buildCount;
    let n = 0;
    for (const { a } of changed.all(scope.seq, scope.seq)) {
      if (!a) continue;
      n++;
      // Registrations are never removed nor moved to another person (a purge reloads): the person's
      // current rows replace their documents.
      const rows = key === ALL_ATTENDEES ? allDocsOf.all(a) : stopDocsOf.all(key, a);
      if (key === ALL_ATTENDEES && rows.length === 0) scope.index.remove(a);
      for (const r of rows) scope.index.upsert(toDoc(r));
      if (scope.names) {
        scope.names.remove(a);
        for (const r of rows) scope.names.upsert(r.attendee_id, nameOf(r));
      }
    }
    scope.seq = seq;
    // The index folded its delta into new tables: saved again once the snapshot lags far enough.
    if (n > 0 && scope.index.buildCount !== scope.savedBuild && scope.index.pending === 0 && (changesSince(scope.savedSeq) ?? Infinity) > RESAVE_AFTER) save(key, scope);
  }

  function scopeOf(key: string): Scope {
    const seq = maxSeq.get()!.s;
    let scope = scopes.get(key);
    const taken = offered(key, scope, seq);
    if (taken) {
      // The old index (and its name keys, rebuilt on their next use) goes as the new one comes.
      scopes.set(key, taken);
      return taken;
    }
    if (!scope) {
      scope = fromSnapshot(key, seq) ?? build(key, seq);
      scopes.set(key, scope);
    } else if (seq > scope.seq) {
      if (changesSince(scope.seq) === null) {
        // Let the old index go before making the new one (one index in memory, not two), and read
        // one another thread saved meanwhile (an import's) before building on this one.
        scopes.delete(key);
        scope = undefined;
        scope = fromSnapshot(key, seq) ?? build(key, seq);
        scopes.set(key, scope);
      } else patch(key, scope, seq);
    }
    return scope;
  }

  return {
    /** The up-to-date index of a scope (a stop id, or ALL_ATTENDEES). Loaded or built on first use. */
    index(key: string): SearchIndex {
      return scopeOf(key).index;
    },
    /** Every attendee by name key (romanisation variants and Hangul), up to date like the ALL_ATTENDEES index. */
    names(): NameKeyIndex {
      const scope = scopeOf(ALL_ATTENDEES);
      if (!scope.names) {
        const names = new NameKeyIndex();
        for (const r of allNames.iterate()) names.upsert(r.id, { familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko });
        scope.names = names;
        stats.namesBuilt++;
        // Saved with the index (a new process, or the import's worker's next build, reads them instead of deriving them again).
        if (scope.seq === maxSeq.get()!.s) save(ALL_ATTENDEES, scope);
      }
      return scope.names;
    },
    /** The up-to-date index of a scope as saved bytes, with the local_seq and event it reflects (see `prepareSearchIndex`). */
    export(key: string): SavedIndex | null {
      // Every attendee's index goes with its name keys (the walk-in hints need both).
      if (key === ALL_ATTENDEES) this.names();
      const scope = scopeOf(key);
      const eventId = scope.seq === 0 ? '' : (eventAt.get(scope.seq)?.event_id ?? null);
      if (eventId === null) return null;
      const fresh = scope.lastSaved && scope.savedSeq === scope.seq && scope.savedBuild === scope.index.buildCount && (scope.namesSaved || !scope.names);
      const data = fresh ? scope.lastSaved! : scope.index.snapshot();
      const names = fresh ? scope.lastSavedNames : scope.names?.snapshot();
      scopes.delete(key);
      return { seq: scope.seq, eventId, data, ...(names ? { names } : {}) };
    },
    /** The scopes whose index is in memory. */
    inUse(): string[] {
      return [...scopes.keys()];
    },
    /** How the indexes were had so far (built here, read from a file, taken from another thread). */
    stats(): Readonly<typeof stats> {
      return { ...stats };
    },
    /** Forget every index (tests; a store whose projections were rebuilt from scratch). */
    clear(): void {
      scopes.clear();
    },
  };
}
export type SearchCache = ReturnType<typeof createSearchCache>;

const shared = new WeakMap<Db, SearchCache>();
/**
 * The one search cache of a connection, shared by every module that searches it (the desk's search,
 * session check-in, walk-in hints): one index per scope in memory, and an index offered by an import
 * worker is taken by whichever asks first, for all of them.
 */
export function searchCacheOf(db: Db): SearchCache {
  let cache = shared.get(db);
  if (!cache) shared.set(db, (cache = createSearchCache(db)));
  return cache;
}
