import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IncrementalCsvReader, parseCsvText, UnreadableFileError } from '../../../core/domain/importParse';

const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom(...[...'aZ09 -._@김민준ÉüØ']), maxLength: 12 }),
  // Quoted: delimiters, quotes and line breaks inside.
  fc.string({ unit: fc.constantFrom(...[...'ab ,;\t"\r\n김']), maxLength: 12 }).map((s) => `"${s.replace(/"/g, '""')}"`),
);
const csv = fc.record({
  sep: fc.constantFrom(',', ';', '\t'),
  eol: fc.constantFrom('\r\n', '\n', '\r'),
  rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 40 }),
  blank: fc.nat({ max: 5 }),
  trailing: fc.boolean(),
  // Repeated past papaparse's first megabyte, which the reader must parse in one piece as the whole text is.
  times: fc.integer({ min: 1, max: 40_000 }),
});

function render(c: { sep: string; eol: string; rows: string[][]; blank: number; trailing: boolean; times: number }): string {
  const block = c.rows.map((r) => r.join(c.sep)).join(c.eol) + c.eol + c.eol.repeat(c.blank);
  const reps = Math.max(1, Math.min(c.times, Math.ceil(1_400_000 / Math.max(1, block.length)) * (c.times % 3)));
  return `family_name${c.sep}email${c.eol}${block.repeat(reps)}`.slice(0, c.trailing ? undefined : -c.eol.length || undefined);
}

function readInPieces(text: string, cuts: number[]) {
  const r = new IncrementalCsvReader();
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let at = 0;
  for (const p of points) {
    r.push(text.slice(at, p));
    at = Math.max(at, p);
  }
  r.push(text.slice(at));
  return r.finish('utf-8');
}

describe('incremental CSV reading of an upload', () => {
  it('gives the same table as parsing the whole text, wherever the pieces are cut (inside quotes, between \\r and \\n)', () => {
    fc.assert(
      fc.property(csv, fc.array(fc.nat(), { maxLength: 8 }), (c, cuts) => {
        const text = render(c);
        const whole = parseCsvText(text);
        const pieces = readInPieces(text, cuts);
        expect(pieces.delimiter).toBe(whole.delimiter);
        expect(pieces.rowNumbers).toEqual(whole.rowNumbers);
        expect(pieces.rows).toEqual(whole.rows);
      }),
      { numRuns: 40 },
    );
  });

  it('says a text with no rows is unreadable, as the whole-file path does', () => {
    const r = new IncrementalCsvReader();
    r.push('\r\n\r\n');
    expect(() => r.finish('utf-8')).toThrow(UnreadableFileError);
  });
});
