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
