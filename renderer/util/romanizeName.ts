import { romanize } from 'es-hangul';

/**
 * The customary passport spellings of the most common family names, where they differ from the
 * Revised Romanization (김 is "Gim" by the rules, "Kim" on nearly every passport). Kept tiny on
 * purpose: the rules themselves come from es-hangul; this only says how people actually spell the
 * names that cover most Koreans, so the suggestion matches their passport and their email.
 */
const CUSTOMARY_FAMILY: Readonly<Record<string, string>> = {
  김: 'Kim',
  이: 'Lee',
  박: 'Park',
  최: 'Choi',
  정: 'Jung',
  조: 'Cho',
  강: 'Kang',
  윤: 'Yoon',
  임: 'Lim',
  신: 'Shin',
  유: 'Yoo',
  오: 'Oh',
  권: 'Kwon',
  안: 'Ahn',
  노: 'Noh',
  우: 'Woo',
};

/** Two-syllable family names, taken as such only in names of four syllables (선우진 may be 선 + 우진). */
const COMPOUND_FAMILY = new Set(['남궁', '선우', '제갈', '황보', '독고', '사공', '서문']);

const HANGUL_SYLLABLES = /^[\uAC00-\uD7A3]+$/;

const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/**
 * Syllable by syllable: the Revised Romanization writes personal names without the sound changes
 * between syllables (복남 is "Boknam", not "Bongnam"), which romanizing the whole word would apply.
 */
const romanizeSyllables = (hangul: string): string => [...hangul].map((s) => romanize(s)).join('');

export interface RomanizedName {
  familyName: string;
  givenName: string;
  /** The Revised Romanization of the family name, when the customary spelling above differs from it. */
  familyNameRr: string | null;
}

/**
 * A Latin family and given name suggested for a Korean name written only in Hangul ("김민지" →
 * Kim / Minji), or null when the text is not a Korean name in Hangul (Latin, mixed, a single syllable).
 * A space, when typed, separates the family name from the given name.
 */
export function suggestRomanization(nameKo: string): RomanizedName | null {
  const parts = nameKo.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 2 || !parts.every((p) => HANGUL_SYLLABLES.test(p))) return null;
  let family: string;
  let given: string;
  if (parts.length === 2) [family, given] = parts as [string, string];
  else {
    const whole = parts[0]!;
    if (whole.length < 2) return null;
    const compound = whole.length >= 4 && COMPOUND_FAMILY.has(whole.slice(0, 2));
    family = compound ? whole.slice(0, 2) : whole.slice(0, 1);
    given = whole.slice(family.length);
  }
  const rr = capitalize(romanizeSyllables(family));
  const customary = CUSTOMARY_FAMILY[family];
  return {
    familyName: customary ?? rr,
    givenName: capitalize(romanizeSyllables(given)),
    familyNameRr: customary && customary !== rr ? rr : null,
  };
}
