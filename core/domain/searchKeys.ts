import { hangulInitials, normalizeLatin } from './searchText';

/** What the check-in search knows about one person (or one registration). */
export interface SearchDoc {
  id: string;
  familyName: string;
  givenName: string;
  nameKo: string;
  email: string;
  affiliation: string;
  scanToken: string;
}

/** Keys of one document: name keys rank above the others; phrases are whole names in both orders. */
export interface DocKeys {
  name: string[];
  other: string[];
  phrases: string[];
  token: string;
  sortKey: string;
}

/** One normalised search word: case- and accent-free Latin, composed Hangul (NFC), initials as typed. */
export function normToken(text: string): string {
  // Fast path for plain text (printable ASCII and precomposed Hangul syllables: most names, emails,
  // tokens): NFKD leaves ASCII alone and splits a syllable into conjoining jamo (letters, not marks)
  // that NFC composes back, so only case and separators change. test/core/domain/normToken.test.ts
  // checks it against the full normalisation.
  if (PLAIN.test(text)) return text.toLowerCase().replace(PLAIN_SEPARATORS, ' ').trim();
  let out = memo.get(text);
  if (out === undefined) {
    out = normalizeLatin(text.normalize('NFC')).normalize('NFC');
    if (memo.size > 50_000) memo.clear();
    memo.set(text, out);
  }
  return out;
}
const PLAIN = /^[\x20-\x7e\uac00-\ud7a3]*$/;
const PLAIN_SEPARATORS = /[^a-z0-9@._+\-\uac00-\ud7a3]+/g;
/** Names and affiliations repeat a lot: remember the normal form of other non-ASCII text. */
const memo = new Map<string, string>();

/** Splits a query the way documents are keyed. At most 6 words are used. */
export function queryTokens(query: string): string[] {
  return normToken(query).split(/\s+/).filter(Boolean).slice(0, 6);
}

const HANGUL_RE = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;

function words(text: string): string[] {
  const n = normToken(text);
  if (!n) return [];
  const out = new Set<string>();
  for (const w of n.split(/\s+/)) {
    if (!w) continue;
    out.add(w);
    // "jean-luc", "min-jun": each part, and the compact form ("minjun").
    if (/[-.]/.test(w)) {
      for (const part of w.split(/[-.]+/)) if (part) out.add(part);
      out.add(w.replace(/[-.]+/g, ''));
    }
  }
  return [...out];
}

/** Every suffix of a short Hangul name, so "민수" and "수" find 김민수 (family names come first). */
function suffixes(compact: string): string[] {
  const chars = [...compact];
  if (chars.length > 8) return [compact];
  return chars.map((_, i) => chars.slice(i).join(''));
}

/** Memo of the parts of documents that repeat across people (family and given names, Hangul names, affiliations). */
class Memo<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly make: (text: string) => T) {}
  get(text: string): T {
    let v = this.map.get(text);
    if (v === undefined) {
      v = this.make(text);
      if (this.map.size >= 20_000) this.map.clear();
      this.map.set(text, v);
    }
    return v;
  }
}

const familyMemo = new Memo((text) => {
  const w = words(text);
  return { words: w, joined: w.join(' '), norm: normToken(text) };
});
const givenMemo = new Memo((text) => {
  const norm = normToken(text);
  return { words: words(text), norm, compact: norm.replace(/[\s.-]+/g, '') };
});
const koMemo = new Memo((text) => {
  const ko = normToken(text).replace(/\s+/g, '');
  const keys: string[] = [];
  if (ko) {
    keys.push(...suffixes(ko), ...words(text));
    const initials = normToken(hangulInitials(text.normalize('NFC')));
    if (initials && HANGUL_RE.test(initials)) keys.push(...suffixes(initials));
  }
  return { ko, keys };
});
const affiliationMemo = new Memo(words);

export function docKeys(d: SearchDoc): DocKeys {
  const name = new Set<string>();
  const family = familyMemo.get(d.familyName);
  const given = givenMemo.get(d.givenName);
  for (const w of family.words) name.add(w);
  for (const w of given.words) name.add(w);
  const givenCompact = given.compact;
  if (givenCompact) name.add(givenCompact);
  const { ko, keys: koKeys } = koMemo.get(d.nameKo);
  for (const k of koKeys) name.add(k);
  const phrases: string[] = [];
  const f = family.joined;
  const g = given.norm;
  if (f && g) {
    phrases.push(`${f} ${g}`, `${g} ${f}`);
    if (givenCompact !== g) phrases.push(`${f} ${givenCompact}`, `${givenCompact} ${f}`);
  }
  const other = new Set<string>();
  const email = normToken(d.email);
  if (email) {
    other.add(email);
    const at = email.indexOf('@');
    if (at > 0) {
      const local = email.slice(0, at);
      other.add(local);
      for (const part of local.split(/[._+-]+/)) if (part) other.add(part);
      other.add(email.slice(at + 1));
    }
  }
  for (const w of affiliationMemo.get(d.affiliation)) other.add(w);
  const token = normToken(d.scanToken);
  if (token) other.add(token);
  for (const n of name) other.delete(n);
  const latin = family.norm && given.norm ? `${family.norm} ${given.norm}` : family.norm || given.norm;
  return { name: [...name], other: [...other], phrases: [...new Set(phrases)], token, sortKey: `${latin || ko}\u0000${ko}\u0000${d.id}` };
}
