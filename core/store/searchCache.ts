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
  /** Documents per attendee, so a changed person's old documents can be replaced. */
  docsOf: Map<string, string[]>;
  /** ALL_ATTENDEES only: people by romanised/Hangul name key, for the walk-in form's near-duplicate hints. */
  names: NameKeyIndex | null;
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

/**
 * Search indexes per scope (a stop's registrations, or every attendee), kept in step with the
 * event log: every event bumps events.local_seq, so a search first asks for the newest local_seq
 * (one index lookup) and folds in the people changed since, from the projection tables. Works the
 * same for local writes, sync, USB bundles and imports, without hooking the write path.
 */
export function createSearchCache(db: Db) {
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
  const scopes = new Map<string, Scope>();

  function load(key: string, seq: number): Scope {
    const rows = key === ALL_ATTENDEES ? allDocs.all() : stopDocs.all(key);
    const docsOf = new Map<string, string[]>();
    for (const r of rows) {
      const list = docsOf.get(r.attendee_id);
      if (list) list.push(r.id);
      else docsOf.set(r.attendee_id, [r.id]);
    }
    let names: NameKeyIndex | null = null;
    if (key === ALL_ATTENDEES) {
      names = new NameKeyIndex();
      for (const r of rows) names.upsert(r.attendee_id, nameOf(r));
    }
    return { index: new SearchIndex(rows.map(toDoc)), seq, docsOf, names };
  }

  function patch(key: string, scope: Scope, seq: number): void {
    for (const { a } of changed.all(scope.seq, scope.seq)) {
      if (!a) continue;
      for (const id of scope.docsOf.get(a) ?? []) scope.index.remove(id);
      scope.names?.remove(a);
      const rows = key === ALL_ATTENDEES ? allDocsOf.all(a) : stopDocsOf.all(key, a);
      for (const r of rows) scope.index.upsert(toDoc(r));
      for (const r of rows) scope.names?.upsert(r.attendee_id, nameOf(r));
      if (rows.length) scope.docsOf.set(a, rows.map((r) => r.id));
      else scope.docsOf.delete(a);
    }
    scope.seq = seq;
  }

  function scopeOf(key: string): Scope {
    const seq = maxSeq.get()!.s;
    let scope = scopes.get(key);
    if (!scope || (seq > scope.seq && (reloadSince.get(scope.seq)!.n > 0 || changedCount.get(scope.seq, scope.seq)!.n > PATCH_LIMIT))) {
      scope = load(key, seq);
      scopes.set(key, scope);
    } else if (seq > scope.seq) {
      patch(key, scope, seq);
    }
    return scope;
  }

  return {
    /** The up-to-date index of a scope (a stop id, or ALL_ATTENDEES). Built on first use. */
    index(key: string): SearchIndex {
      return scopeOf(key).index;
    },
    /** Every attendee by name key (romanisation variants and Hangul), up to date like the ALL_ATTENDEES index. */
    names(): NameKeyIndex {
      return scopeOf(ALL_ATTENDEES).names!;
    },
    /** Forget every index (tests; a store whose projections were rebuilt from scratch). */
    clear(): void {
      scopes.clear();
    },
  };
}
export type SearchCache = ReturnType<typeof createSearchCache>;
