import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normToken } from '../../../core/domain/searchKeys';
import { normalizeLatin } from '../../../core/domain/searchText';

/** The definition without the fast path: what normToken must always equal. */
const reference = (text: string) => normalizeLatin(text.normalize('NFC')).normalize('NFC');

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...'aZ09 -._@+,;:!?\t()ÉéüßñçØ김민준ㄱㅎ ̈ﬁ①'.split('')), maxLength: 30 }),
  fc.string({ unit: fc.oneof(fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCharCode(c)), fc.constantFrom(' ', 'A', '-', '.', 'ㄱ', '\u1100', '~', '|')), maxLength: 12 }),
  fc.constantFrom('', ' ', 'Müller', 'José', "O'Brien", '김 민준', 'KAIST, Daejeon', 'Université de Montréal', 'a.b+c@x.edu', 'ＡＢＣ', 'e\u0301', '서울대학교 (SNU)', 'RS-7K2M9Q'),
);

describe('normToken (search and import keys)', () => {
  it('equals the full Unicode normalisation for any text (ASCII, Hangul, accents, full-width, jamo, tabs)', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(normToken(t)).toBe(reference(t));
        // Second time (through the memo for text off the fast path): the same.
        expect(normToken(t)).toBe(reference(t));
      }),
      { numRuns: 5000 },
    );
  });
});
