import { romanize } from 'es-hangul';
import { PackedStrings } from './packedStrings';

/**
 * Keys under which two spellings of one Korean name meet: "Tae Seok Kim", "Tae-seok Kim",
 * "Taesuk Kim", "Taeseok Kim", "Kim Taeseok" and 김태석 all give the key "daesuk gim".
 *
 * Korean names reach a desk romanised in several systems (Revised Romanization "Taeseok",
 * McCune–Reischauer without its breve "Taesok", passport habits "Taesuk", "Kyung", "Yoon",
 * "Park"), split or hyphenated at will, in either order. The key folds the spellings of one
 * sound together: it is a sound-alike hint for the walk-in form, not an identity (석 and 숙 share
 * "suk"); the person at the desk decides.
 */

/** Spellings of one vowel or syllable-final sound, longest first (applied after the consonants). */
const VOWELS: readonly [RegExp, string][] = [
  [/eo/g, 'u'], // 어: seok / suk / sok(MR without the breve is left alone: it is 오 too)
  [/eu/g, 'u'], // 으: eun / un
  [/oo/g, 'u'], // 우: joon / jun
  [/ou/g, 'u'], // kyoung / kyung
  [/wu/g, 'u'], // 우: woo → wu → u (hyunwoo / hyeonu)
  [/ee/g, 'i'], // 이: lee / yi / i
  [/oi/g, 'oe'], // 최: choi / choe
  [/ai/g, 'ae'], // 백: paik / baek
];

/**
 * A bounded memo of a pure function of one string: name parts repeat (family names, common given
 * names, Hangul syllables), so 100,000 people's keys cost a few thousand derivations, not 100,000.
 */
function memoised(fn: (s: string) => string, limit = 50_000): (s: string) => string {
  const memo = new Map<string, string>();
  return (s) => {
    let v = memo.get(s);
    if (v === undefined) {
      v = fn(s);
      if (memo.size >= limit) memo.clear();
      memo.set(s, v);
    }
    return v;
  };
}

/** One word (a name part) as its sound skeleton: lower-case a–z, variants folded. */
export const romanSkeleton = memoised(skeletonOf);

function skeletonOf(word: string): string {
  let s = word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
  if (!s) return '';
  s = s.replace(/^rh/, 'r');
  // Aspirated and plain consonants are spelled either way (Kim/Gim, Park/Bak, Tae/Dae, Chung/Jung, Shin/Sin).
  s = s.replace(/sh/g, 's').replace(/ch/g, 'j').replace(/k/g, 'g').replace(/t/g, 'd').replace(/p/g, 'b');
  for (const [re, to] of VOWELS) s = s.replace(re, to);
  // The initial-sound rule (두음법칙) and its spellings: 이 Lee/Rhee/Yi/I, 류 Ryu/Yu, 임 Lim/Im, 노 Roh/Noh.
  s = s.replace(/^[lr](?=[iy])/, '').replace(/^yi/, 'i').replace(/^[lr](?=[aeou])/, 'n');
  // A silent h or r that only marks a vowel (Ahn, Oh, Suh, Sohn, Park, Hur); an r before a vowel is an l.
  s = s.replace(/h(?![aeiouwy])/g, '').replace(/r(?![aeiouwy])/g, '').replace(/r/g, 'l');
  // Doubled letters (Kkot, Hanna, Jinnam) count once.
  s = s.replace(/([a-z])\1+/g, '$1');
  return s;
}

/** Two-syllable family names, taken as such only in names of four syllables (선우진 may be 선 + 우진). */
const COMPOUND_FAMILY = new Set(['남궁', '선우', '제갈', '황보', '독고', '사공', '서문']);
const HANGUL_WORD = /^[\uac00-\ud7a3]+$/;

/** Syllable by syllable, as names are romanised (복남 is "Boknam", not "Bongnam"). */
const romanizeSyllable = memoised((ch: string) => romanize(ch), 12_000);
const romanizeSyllables = (hangul: string): string => [...hangul].map(romanizeSyllable).join('');

const pairKey = (a: string, b: string): string => (a && b ? [a, b].sort().join(' ') : '');

/**
 * The key of a Latin name, order-free (family and given name may have been typed in each other's
 * field), with the parts of a split given name joined ("Tae Seok" = "Tae-seok" = "Taeseok"). '' when
 * either part is missing: a lone word is too weak to call two people alike.
 */
export function latinRomanKey(familyName: string, givenName: string): string {
  return pairKey(romanSkeleton(familyName), romanSkeleton(givenName));
}

/**
 * The keys of a name written in Hangul, through its romanisation: the family name is the first
 * syllable (or a compound one, for names of four syllables), or the part before a space.
 */
export function hangulRomanKeys(nameKo: string): string[] {
  const parts = nameKo.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 2 || !parts.every((p) => HANGUL_WORD.test(p))) return [];
  const splits: [string, string][] = [];
  if (parts.length === 2) splits.push([parts[0]!, parts[1]!]);
  else {
    const whole = parts[0]!;
    if (whole.length < 2) return [];
    splits.push([whole.slice(0, 1), whole.slice(1)]);
    if (whole.length >= 4 && COMPOUND_FAMILY.has(whole.slice(0, 2))) splits.push([whole.slice(0, 2), whole.slice(2)]);
  }
  return [...new Set(splits.map(([f, g]) => latinRomanKey(romanizeSyllables(f), romanizeSyllables(g))).filter(Boolean))];
}

/** The Hangul name itself, spaces and composition aside ("김 태석" = "김태석"). */
export function hangulCompactKey(nameKo: string): string {
  const k = nameKo.normalize('NFC').replace(/\s+/g, '');
  return HANGUL_WORD.test(k) && k.length >= 2 ? `ko:${k}` : '';
}

/** Every key of one person's name: the Latin name's, the Hangul name's romanisation and the Hangul name itself. */
export function personNameKeys(p: { familyName: string; givenName: string; nameKo: string }): string[] {
  const keys = new Set<string>();
  const latin = latinRomanKey(p.familyName, p.givenName);
  if (latin) keys.add(latin);
  for (const k of hangulRomanKeys(p.nameKo)) keys.add(k);
  const ko = hangulCompactKey(p.nameKo);
  if (ko) keys.add(ko);
  return [...keys];
}

/**
 * The people and keys a snapshot held, in flat arrays (read without building a map per key): keys
 * sorted, each with its people as positions in `ids` (sorted too).
 */
interface NameBase {
  keys: PackedStrings;
  /** Key k's people are ids[postings[at[k] .. at[k+1])]. */
  at: Int32Array;
  postings: Int32Array;
  ids: PackedStrings;
}

/**
 * People by name key, patched in place as people change (the ALL_ATTENDEES scope of the search cache
 * keeps one). Most keys name one person: such a key holds the id itself, an array only when shared
 * (100,000 people: no Set per key). Read from a snapshot, the people it held stay in flat arrays
 * (`base`); a person changed since is "shadowed" there and kept in the maps like any other.
 */
export class NameKeyIndex {
  private readonly byKey = new Map<string, string | string[]>();
  private readonly keysOf = new Map<string, string[]>();
  private base: NameBase | null = null;
  /** People of `base` changed or removed since it was read: their keys there no longer count. */
  private readonly shadowed = new Set<string>();

  upsert(id: string, name: { familyName: string; givenName: string; nameKo: string }): void {
    this.remove(id);
    const keys = personNameKeys(name);
    if (keys.length === 0) return;
    this.add(id, keys);
  }

  private add(id: string, keys: string[]): void {
    this.keysOf.set(id, keys);
    for (const k of keys) {
      const held = this.byKey.get(k);
      if (held === undefined) this.byKey.set(k, id);
      // `remove` took the id out of every key, and a person's keys are distinct: no duplicate check.
      else if (typeof held === 'string') this.byKey.set(k, [held, id]);
      else held.push(id);
    }
  }

  remove(id: string): void {
    if (this.base && !this.shadowed.has(id) && this.base.ids.find(id) >= 0) this.shadowed.add(id);
    for (const k of this.keysOf.get(id) ?? []) {
      const held = this.byKey.get(k);
      if (held === id) this.byKey.delete(k);
      else if (Array.isArray(held)) {
        const at = held.indexOf(id);
        if (at >= 0) held.splice(at, 1);
        if (held.length === 1) this.byKey.set(k, held[0]!);
      }
    }
    this.keysOf.delete(id);
  }

  /** The people whose name shares a key with this one, in id order (deterministic). */
  alike(name: { familyName: string; givenName: string; nameKo: string }): string[] {
    const out = new Set<string>();
    const base = this.base;
    for (const k of personNameKeys(name)) {
      const held = this.byKey.get(k);
      if (typeof held === 'string') out.add(held);
      else if (held) for (const id of held) out.add(id);
      const w = base ? base.keys.find(k) : -1;
      if (w < 0) continue;
      for (let p = base!.at[w]!; p < base!.at[w + 1]!; p++) {
        const id = base!.ids.get(base!.postings[p]!);
        if (!this.shadowed.has(id)) out.add(id);
      }
    }
    return [...out].sort();
  }

  get size(): number {
    return (this.base ? this.base.ids.length - this.shadowed.size : 0) + this.keysOf.size;
  }

  /**
   * Every person's keys as bytes, for a cache to save beside the search index of every attendee: a
   * new process then reads them (flat arrays, no map per person) instead of deriving 100,000 people's
   * keys from the table again. Read back with `NameKeyIndex.fromSnapshot`.
   */
  snapshot(): Buffer {
    const people = new Map<string, string[]>();
    const base = this.base;
    if (base) {
      for (let w = 0; w < base.keys.length; w++) {
        const k = base.keys.get(w);
        for (let p = base.at[w]!; p < base.at[w + 1]!; p++) {
          const id = base.ids.get(base.postings[p]!);
          if (this.shadowed.has(id)) continue;
          const keys = people.get(id);
          if (keys) keys.push(k);
          else people.set(id, [k]);
        }
      }
    }
    for (const [id, keys] of this.keysOf) people.set(id, keys);
    const ids = [...people.keys()].sort();
    const posOf = new Map<string, number>();
    ids.forEach((id, i) => posOf.set(id, i));
    const byKey = new Map<string, number[]>();
    for (const id of ids) {
      for (const k of people.get(id)!) {
        const list = byKey.get(k);
        if (list) list.push(posOf.get(id)!);
        else byKey.set(k, [posOf.get(id)!]);
      }
    }
    const keys = [...byKey.keys()].sort();
    const at = new Int32Array(keys.length + 1);
    const postings = new Int32Array(keys.reduce((n, k) => n + byKey.get(k)!.length, 0));
    keys.forEach((k, w) => {
      const list = byKey.get(k)!;
      postings.set(list, at[w]!);
      at[w + 1] = at[w]! + list.length;
    });
    const k = PackedStrings.of(keys);
    const i = PackedStrings.of(ids);
    // Int32 parts first (aligned), then the two texts as UTF-16 (keys hold Hangul; read back without decoding).
    const ints = [k.off, at, postings, i.off];
    const texts = [Buffer.from(k.text, 'utf16le'), Buffer.from(i.text, 'utf16le')];
    const head = new Int32Array([NAMES_MAGIC, ...ints.map((a) => a.length), ...texts.map((t) => t.length)]);
    return Buffer.concat([head, ...ints].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)).concat(texts));
  }

  /** Reads `snapshot()`'s bytes; null when they are not such bytes. */
  static fromSnapshot(data: Uint8Array): NameKeyIndex | null {
    try {
      const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const HEAD = 7;
      if (buf.length < HEAD * 4 || buf.readInt32LE(0) !== NAMES_MAGIC) return null;
      const len = (i: number) => buf.readInt32LE(4 * i);
      let at = HEAD * 4;
      const ints: Int32Array[] = [];
      for (let i = 1; i <= 4; i++) {
        const n = len(i);
        if (n < 0 || at + 4 * n > buf.length) return null;
        // Copied out, 4-byte aligned: the arrays own exactly their memory.
        const copy = new Uint8Array(4 * n);
        copy.set(buf.subarray(at, at + 4 * n));
        ints.push(new Int32Array(copy.buffer));
        at += 4 * n;
      }
      const texts: string[] = [];
      for (let i = 5; i <= 6; i++) {
        const n = len(i);
        if (n < 0 || n % 2 !== 0 || at + n > buf.length) return null;
        texts.push(buf.toString('utf16le', at, at + n));
        at += n;
      }
      const [keysOff, keyAt, postings, idsOff] = ints as [Int32Array, Int32Array, Int32Array, Int32Array];
      const keys = new PackedStrings(texts[0]!, keysOff);
      const ids = new PackedStrings(texts[1]!, idsOff);
      const flat = (f: PackedStrings) => f.off.length >= 1 && f.off[0] === 0 && f.off[f.off.length - 1] === f.text.length;
      if (at !== buf.length || !flat(keys) || !flat(ids) || keyAt.length !== keys.length + 1 || keyAt[0] !== 0 || keyAt[keys.length] !== postings.length) return null;
      for (let p = 0; p < postings.length; p++) if (postings[p]! < 0 || postings[p]! >= ids.length) return null;
      const index = new NameKeyIndex();
      index.base = { keys, at: keyAt, postings, ids };
      return index;
    } catch {
      return null;
    }
  }
}

/** "RSNK": the first word of `NameKeyIndex.snapshot()`. */
const NAMES_MAGIC = 0x4b4e5352;
