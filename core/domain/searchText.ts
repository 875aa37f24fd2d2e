/**
 * Normalisation for as-you-type search: case- and accent-insensitive Latin, Hangul as typed plus
 * its initial consonants (초성), so "ㄱㅁㅅ" finds 김민수.
 */
const HANGUL_BASE = 0xac00;
const HANGUL_LAST = 0xd7a3;
const INITIALS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';

export function normalizeLatin(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@._+-]+/gu, ' ')
    .trim();
}

export function hangulInitials(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= HANGUL_BASE && code <= HANGUL_LAST) out += INITIALS[Math.floor((code - HANGUL_BASE) / 588)];
    else if (INITIALS.includes(ch)) out += ch;
  }
  return out;
}

/** Normalises a query the same way the indexed text was, keeping Hangul syllables composed. */
export function normalizeQuery(query: string): string {
  return normalizeLatin(query.normalize('NFC')).normalize('NFC');
}

export function buildSearchText(a: {
  familyName: string;
  givenName: string;
  nameKo: string;
  email: string;
  affiliation: string;
}): string {
  const parts = [
    `${a.familyName} ${a.givenName}`,
    `${a.givenName} ${a.familyName}`,
    a.nameKo.replace(/\s+/g, ''),
    hangulInitials(a.nameKo),
    a.email,
    a.affiliation,
  ];
  let out = '';
  for (const p of parts) {
    const n = normalizePart(p);
    if (n) out = out ? `${out} | ${n}` : n;
  }
  return out;
}

/**
 * Printable ASCII and precomposed Hangul syllables: NFKD leaves ASCII alone and splits a syllable
 * into conjoining jamo (letters, not marks) that NFC composes back, so only case and separators change.
 */
const PLAIN = /^[\x20-\x7e\uac00-\ud7a3]*$/;
const PLAIN_SEPARATORS = /[^a-z0-9@._+\-\uac00-\ud7a3]+/g;
/** Names and affiliations repeat a lot (imports of 100,000 people): remember non-ASCII normal forms. */
const partMemo = new Map<string, string>();

/**
 * `normalizeLatin(text).normalize('NFC')`, faster: plain text (above) needs no Unicode
 * normalisation, so lower-casing and the separator rule give the same text.
 */
function normalizePart(text: string): string {
  if (PLAIN.test(text)) return text.toLowerCase().replace(PLAIN_SEPARATORS, ' ').trim();
  let out = partMemo.get(text);
  if (out === undefined) {
    out = normalizeLatin(text).normalize('NFC');
    if (partMemo.size >= 50_000) partMemo.clear();
    partMemo.set(text, out);
  }
  return out;
}
