import { romanize } from 'es-hangul';

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
 * People by name key, patched in place as people change (the ALL_ATTENDEES scope of the search cache
 * keeps one). Most keys name one person: such a key holds the id itself, an array only when shared
 * (100,000 people: no Set per key).
 */
export class NameKeyIndex {
  private readonly byKey = new Map<string, string | string[]>();
  private readonly keysOf = new Map<string, string[]>();

  upsert(id: string, name: { familyName: string; givenName: string; nameKo: string }): void {
    this.remove(id);
    const keys = personNameKeys(name);
    if (keys.length === 0) return;
    this.keysOf.set(id, keys);
    for (const k of keys) {
      const held = this.byKey.get(k);
      if (held === undefined) this.byKey.set(k, id);
      // `remove` above took the id out of every key, and a person's keys are distinct: no duplicate check.
      else if (typeof held === 'string') this.byKey.set(k, [held, id]);
      else held.push(id);
    }
  }

  remove(id: string): void {
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
    for (const k of personNameKeys(name)) {
      const held = this.byKey.get(k);
      if (typeof held === 'string') out.add(held);
      else if (held) for (const id of held) out.add(id);
    }
    return [...out].sort();
  }

  get size(): number {
    return this.keysOf.size;
  }

  /**
   * Every person's keys as bytes (UTF-16: keys hold Hangul), for a cache to save beside the search
   * index of every attendee: a new process then reads them instead of deriving 100,000 people's
   * keys from the table again. Read back with `NameKeyIndex.fromSnapshot`.
   */
  snapshot(): Buffer {
    const parts: string[] = [];
    for (const [id, keys] of this.keysOf) parts.push(id + FIELD + keys.join(FIELD));
    return Buffer.from(parts.join(RECORD), 'utf16le');
  }

  /** Reads `snapshot()`'s bytes; null when they are not such bytes. */
  static fromSnapshot(data: Uint8Array): NameKeyIndex | null {
    if (data.byteLength % 2 !== 0) return null;
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf16le');
    const index = new NameKeyIndex();
    if (!text) return index;
    for (const record of text.split(RECORD)) {
      const fields = record.split(FIELD);
      const id = fields[0]!;
      if (!id || fields.length < 2 || index.keysOf.has(id)) return null;
      const keys = fields.slice(1);
      index.keysOf.set(id, keys);
      for (const k of keys) {
        const held = index.byKey.get(k);
        if (held === undefined) index.byKey.set(k, id);
        else if (typeof held === 'string') index.byKey.set(k, [held, id]);
        else held.push(id);
      }
    }
    return index;
  }
}

/** Separators of `NameKeyIndex.snapshot()`: control characters no id or key holds (keys are letters, digits, spaces and "ko:"). */
const FIELD = '\u0001';
const RECORD = '\u0000';
