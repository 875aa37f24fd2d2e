import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSearchText, hangulInitials, normalizeLatin } from '../../../core/domain/searchText';

/** The definition buildSearchText had before its ASCII shortcut and memo: the reference it must equal. */
function reference(a: { familyName: string; givenName: string; nameKo: string; email: string; affiliation: string }): string {
  const parts = [`${a.familyName} ${a.givenName}`, `${a.givenName} ${a.familyName}`, a.nameKo.replace(/\s+/g, ''), hangulInitials(a.nameKo), a.email, a.affiliation];
  return parts.map((p) => normalizeLatin(p).normalize('NFC')).filter(Boolean).join(' | ');
}

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...'aZ09 -._@+,;:!?\t()ÉéüßñçØ김민준ㄱㅎ ̈ﬁ①'.split('')), maxLength: 30 }),
  fc.string({ unit: fc.oneof(fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCharCode(c)), fc.constantFrom(' ', 'A', '-', '.', 'ㄱ', '\u1100')), maxLength: 12 }),
  fc.constantFrom('', ' ', 'Müller', 'José', 'O\'Brien', '김 민준', 'KAIST, Daejeon', 'Université de Montréal', 'a.b+c@x.edu', 'ＡＢＣ', 'e\u0301'),
);

describe('search text (fast path)', () => {
  it('equals the reference normalisation for any text (ASCII, accents, Hangul, full-width, tabs)', () => {
    fc.assert(
      fc.property(fc.record({ familyName: text, givenName: text, nameKo: text, email: text, affiliation: text }), (a) => {
        expect(buildSearchText(a)).toBe(reference(a));
        // Second time through the memo: the same.
        expect(buildSearchText(a)).toBe(reference(a));
      }),
      { numRuns: 3000 },
    );
  });
});
