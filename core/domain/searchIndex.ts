import { docKeys, queryTokens, type DocKeys, type SearchDoc } from './searchKeys';

export interface SearchHit {
  id: string;
  score: number;
}

interface Entry {
  id: string;
  keys: DocKeys;
  alive: boolean;
}

/** A sorted word list with two posting lists per word (name keys, other keys) in name order. */
interface WordTable {
  words: string[];
  /** Offsets into `postings`: word w's name docs are [nameAt[w], otherAt[w]), its other docs [otherAt[w], nameAt[w+1]). */
  nameAt: Int32Array;
  otherAt: Int32Array;
  postings: Int32Array;
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
/** A word matching more documents than this is checked by string matching rather than a bitmap. */
const MASK_LIMIT = 40_000;
/** Changes kept in the linear "delta" before the sorted tables are rebuilt. */
const DELTA_LIMIT = 2000;

function lowerBound(words: string[], key: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [lo, hi) of the words that start with `prefix` (words sort by UTF-16 code units). */
function prefixRange(words: string[], prefix: string): [number, number] {
  const lo = lowerBound(words, prefix);
  const hi = lowerBound(words, `${prefix}\uffff`);
  return [lo, hi];
}

function buildTable(entries: readonly Entry[], pick: (k: DocKeys) => [string[], string[]]): WordTable {
  const map = new Map<string, { n: number[]; o: number[] }>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!e.alive) continue;
    const [name, other] = pick(e.keys);
    for (const w of name) {
      let p = map.get(w);
      if (!p) map.set(w, (p = { n: [], o: [] }));
      p.n.push(i);
    }
    for (const w of other) {
      let p = map.get(w);
      if (!p) map.set(w, (p = { n: [], o: [] }));
      p.o.push(i);
    }
  }
  const words = [...map.keys()].sort();
  const nameAt = new Int32Array(words.length + 1);
  const otherAt = new Int32Array(words.length);
  let total = 0;
  for (const p of map.values()) total += p.n.length + p.o.length;
  const postings = new Int32Array(total);
  let at = 0;
  for (let w = 0; w < words.length; w++) {
    const p = map.get(words[w]!)!;
    nameAt[w] = at;
    postings.set(p.n, at);
    at += p.n.length;
    otherAt[w] = at;
    postings.set(p.o, at);
    at += p.o.length;
  }
  nameAt[words.length] = at;
  return { words, nameAt, otherAt, postings };
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

/**
 * The in-memory index behind as-you-type check-in search: sorted word tables with posting lists
 * (binary search for a prefix, then walk only the matching words), a small unsorted delta for
 * changes since the last build, and tombstones for replaced documents. Ranking: score (see the
 * SCORE_ constants), then name order. Pure: no database, no clock.
 */
export class SearchIndex {
  private entries: Entry[] = [];
  private byId = new Map<string, number>();
  private built = 0;
  private dead = 0;
  private words: WordTable = { words: [], nameAt: new Int32Array(1), otherAt: new Int32Array(0), postings: new Int32Array(0) };
  /** Words that occur only in other keys (email parts, affiliation, token), kept apart so a name prefix walks name words only. */
  private others: WordTable = this.words;
  private phrases: WordTable = this.words;
  private tokens = new Map<string, number[]>();
  private stamp = new Int32Array(0);
  private epoch = 0;

  constructor(docs: Iterable<SearchDoc> = []) {
    for (const d of docs) this.add(d);
    this.rebuild();
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds or replaces a document (the old version becomes a tombstone until the next rebuild). */
  upsert(doc: SearchDoc): void {
    this.remove(doc.id);
    this.add(doc);
    if (this.entries.length - this.built > DELTA_LIMIT || this.dead > this.built / 4 + DELTA_LIMIT) this.rebuild();
  }

  remove(id: string): void {
    const at = this.byId.get(id);
    if (at === undefined) return;
    this.entries[at]!.alive = false;
    this.byId.delete(id);
    this.dead++;
  }

  /** Sorts everything into the word tables again (done at build and when the delta grows large). */
  rebuild(): void {
    const live = this.entries.filter((e) => e.alive);
    live.sort((a, b) => (a.keys.sortKey < b.keys.sortKey ? -1 : a.keys.sortKey > b.keys.sortKey ? 1 : 0));
    this.entries = live;
    this.byId = new Map(live.map((e, i) => [e.id, i]));
    this.built = live.length;
    this.dead = 0;
    this.words = buildTable(live, (k) => [k.name, []]);
    this.others = buildTable(live, (k) => [[], k.other]);
    this.phrases = buildTable(live, (k) => [k.phrases, []]);
    this.tokens = new Map();
    live.forEach((e, i) => {
      if (!e.keys.token) return;
      const list = this.tokens.get(e.keys.token);
      if (list) list.push(i);
      else this.tokens.set(e.keys.token, [i]);
    });
    this.stamp = new Int32Array(live.length);
    this.epoch = 0;
  }

  /** The first `limit` documents in name order (what the desk lists before anything is typed). */
  browse(limit = 20): SearchHit[] {
    const out: Entry[] = [];
    for (let i = 0; i < this.built && out.length < limit; i++) if (this.entries[i]!.alive) out.push(this.entries[i]!);
    for (let i = this.built; i < this.entries.length; i++) if (this.entries[i]!.alive) out.push(this.entries[i]!);
    out.sort((a, b) => (a.keys.sortKey < b.keys.sortKey ? -1 : a.keys.sortKey > b.keys.sortKey ? 1 : 0));
    return out.slice(0, limit).map((e) => ({ id: e.id, score: 0 }));
  }

  /** The best `limit` documents for a query, best first. An empty query lists people in name order. */
  search(query: string, limit = 20): SearchHit[] {
    const tokens = queryTokens(query);
    if (limit <= 0) return [];
    if (tokens.length === 0) return this.browse(limit);
    const found = new Map<number, number>();
    const seen = this.nextEpoch();
    const consider = (i: number, score?: number): void => {
      if (this.stamp[i] === seen) return;
      this.stamp[i] = seen;
      const e = this.entries[i]!;
      if (!e.alive) return;
      const s = score ?? scoreKeys(e.keys, tokens);
      if (s > 0) found.set(i, s);
    };

    if (tokens.length === 1) {
      const t = tokens[0]!;
      for (const i of this.tokens.get(t) ?? []) consider(i);
      this.walkTiers(this.words, t, (i, s) => consider(i, s), limit, () => found.size);
      this.walkTiers(this.others, t, (i, s) => consider(i, s), limit, () => found.size);
    } else {
      const phrase = tokens.join(' ');
      let budget = CANDIDATE_CAP;
      this.walkTiers(this.phrases, phrase, (i) => (budget-- > 0 ? consider(i) : undefined), limit * 4, () => found.size);
      // A whole-name phrase match outscores any word-by-word match: with `limit` of them, nothing else can rank.
      if (found.size < limit) {
        // Drive the AND by the rarest word, in tier order, until enough are found or the budget is spent.
        const count = (table: WordTable, t: string): number => {
          const [lo, hi] = prefixRange(table.words, t);
          return table.nameAt[hi]! - table.nameAt[lo]!;
        };
        let best = tokens[0]!;
        let bestCount = Infinity;
        for (const t of tokens) {
          const c = count(this.words, t) + count(this.others, t);
          if (c < bestCount) {
            bestCount = c;
            best = t;
          }
        }
        // The other words' documents as bitmaps (cheap to fill from posting lists): a candidate is
        // scored only when every word matches it, instead of string-matching every candidate.
        const masks: Uint8Array[] = [];
        for (const t of tokens) {
          if (t === best || count(this.words, t) + count(this.others, t) > MASK_LIMIT) continue;
          const mask = new Uint8Array(this.built);
          this.markAll(this.words, t, mask);
          this.markAll(this.others, t, mask);
          masks.push(mask);
        }
        const pass = (i: number): boolean => masks.every((m) => m[i] === 1);
        budget = CANDIDATE_CAP;
        const cap = bestCount <= CANDIDATE_CAP ? Infinity : limit;
        const visit = (i: number): void => {
          if (budget-- > 0 && pass(i)) consider(i);
        };
        this.walkTiers(this.words, best, visit, cap, () => found.size);
        this.walkTiers(this.others, best, visit, cap, () => found.size);
      }
    }
    // Changes since the last build are few: score them directly.
    for (let i = this.built; i < this.entries.length; i++) consider(i);

    const hits = [...found.entries()];
    hits.sort((a, b) => b[1] - a[1] || (this.entries[a[0]]!.keys.sortKey < this.entries[b[0]]!.keys.sortKey ? -1 : 1));
    return hits.slice(0, limit).map(([i, score]) => ({ id: this.entries[i]!.id, score }));
  }

  /**
   * Visits the documents matching `t` in the table tier by tier (exact name word, name prefixes,
   * exact other word, other prefixes) and stops once `enough()` reaches `limit`: for a one-word
   * query every document of a tier scores the same and a later tier scores lower, so the first
   * `limit` found are the best (ties in a tier by word, then name order).
   */
  private walkTiers(table: WordTable, t: string, visit: (doc: number, score: number) => void, limit: number, enough: () => number): void {
    const { words, nameAt, otherAt, postings } = table;
    const [lo, hi] = prefixRange(words, t);
    if (lo >= hi) return;
    const exact = words[lo] === t;
    const tiers: [number, number, boolean, number][] = [];
    // [first word, end word, name postings?, score]
    if (table !== this.others) {
      if (exact) tiers.push([lo, lo + 1, true, NAME_EXACT]);
      tiers.push([exact ? lo + 1 : lo, hi, true, NAME_PREFIX]);
    } else {
      if (exact) tiers.push([lo, lo + 1, false, OTHER_EXACT]);
      tiers.push([exact ? lo + 1 : lo, hi, false, OTHER_PREFIX]);
    }
    for (const [from, to, name, score] of tiers) {
      for (let w = from; w < to; w++) {
        const start = name ? nameAt[w]! : otherAt[w]!;
        const end = name ? otherAt[w]! : nameAt[w + 1]!;
        for (let p = start; p < end; p++) {
          visit(postings[p]!, score);
          if (enough() >= limit) return;
        }
      }
    }
  }

  /** Marks every (built) document with a key starting with `t`. */
  private markAll(table: WordTable, t: string, mask: Uint8Array): void {
    const [lo, hi] = prefixRange(table.words, t);
    const { nameAt, postings } = table;
    for (let p = nameAt[lo]!; p < nameAt[hi]!; p++) mask[postings[p]!] = 1;
  }

  private add(doc: SearchDoc): void {
    this.byId.set(doc.id, this.entries.length);
    this.entries.push({ id: doc.id, keys: docKeys(doc), alive: true });
    if (this.stamp.length < this.entries.length) {
      const grown = new Int32Array(Math.max(16, this.entries.length * 2));
      grown.set(this.stamp);
      this.stamp = grown;
    }
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
