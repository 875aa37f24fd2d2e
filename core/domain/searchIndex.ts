import { docKeys, queryTokens, type DocKeys, type SearchDoc } from './searchKeys';
import { PackedStrings } from './packedStrings';

export interface SearchHit {
  id: string;
  score: number;
}

// Scores: the scan token typed whole beats everything; whole-name phrases beat word matches; a name word
// beats the same word in email or affiliation; a whole word beats a prefix.
const SCORE_TOKEN = 100;
const SCORE_PHRASE_EXACT = 40;
const SCORE_PHRASE_PREFIX = 30;
const NAME_EXACT = 6;
const NAME_PREFIX = 4;
const OTHER_EXACT = 3;
const OTHER_PREFIX = 2;
/** Candidates a multi-word query may examine before it settles for the best found so far. */
const CANDIDATE_CAP = 6000;
/** A word matching more documents than this is checked by its key ranges rather than a bitmap. */
const MASK_LIMIT = 40_000;
/** Changes kept in the linear "delta" before the sorted tables are rebuilt. */
const DELTA_LIMIT = 1000;
/** Bumped when the layout of a snapshot changes: an older snapshot is then ignored (and rebuilt). */
export const SNAPSHOT_FORMAT = 1;

/**
 * One sorted table of keys (name words, other words, or whole-name phrases) with a posting list per
 * key: the built documents (their positions, which are in name order) holding it.
 */
interface Table {
  words: PackedStrings;
  /** Key w's documents are postings[at[w] .. at[w+1]), ascending (name order). */
  at: Int32Array;
  postings: Int32Array;
  /**
   * Per document, its keys (word numbers) in this table: keys[docAt[d] .. docAt[d+1]). Null after a
   * snapshot is read, until first needed (scoring a candidate, a rebuild): see `perDoc`.
   */
  docAt: Int32Array | null;
  keys: Int32Array | null;
}

/** The built part of the index: documents in name order and the three key tables, all in flat arrays. */
interface Built {
  /** `${sortKey}`: latin name \0 Hangul name \0 id; the id is what follows the last \0. */
  sortKeys: PackedStrings;
  name: Table;
  other: Table;
  phrase: Table;
  /** Per document, its scan token as a word number of `other`, or -1. */
  token: Int32Array;
  /** Per word of `other`: 1 when it is some document's scan token. */
  isToken: Uint8Array;
  /** Document positions ordered by id (binary search for has/remove). */
  byId: Int32Array;
}

const EMPTY_TABLE = (): Table => ({ words: PackedStrings.of([]), at: new Int32Array(1), postings: new Int32Array(0), docAt: new Int32Array(1), keys: new Int32Array(0) });
const EMPTY_BUILT = (): Built => ({ sortKeys: PackedStrings.of([]), name: EMPTY_TABLE(), other: EMPTY_TABLE(), phrase: EMPTY_TABLE(), token: new Int32Array(0), isToken: new Uint8Array(0), byId: new Int32Array(0) });

const idOfSortKey = (sortKey: string): string => sortKey.slice(sortKey.lastIndexOf('\u0000') + 1);

/** Where a query word falls in a table: [lo, hi) the keys starting with it, `exact` the one equal to it (or -1). */
interface Range {
  lo: number;
  hi: number;
  exact: number;
}

function rangeOf(table: Table, prefix: string): Range {
  const lo = table.words.lowerBound(prefix);
  // Keys sort by UTF-16 code units: every key that starts with `prefix` sorts before prefix + U+FFFF.
  const hi = lo < table.words.length && table.words.get(lo).startsWith(prefix) ? table.words.lowerBound(`${prefix}\uffff`) : lo;
  return { lo, hi, exact: lo < hi && table.words.get(lo) === prefix ? lo : -1 };
}

/** Growable Int32 list (the builder's scratch space). */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Strings sorted a run at a time while they are added (`step`), so that the final sort (`sorted`)
 * only merges runs (V8's TimSort finds them): for an index fed while an import is written, most of
 * the sorting is done before the commit ends. Same result as `src.slice().sort()`.
 */
class RunSorter {
  private readonly runs: string[] = [];
  private done = 0;

  constructor(
    private readonly src: string[],
    private readonly every = 32_768,
  ) {}

  /** Sorts the strings added since the last run once there are enough of them. */
  step(): void {
    if (this.src.length - this.done >= this.every) this.flush();
  }

  private flush(): void {
    const run = this.src.slice(this.done).sort();
    for (const w of run) this.runs.push(w);
    this.done = this.src.length;
  }

  /** Every string of `src`, sorted (once: the runs are merged in place). */
  sorted(): string[] {
    this.flush();
    return this.runs.sort();
  }
}

/** One table under construction: keys numbered as first seen, per document the numbers of its keys. */
class TableBuilder {
  readonly ids = new Map<string, number>();
  readonly words: string[] = [];
  readonly docAt = new IntList();
  readonly keys = new IntList();
  /** Set when the words are sorted run by run as they come (see RunSorter). */
  private readonly runs: RunSorter | null;

  constructor(presort = false) {
    this.docAt.push(0);
    this.runs = presort ? new RunSorter(this.words) : null;
  }

  /** Adds a document's keys (distinct) and returns nothing; documents are numbered in call order. */
  add(words: Iterable<string>): void {
    for (const w of words) {
      let id = this.ids.get(w);
      if (id === undefined) {
        id = this.words.length;
        this.ids.set(w, id);
        this.words.push(w);
      }
      this.keys.push(id);
    }
    this.docAt.push(this.keys.length);
    this.runs?.step();
  }

  /** The sorted table, with documents renumbered: `order[newPosition] = added document number`. */
  finish(order: Int32Array): Table {
    const n = this.words.length;
    // The default sort compares UTF-16 code units without a callback (much faster than a comparator).
    const sorted = this.runs ? this.runs.sorted() : this.words.slice().sort();
    const rank = new Int32Array(n);
    for (let r = 0; r < n; r++) rank[this.ids.get(sorted[r]!)!] = r;
    const words = PackedStrings.of(sorted);
    const docAtIn = this.docAt.data;
    const keysIn = this.keys.data;
    const docs = order.length;
    // Per document (new order): its keys, renumbered.
    const docAt = new Int32Array(docs + 1);
    const keys = new Int32Array(this.keys.length);
    const count = new Int32Array(n + 1);
    let k = 0;
    for (let d = 0; d < docs; d++) {
      const src = order[d]!;
      for (let p = docAtIn[src]!; p < docAtIn[src + 1]!; p++) {
        const w = rank[keysIn[p]!]!;
        keys[k++] = w;
        count[w + 1]!++;
      }
      docAt[d + 1] = k;
    }
    // Posting lists: counting sort by key, documents visited in name order so each list is ascending.
    const at = new Int32Array(n + 1);
    for (let w = 0; w < n; w++) at[w + 1] = at[w]! + count[w + 1]!;
    const fill = at.slice(0, n);
    const postings = new Int32Array(k);
    for (let d = 0; d < docs; d++) for (let p = docAt[d]!; p < docAt[d + 1]!; p++) postings[fill[keys[p]!]!++] = d;
    return { words, at, postings, docAt, keys };
  }
}

/** Builds the flat tables from documents' keys, in any order (sorted here by name). */
class Builder {
  private readonly sortKeys: string[] = [];
  private readonly tokens: string[] = [];
  private readonly name: TableBuilder;
  private readonly other: TableBuilder;
  private readonly phrase: TableBuilder;
  /** `presort`: sort keys, ids and words sorted run by run as documents are added (an index fed over time). */
  private readonly ids: string[] = [];
  private readonly runs: { sortKeys: RunSorter; ids: RunSorter } | null;

  constructor(presort = false) {
    this.name = new TableBuilder(presort);
    this.other = new TableBuilder(presort);
    this.phrase = new TableBuilder(presort);
    this.runs = presort ? { sortKeys: new RunSorter(this.sortKeys), ids: new RunSorter(this.ids) } : null;
  }

  add(keys: DocKeys): void {
    this.sortKeys.push(keys.sortKey);
    this.tokens.push(keys.token);
    this.name.add(keys.name);
    this.other.add(keys.other);
    this.phrase.add(keys.phrases);
    if (this.runs) {
      this.ids.push(idOfSortKey(keys.sortKey));
      this.runs.sortKeys.step();
      this.runs.ids.step();
    }
  }

  finish(): Built {
    const n = this.sortKeys.length;
    // Sort keys end with the document's id, so they are distinct: sorted as plain strings, then numbered back.
    const sk = this.sortKeys;
    const sortKeys = this.runs ? this.runs.sortKeys.sorted() : sk.slice().sort();
    const numberOf = new Map<string, number>();
    for (let i = 0; i < n; i++) numberOf.set(sk[i]!, i);
    const order = new Int32Array(n);
    for (let d = 0; d < n; d++) order[d] = numberOf.get(sortKeys[d]!)!;
    numberOf.clear();
    // A token that is not among the document's other keys (it equals one of its name words) still gets a word number.
    for (let i = 0; i < n; i++) {
      const t = this.tokens[i]!;
      if (t && !this.other.ids.has(t)) {
        this.other.ids.set(t, this.other.words.length);
        this.other.words.push(t);
      }
    }
    const other = this.other.finish(order);
    const token = new Int32Array(n).fill(-1);
    const isToken = new Uint8Array(other.words.length);
    for (let d = 0; d < n; d++) {
      const t = this.tokens[order[d]!]!;
      if (!t) continue;
      const w = other.words.lowerBound(t);
      token[d] = w;
      isToken[w] = 1;
    }
    const posOf = new Map<string, number>();
    for (let d = 0; d < n; d++) posOf.set(idOfSortKey(sortKeys[d]!), d);
    const ids = this.runs ? this.runs.ids.sorted() : sortKeys.map(idOfSortKey).sort();
    const byId = new Int32Array(n);
    for (let i = 0; i < n; i++) byId[i] = posOf.get(ids[i]!)!;
    return { sortKeys: PackedStrings.of(sortKeys), name: this.name.finish(order), other, phrase: this.phrase.finish(order), token, isToken, byId };
  }
}

function tokenScore(keys: DocKeys, t: string): number {
  let best = 0;
  for (const k of keys.name) {
    if (k === t) return NAME_EXACT;
    if (best < NAME_PREFIX && k.startsWith(t)) best = NAME_PREFIX;
  }
  if (best) return best;
  for (const k of keys.other) {
    if (k === t) return OTHER_EXACT;
    if (best < OTHER_PREFIX && k.startsWith(t)) best = OTHER_PREFIX;
  }
  return best;
}

/** The full score of one document for a query; 0 when some word of the query matches nothing. */
export function scoreKeys(keys: DocKeys, tokens: readonly string[]): number {
  let sum = 0;
  for (const t of tokens) {
    const s = tokenScore(keys, t);
    if (s === 0) return 0;
    sum += s;
  }
  if (tokens.length === 1 && keys.token && keys.token === tokens[0]) sum += SCORE_TOKEN;
  if (tokens.length > 1) {
    const phrase = tokens.join(' ');
    let p = 0;
    for (const k of keys.phrases) {
      if (k === phrase) {
        p = SCORE_PHRASE_EXACT;
        break;
      }
      if (k.startsWith(phrase)) p = SCORE_PHRASE_PREFIX;
    }
    sum += p;
  }
  return sum;
}

/** A query resolved against the built tables: per word its key ranges, and the phrase's. */
interface Resolved {
  tokens: string[];
  name: Range[];
  other: Range[];
  phrase: Range | null;
}

/** One document changed since the last build (scored directly, by its keys). */
interface DeltaEntry {
  id: string;
  keys: DocKeys;
}

/**
 * The index behind as-you-type check-in search, in flat arrays (little memory, no object per
 * person; saved and loaded whole as a snapshot, see `snapshot()`): documents in name order, three
 * sorted key tables (name words, other words, whole-name phrases) with posting lists, and per
 * document its key numbers, so scoring a candidate compares integers (a key starts with the query
 * word exactly when its number falls in the word's range). Changes since the last build sit in a
 * small linear delta, replaced documents as tombstones. Ranking: score (see the SCORE_ constants),
 * then name order. Pure: no database, no clock.
 */
export class SearchIndex {
  private built: Built = EMPTY_BUILT();
  /** Built documents still current (1) or replaced/removed (0). */
  private alive = new Uint8Array(0);
  private deadCount = 0;
  private delta: DeltaEntry[] = [];
  private deltaById = new Map<string, number>();
  private stamp = new Int32Array(0);
  private epoch = 0;
  /** Per built document, how far it got through a multi-word query's words (see nextMarks). */
  private marks = new Int32Array(0);
  private markBase = 0;
  /** Bumped at each build: a cache saves a snapshot of a new build. */
  private builds = 0;

  constructor(docs: Iterable<SearchDoc> = []) {
    const b = new Builder();
    for (const d of docs) b.add(docKeys(d));
    this.install(b.finish());
  }

  /**
   * An index made a document at a time: the documents' keys are derived and interned as they are
   * added (`add`), the tables sorted once at `finish`. An import's worker adds its people while its
   * writer stores them, so the index is all but built when the commit ends (core/store/searchCache.ts
   * `ImportSearchAhead`). The same index as `new SearchIndex(docs)` for the same documents.
   */
  static builder(): { add(doc: SearchDoc): void; finish(): SearchIndex } {
    let b: Builder | null = new Builder(true);
    return {
      add(doc: SearchDoc): void {
        b!.add(docKeys(doc));
      },
      finish(): SearchIndex {
        const ix = new SearchIndex();
        ix.install(b!.finish());
        b = null;
        return ix;
      },
    };
  }

  /**
   * Reads a snapshot made by `snapshot()`, whole or part by part from a source (a file decrypted as
   * it is read: no copy of the whole); null when it is not one this code can read.
   */
  static fromSnapshot(data: Uint8Array | SnapshotSource): SearchIndex | null {
    const built = readSnapshot(data instanceof Uint8Array ? bytesSource(data) : data);
    if (!built) return null;
    const ix = new SearchIndex();
    ix.install(built);
    return ix;
  }

  get size(): number {
    return this.built.sortKeys.length - this.deadCount + this.deltaById.size;
  }

  /** How many times the tables were built (a new build is worth a new snapshot). */
  get buildCount(): number {
    return this.builds;
  }

  /** Changes held in the delta (not yet in the sorted tables). */
  get pending(): number {
    return this.delta.length + this.deadCount;
  }

  has(id: string): boolean {
    return this.deltaById.has(id) || this.builtPos(id) >= 0;
  }

  /** Adds or replaces a document (a replaced built document becomes a tombstone until the next build). */
  upsert(doc: SearchDoc): void {
    this.remove(doc.id);
    this.deltaById.set(doc.id, this.delta.length);
    this.delta.push({ id: doc.id, keys: docKeys(doc) });
    if (this.delta.length + this.deadCount > DELTA_LIMIT) this.rebuild();
  }

  remove(id: string): void {
    const at = this.deltaById.get(id);
    if (at !== undefined) {
      this.deltaById.delete(id);
      const last = this.delta.pop()!;
      if (at < this.delta.length) {
        this.delta[at] = last;
        this.deltaById.set(last.id, at);
      }
      return;
    }
    const pos = this.builtPos(id);
    if (pos >= 0) {
      this.alive[pos] = 0;
      this.deadCount++;
    }
  }

  /** Sorts everything into the tables again (done when the delta grows large). */
  rebuild(): void {
    const b = new Builder();
    const { sortKeys, name, other, phrase, token } = this.built;
    const words = (t: Table, d: number): string[] => {
      const out: string[] = [];
      const { docAt, keys } = perDoc(t, sortKeys.length);
      for (let p = docAt[d]!; p < docAt[d + 1]!; p++) out.push(t.words.get(keys[p]!));
      return out;
    };
    for (let d = 0; d < sortKeys.length; d++) {
      if (!this.alive[d]) continue;
      const t = token[d]!;
      b.add({ sortKey: sortKeys.get(d), name: words(name, d), other: words(other, d), phrases: words(phrase, d), token: t >= 0 ? other.words.get(t) : '' });
    }
    for (const e of this.delta) b.add(e.keys);
    this.install(b.finish());
  }

  /**
   * The built tables as bytes (the delta is folded in first): what a cache stores so that a new
   * process searches at once instead of building. Read back with `SearchIndex.fromSnapshot`.
   */
  snapshot(): Buffer {
    if (this.pending > 0) this.rebuild();
    return writeSnapshot(this.built);
  }

  /** The first `limit` documents in name order (what the desk lists before anything is typed). */
  browse(limit = 20): SearchHit[] {
    const keys: string[] = [];
    const { sortKeys } = this.built;
    for (let i = 0; i < sortKeys.length && keys.length < limit; i++) if (this.alive[i]) keys.push(sortKeys.get(i));
    for (const e of this.delta) keys.push(e.keys.sortKey);
    keys.sort();
    return keys.slice(0, limit).map((k) => ({ id: idOfSortKey(k), score: 0 }));
  }

  /** The best `limit` documents for a query, best first. An empty query lists people in name order. */
  search(query: string, limit = 20): SearchHit[] {
    const tokens = queryTokens(query);
    if (limit <= 0) return [];
    if (tokens.length === 0) return this.browse(limit);
    const b = this.built;
    const q: Resolved = {
      tokens,
      name: tokens.map((t) => rangeOf(b.name, t)),
      other: tokens.map((t) => rangeOf(b.other, t)),
      phrase: tokens.length > 1 ? rangeOf(b.phrase, tokens.join(' ')) : null,
    };
    const found = new Map<number, number>();
    const seen = this.nextEpoch();
    const consider = (i: number, score?: number): void => {
      if (this.stamp[i] === seen) return;
      this.stamp[i] = seen;
      if (!this.alive[i]) return;
      const s = score ?? this.score(i, q);
      if (s > 0) found.set(i, s);
    };

    if (tokens.length === 1) {
      const o = q.other[0]!;
      // The scan token typed whole: its documents first, with the token's bonus.
      if (o.exact >= 0 && b.isToken[o.exact]) {
        for (let p = b.other.at[o.exact]!; p < b.other.at[o.exact + 1]!; p++) if (b.token[b.other.postings[p]!] === o.exact) consider(b.other.postings[p]!);
        const n = q.name[0]!;
        if (n.exact >= 0) for (let p = b.name.at[n.exact]!; p < b.name.at[n.exact + 1]!; p++) if (b.token[b.name.postings[p]!] === o.exact) consider(b.name.postings[p]!);
      }
      this.walkTiers(b.name, q.name[0]!, NAME_EXACT, NAME_PREFIX, (i, s) => consider(i, s), limit, () => found.size);
      this.walkTiers(b.other, o, OTHER_EXACT, OTHER_PREFIX, (i, s) => consider(i, s), limit, () => found.size);
    } else {
      let budget = CANDIDATE_CAP;
      this.walkTiers(b.phrase, q.phrase!, 0, 0, (i) => (budget-- > 0 ? consider(i) : undefined), limit * 4, () => found.size);
      // A whole-name phrase match outscores any word-by-word match: with `limit` of them, nothing else can rank.
      if (found.size < limit) {
        // Drive the AND by the rarest word, in tier order, until enough are found or the budget is spent.
        const count = (k: number): number => b.name.at[q.name[k]!.hi]! - b.name.at[q.name[k]!.lo]! + b.other.at[q.other[k]!.hi]! - b.other.at[q.other[k]!.lo]!;
        let best = 0;
        let bestCount = Infinity;
        for (let k = 0; k < tokens.length; k++) {
          const c = count(k);
          if (c < bestCount) {
            bestCount = c;
            best = k;
          }
        }
        // The other words' documents as bitmaps (cheap to fill from posting lists): a candidate is
        // scored only when every word matches it.
        // Chained in one reused array: a document reaches mark `base + n` only if every earlier word matched it.
        const base = this.nextMarks(tokens.length);
        let level = base;
        for (let k = 0; k < tokens.length; k++) {
          if (k === best || count(k) > MASK_LIMIT) continue;
          markAll(b.name, q.name[k]!, this.marks, level, level === base);
          markAll(b.other, q.other[k]!, this.marks, level, level === base);
          level++;
        }
        const pass = (i: number): boolean => level === base || this.marks[i] === level;
        budget = CANDIDATE_CAP;
        const cap = bestCount <= CANDIDATE_CAP ? Infinity : limit;
        const visit = (i: number): void => {
          if (budget-- > 0 && pass(i)) consider(i);
        };
        this.walkTiers(b.name, q.name[best]!, 0, 0, visit, cap, () => found.size);
        this.walkTiers(b.other, q.other[best]!, 0, 0, visit, cap, () => found.size);
      }
    }

    const hits: { key: string; score: number }[] = [];
    for (const [i, score] of found) hits.push({ key: b.sortKeys.get(i), score });
    // Changes since the last build are few: score them directly.
    for (const e of this.delta) {
      const s = scoreKeys(e.keys, tokens);
      if (s > 0) hits.push({ key: e.keys.sortKey, score: s });
    }
    hits.sort((x, y) => y.score - x.score || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    return hits.slice(0, limit).map((h) => ({ id: idOfSortKey(h.key), score: h.score }));
  }

  /** The score of built document i (as `scoreKeys` gives for its keys), by key numbers. */
  private score(i: number, q: Resolved): number {
    const b = this.built;
    let sum = 0;
    for (let k = 0; k < q.tokens.length; k++) {
      const n = q.name[k]!;
      let s = 0;
      const nm = perDoc(b.name, b.sortKeys.length);
      for (let p = nm.docAt[i]!; p < nm.docAt[i + 1]!; p++) {
        const w = nm.keys[p]!;
        if (w === n.exact) {
          s = NAME_EXACT;
          break;
        }
        if (w >= n.lo && w < n.hi) s = NAME_PREFIX;
      }
      if (s === 0) {
        const o = q.other[k]!;
        const ot = perDoc(b.other, b.sortKeys.length);
        for (let p = ot.docAt[i]!; p < ot.docAt[i + 1]!; p++) {
          const w = ot.keys[p]!;
          if (w === o.exact) {
            s = OTHER_EXACT;
            break;
          }
          if (w >= o.lo && w < o.hi) s = OTHER_PREFIX;
        }
      }
      if (s === 0) return 0;
      sum += s;
    }
    if (q.tokens.length === 1) {
      const e = q.other[0]!.exact;
      if (e >= 0 && b.token[i] === e) sum += SCORE_TOKEN;
    } else if (q.phrase) {
      let s = 0;
      const ph = perDoc(b.phrase, b.sortKeys.length);
      for (let p = ph.docAt[i]!; p < ph.docAt[i + 1]!; p++) {
        const w = ph.keys[p]!;
        if (w === q.phrase.exact) {
          s = SCORE_PHRASE_EXACT;
          break;
        }
        if (w >= q.phrase.lo && w < q.phrase.hi) s = SCORE_PHRASE_PREFIX;
      }
      sum += s;
    }
    return sum;
  }

  /**
   * Visits the documents of a word's range tier by tier (the exact key, then the keys it prefixes)
   * and stops once `enough()` reaches `limit`: for a one-word query every document of a tier scores
   * the same and a later tier scores lower, so the first `limit` found are the best (ties in a tier
   * by key, then name order).
   */
  private walkTiers(table: Table, r: Range, exactScore: number, prefixScore: number, visit: (doc: number, score: number) => void, limit: number, enough: () => number): void {
    if (r.lo >= r.hi) return;
    const { at, postings } = table;
    const tiers: [number, number, number][] = [];
    if (r.exact >= 0) tiers.push([r.exact, r.exact + 1, exactScore]);
    tiers.push([r.exact >= 0 ? r.lo + 1 : r.lo, r.hi, prefixScore]);
    for (const [from, to, score] of tiers) {
      for (let p = at[from]!; p < at[to]!; p++) {
        visit(postings[p]!, score);
        if (enough() >= limit) return;
      }
    }
  }

  private builtPos(id: string): number {
    const { byId, sortKeys } = this.built;
    let lo = 0;
    let hi = byId.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (idOfSortKey(sortKeys.get(byId[mid]!)) < id) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= byId.length) return -1;
    const pos = byId[lo]!;
    return this.alive[pos] && idOfSortKey(sortKeys.get(pos)) === id ? pos : -1;
  }

  private install(built: Built): void {
    this.built = built;
    const n = built.sortKeys.length;
    this.alive = new Uint8Array(n).fill(1);
    this.deadCount = 0;
    this.delta = [];
    this.deltaById = new Map();
    this.stamp = new Int32Array(n);
    this.epoch = 0;
    this.builds++;
  }

  /**
   * A fresh range of marks for one query of `words` words: every document starts at the returned
   * level (its mark from earlier queries is below it), so nothing needs clearing between queries.
   */
  private nextMarks(words: number): number {
    if (this.marks.length !== this.built.sortKeys.length) this.marks = new Int32Array(this.built.sortKeys.length);
    if (this.markBase + words + 2 > 2_000_000_000) {
      this.marks.fill(0);
      this.markBase = 0;
    }
    const base = this.markBase + 1;
    this.markBase = base + words + 1;
    // Every mark is below `base`: for this query, "matched no word yet".
    return base;
  }

  private nextEpoch(): number {
    this.epoch++;
    if (this.epoch > 2_000_000_000) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }
}

/**
 * Moves every built document with a key in the range from mark `level` to `level + 1` (only those at
 * `level`; for a query's first word, those below it: marks of earlier queries).
 */
function markAll(table: Table, r: Range, marks: Int32Array, level: number, first: boolean): void {
  const { at, postings } = table;
  for (let p = at[r.lo]!; p < at[r.hi]!; p++) {
    const d = postings[p]!;
    if (first ? marks[d]! < level : marks[d] === level) marks[d] = level + 1;
  }
}

// Snapshot layout: "RSIX", u32 format, u32 header length, header JSON (the byte length of each part),
// then the parts: strings joined by SEP (UTF-8), typed arrays (little-endian, 4-byte aligned).
const MAGIC = 0x58495352; // "RSIX"

type Part = string | Int32Array | Uint8Array;

/** A table's words and posting lists (each document's keys are derived from them when read). */
function tableParts(t: Table): Part[] {
  return [t.words.text, t.words.off, t.at, t.postings];
}

/** A table's keys per document, derived from its posting lists on first use (after a snapshot is read). */
function perDoc(t: Table, docs: number): { docAt: Int32Array; keys: Int32Array } {
  if (!t.docAt || !t.keys) {
    const d = docKeysOf(t.words, t.at, t.postings, docs);
    t.docAt = d.docAt;
    t.keys = d.keys;
  }
  return { docAt: t.docAt, keys: t.keys };
}

/** Per document its keys, from the posting lists (the inverse lists), in key order. */
function docKeysOf(words: PackedStrings, at: Int32Array, postings: Int32Array, docs: number): { docAt: Int32Array; keys: Int32Array } {
  const docAt = new Int32Array(docs + 1);
  for (let p = 0; p < postings.length; p++) docAt[postings[p]! + 1]!++;
  for (let d = 0; d < docs; d++) docAt[d + 1]! += docAt[d]!;
  const fill = docAt.slice(0, docs);
  const keys = new Int32Array(postings.length);
  for (let w = 0; w < words.length; w++) for (let p = at[w]!; p < at[w + 1]!; p++) keys[fill[postings[p]!]!++] = w;
  return { docAt, keys };
}

/** Text with no character above U+00FF: stored one byte per character (read back without decoding). */
const ONE_BYTE = /^[\u0000-\u00ff]*$/;

/**
 * A string part's bytes and kind: 'l' Latin-1 (one byte per character) or 'w' UTF-16LE, the way V8
 * holds strings, so reading one back is a copy rather than a UTF-8 decode ('s', UTF-8, is still read).
 */
function stringPart(text: string): [Buffer, string] {
  return ONE_BYTE.test(text) ? [Buffer.from(text, 'latin1'), 'l'] : [Buffer.from(text, 'utf16le'), 'w'];
}

function writeSnapshot(b: Built): Buffer {
  const parts: Part[] = [b.sortKeys.text, b.sortKeys.off, ...tableParts(b.name), ...tableParts(b.other), ...tableParts(b.phrase), b.token, b.isToken, b.byId];
  const encoded = parts.map((p): [Buffer, string] => (typeof p === 'string' ? stringPart(p) : [Buffer.from(p.buffer, p.byteOffset, p.byteLength), p instanceof Int32Array ? 'i' : 'u']));
  const bytes = encoded.map(([x]) => x);
  const header = Buffer.from(JSON.stringify({ docs: b.sortKeys.length, sizes: bytes.map((x) => x.length), kinds: encoded.map(([, k]) => k) }));
  const pad = (n: number) => (4 - (n % 4)) % 4;
  let total = 12 + header.length + pad(header.length);
  for (const x of bytes) total += x.length + pad(x.length);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(SNAPSHOT_FORMAT, 4);
  out.writeUInt32LE(header.length, 8);
  let at = 12;
  header.copy(out, at);
  at += header.length + pad(header.length);
  for (const x of bytes) {
    x.copy(out, at);
    at += x.length + pad(x.length);
  }
  return out;
}

/**
 * A snapshot's bytes in order: `take(n)` gives the next n (null when fewer are left). `owned`: every
 * part it gives is a buffer of its own (an array may then be a view of it instead of a copy).
 */
export interface SnapshotSource {
  take(n: number): Buffer | null;
  owned: boolean;
}

function bytesSource(data: Uint8Array): SnapshotSource {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  return {
    owned: false,
    take(n) {
      if (n < 0 || at + n > buf.length) return null;
      at += n;
      return buf.subarray(at - n, at);
    },
  };
}

function readSnapshot(src: SnapshotSource): Built | null {
  try {
    const pad = (n: number) => (4 - (n % 4)) % 4;
    const take = (n: number): Buffer => {
      const b = src.take(n);
      if (!b) throw new Error('truncated');
      if (pad(n) && !src.take(pad(n))) throw new Error('truncated');
      return b;
    };
    const head = src.take(12);
    if (!head || head.readUInt32LE(0) !== MAGIC || head.readUInt32LE(4) !== SNAPSHOT_FORMAT) return null;
    const header = JSON.parse(take(head.readUInt32LE(8)).toString('utf8')) as { docs: number; sizes: number[]; kinds: string[] };
    const parts: Part[] = header.sizes.map((size, k) => {
      const b = take(size);
      const kind = header.kinds[k];
      if (kind === 's') return b.toString('utf8');
      if (kind === 'l') return b.toString('latin1');
      if (kind === 'w') return b.toString('utf16le');
      // A part of its own is used as it is; one inside a larger buffer is copied out (4-byte aligned,
      // owning exactly its memory).
      const own = src.owned && b.byteOffset % 4 === 0 ? b : new Uint8Array(size);
      if (own !== b) own.set(b);
      return kind === 'i' ? new Int32Array(own.buffer, own.byteOffset, size / 4) : new Uint8Array(own.buffer, own.byteOffset, size);
    });
    const docs = header.docs;
    const packed = (k: number): PackedStrings | null => {
      const text = parts[k] as string;
      const off = parts[k + 1] as Int32Array;
      if (typeof text !== 'string' || !(off instanceof Int32Array) || off.length < 1 || off[0] !== 0 || off[off.length - 1] !== text.length) return null;
      return new PackedStrings(text, off);
    };
    const table = (k: number): Table | null => {
      const words = packed(k);
      const at = parts[k + 2] as Int32Array;
      const postings = parts[k + 3] as Int32Array;
      if (!words || at.length !== words.length + 1 || at[words.length] !== postings.length) return null;
      for (let p = 0; p < postings.length; p++) if (postings[p]! < 0 || postings[p]! >= docs) return null;
      return { words, at, postings, docAt: null, keys: null };
    };
    const sortKeys = packed(0);
    const name = table(2);
    const other = table(6);
    const phrase = table(10);
    if (!sortKeys || !name || !other || !phrase) return null;
    const built: Built = { sortKeys, name, other, phrase, token: parts[14] as Int32Array, isToken: parts[15] as Uint8Array, byId: parts[16] as Int32Array };
    if (sortKeys.length !== docs || built.token.length !== docs || built.byId.length !== docs || built.isToken.length !== other.words.length) return null;
    return built;
  } catch {
    return null;
  }
}
