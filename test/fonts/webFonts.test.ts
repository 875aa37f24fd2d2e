import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/testStore';

/** fontkit, as pdfkit (a dependency: the PDFs embed the same fonts) loads it. */
interface FontkitFont {
  familyName: string;
  postscriptName: string;
  characterSet: number[];
  layout(text: string): { glyphs: { id: number }[] };
}
const fontkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))('fontkit') as { openSync(file: string): FontkitFont };

const FONTS = path.join(REPO_ROOT, 'resources/fonts');
const css = readFileSync(path.join(REPO_ROOT, 'renderer/fonts.css'), 'utf8');

/** Each @font-face of renderer/fonts.css: its file, weight and the code points of its unicode-range. */
const rules = [...css.matchAll(/@font-face \{([^}]*)\}/g)].map((m) => {
  const body = m[1]!;
  const file = /src: url\('\.\.\/resources\/fonts\/web\/([^']+)'\) format\('woff2'\)/.exec(body)?.[1];
  const weight = /font-weight: ([^;]+);/.exec(body)?.[1];
  const range = /unicode-range: ([^;]+);/.exec(body)?.[1];
  if (!file || !weight || !range) throw new Error(`a rule without file, weight or range: ${body}`);
  const spans = range.split(', ').map((r) => r.replace('U+', '').split('-').map((h) => parseInt(h, 16)) as [number, number?]);
  return { file, weight, inRange: (cp: number) => spans.some(([a, b]) => cp >= a && cp <= (b ?? a)) };
});

/** The code points a font maps (fontkit lists the cmap's 0xFFFF end marker too). */
const codePoints = (font: FontkitFont) => font.characterSet.filter((cp) => cp !== 0xffff);

describe('the UI font as WOFF2 slices (scripts/webFonts.py → resources/fonts/web, renderer/fonts.css)', () => {
  it.each([
    ['Pretendard-Regular.otf', '100 500'],
    ['Pretendard-Bold.otf', '600 900'],
  ])('%s: every character it has is in exactly one slice, the one whose unicode-range names it', (otf, weight) => {
    const full = codePoints(fontkit.openSync(path.join(FONTS, otf)));
    const mine = rules.filter((r) => r.weight === weight);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    const seen = new Map<number, string>();
    for (const r of mine) {
      const font = fontkit.openSync(path.join(FONTS, 'web', r.file));
      for (const cp of codePoints(font)) {
        expect(seen.get(cp), `U+${cp.toString(16)} in two slices`).toBeUndefined();
        seen.set(cp, r.file);
        // The browser picks the slice by its unicode-range: a character outside it would never be drawn from it.
        if (!r.inRange(cp)) throw new Error(`U+${cp.toString(16)} is in ${r.file} but not in its unicode-range`);
      }
    }
    expect(seen.size).toBe(full.length);
    expect(full.every((cp) => seen.has(cp))).toBe(true);
    // No rule of this weight claims a character another slice of it holds.
    for (const [cp, file] of seen) expect(mine.filter((r) => r.inRange(cp)).map((r) => r.file)).toEqual([file]);
  });

  it('draws Korean and English text with the OTF’s own glyph shapes, under a name without the Reserved Font Name', () => {
    const slices = readdirSync(path.join(FONTS, 'web')).filter((f) => f.endsWith('.woff2'));
    expect(slices.sort()).toEqual(rules.map((r) => r.file).sort());
    for (const f of slices) {
      const font = fontkit.openSync(path.join(FONTS, 'web', f));
      expect(font.familyName).toBe('Roadshow Sans');
      expect(font.postscriptName).not.toMatch(/pretendard/i);
    }
    const hangul = fontkit.openSync(path.join(FONTS, 'web', 'RoadshowSans-Regular-hangul.woff2'));
    const latin = fontkit.openSync(path.join(FONTS, 'web', 'RoadshowSans-Bold-latin.woff2'));
    // No .notdef (glyph 0) for the words a desk shows first (spaces and punctuation are in the Latin slice).
    expect(hangul.layout('체크인참가자검색등록').glyphs.every((g) => g.id !== 0)).toBe(true);
    expect(latin.layout('Check-in: Search attendees').glyphs.every((g) => g.id !== 0)).toBe(true);
    // Rare syllables (outside KS X 1001) are in the second Hangul slice.
    const rare = fontkit.openSync(path.join(FONTS, 'web', 'RoadshowSans-Regular-hangul2.woff2'));
    expect(rare.layout('똠햏').glyphs.every((g) => g.id !== 0)).toBe(true);
  });
});
