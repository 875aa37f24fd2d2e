#!/usr/bin/python3
"""The UI font for the page: Pretendard's OTF files (resources/fonts, also embedded in PDFs) cut into WOFF2
slices by Unicode range, so a start downloads and decodes only the slices its text uses (a few hundred kB)
rather than two 1.5 MB OTF files. Writes resources/fonts/web/*.woff2 and renderer/fonts.css (their
@font-face rules with each slice's exact unicode-range). The output is committed: run this again only when
the OTF files change.

    apt-get install python3-fonttools python3-brotli   # Debian's fontTools, with WOFF2 (Brotli)
    /usr/bin/python3 scripts/webFonts.py

Slices (every code point the OTF maps is in exactly one; test/renderer/webFonts.test.ts checks it):
  latin     Basic Latin, Latin-1 and the common punctuation (what an English screen needs)
  hangul    the 2,350 Hangul syllables of KS X 1001 (nearly every Korean name and word), compatibility
            jamo, CJK symbols and punctuation, full-width forms
  hangul2   the other 8,822 Hangul syllables and the conjoining jamo (rare names)
  other     everything else the font has (Latin Extended, Greek, Cyrillic, symbols, arrows, ...)

Licence: Pretendard is under the SIL Open Font License 1.1 with the Reserved Font Name "Pretendard". A
subset is a Modified Version, so these files carry another family name in their name tables ("Roadshow
Sans"), keep the copyright and licence entries, and are under the same licence
(resources/fonts/Pretendard-LICENSE.txt, which scripts/build.mjs ships beside them in dist/renderer/assets).
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONTS = os.path.join(ROOT, 'resources', 'fonts')
OUT = os.path.join(FONTS, 'web')
CSS = os.path.join(ROOT, 'renderer', 'fonts.css')
FAMILY = 'Roadshow Sans'
# (file, CSS weight range): 500/600 use the nearest face the browser picks, as before.
FACES = [('Pretendard-Regular', 'Regular', '100 500'), ('Pretendard-Bold', 'Bold', '600 900')]

LATIN = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | {0x131, 0x152, 0x153, 0x2BB, 0x2BC, 0x2C6, 0x2DA, 0x2DC, 0x2074, 0x20AC, 0x2122, 0x2191, 0x2193, 0x2212, 0x2215, 0xFEFF, 0xFFFD} | set(range(0x2000, 0x2070))


def ks_x_1001_syllables():
    """The Hangul syllables KS X 1001 (EUC-KR) encodes: 2,350 of the 11,172."""
    out = set()
    for cp in range(0xAC00, 0xD7A4):
        # Python's EUC-KR writes the others as 8-byte jamo sequences (the standard's annex): two bytes are KS X 1001's own.
        if len(chr(cp).encode('euc_kr')) == 2:
            out.add(cp)
    assert len(out) == 2350, len(out)
    return out


HANGUL = ks_x_1001_syllables() | set(range(0x3131, 0x318F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
HANGUL2 = (set(range(0xAC00, 0xD7A4)) - HANGUL) | set(range(0x1100, 0x1200)) | set(range(0xA960, 0xA980)) | set(range(0xD7B0, 0xD800))
SLICES = [('latin', LATIN), ('hangul', HANGUL), ('hangul2', HANGUL2)]


def slices_of(cmap):
    """Each slice's code points among those the font maps; 'other' takes the rest."""
    left = set(cmap)
    out = []
    for name, cps in SLICES:
        mine = left & cps
        left -= mine
        out.append((name, mine))
    out.append(('other', left))
    return [(n, cps) for n, cps in out if cps]


def unicode_range(cps, others):
    """CSS unicode-range for a slice: its runs of consecutive code points, two runs joined when no other
    slice has a code point between them (the font has none there: a shorter rule, the same choice)."""
    cps = sorted(cps)
    taken = sorted(others)
    import bisect

    def free(a, b):
        """No other slice's code point in [a, b]."""
        i = bisect.bisect_left(taken, a)
        return i == len(taken) or taken[i] > b

    runs = []
    for cp in cps:
        if runs and (cp == runs[-1][1] + 1 or free(runs[-1][1] + 1, cp - 1)):
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return ', '.join(f'U+{a:X}' if a == b else f'U+{a:X}-{b:X}' for a, b in runs)


def rename(font, style):
    """The family's names without the Reserved Font Name; copyright, licence and vendor entries kept."""
    names = {1: FAMILY, 2: style, 3: f'{FAMILY} {style} (web subset of Pretendard)', 4: f'{FAMILY} {style}', 6: f'{FAMILY.replace(" ", "")}-{style}', 16: FAMILY, 17: style}
    table = font['name']
    for rec in list(table.names):
        if rec.nameID in names or rec.nameID in (18, 21, 22):
            table.removeNames(nameID=rec.nameID)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)
    table.setName('A subset of Pretendard by Kil Hyung-jin (SIL Open Font License 1.1), renamed as its Reserved Font Name requires, for the Roadshow Desk UI.', 10, 3, 1, 0x409)
    if 'CFF ' in font:
        cff = font['CFF '].cff
        cff.fontNames = [f'{FAMILY.replace(" ", "")}-{style}']
        top = cff.topDictIndex[0]
        for key, value in (('FamilyName', FAMILY), ('FullName', f'{FAMILY} {style}')):
            if hasattr(top, key):
                setattr(top, key, value)


def write_slice(path, style, cps, out):
    """One slice of the OTF at `path` as WOFF2: its glyphs (and every layout feature), renamed."""
    font = TTFont(path)
    opts = subset.Options()
    opts.flavor = 'woff2'
    opts.layout_features = ['*']
    opts.name_IDs = ['*']
    opts.name_languages = ['*']
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=cps)
    sub.subset(font)
    rename(font, style)
    font.flavor = 'woff2'
    font.save(out)
    print(f'{os.path.basename(out)}: {len(cps)} code points, {os.path.getsize(out) // 1024} kB', file=sys.stderr)


def main():
    css_only = '--css-only' in sys.argv  # the rules again, the files as they are
    os.makedirs(OUT, exist_ok=True)
    if not css_only:
        for f in os.listdir(OUT):
            if f.endswith('.woff2'):
                os.remove(os.path.join(OUT, f))
    rules = []
    for src, style, weight in FACES:
        path = os.path.join(FONTS, src + '.otf')
        cmap = TTFont(path)['cmap'].getBestCmap()
        slices = slices_of(cmap)
        for name, cps in slices:
            others = set().union(*(c for n, c in slices if n != name))
            file = f'RoadshowSans-{style}-{name}.woff2'
            if not css_only:
                write_slice(path, style, cps, os.path.join(OUT, file))
            rules.append(
                '@font-face {\n'
                "  font-family: 'Pretendard';\n"
                '  font-style: normal;\n'
                f'  font-weight: {weight};\n'
                '  font-display: swap;\n'
                f"  src: url('../resources/fonts/web/{file}') format('woff2');\n"
                f'  unicode-range: {unicode_range(cps, others)};\n'
                '}\n'
            )
    header = (
        '/*\n'
        ' * Written by scripts/webFonts.py: do not edit by hand (run it again when resources/fonts changes).\n'
        ' * The UI\'s font: Pretendard (SIL Open Font License 1.1, resources/fonts/Pretendard-LICENSE.txt, copied beside\n'
        ' * the files by scripts/build.mjs; the slices are renamed "Roadshow Sans" inside), the same glyphs the PDFs embed,\n'
        ' * as WOFF2 slices by Unicode range: the browser downloads only the slices whose characters the page shows\n'
        ' * (Latin for English; the KS X 1001 Hangul slice for nearly all Korean; the rest when a rare character\n'
        ' * appears). A machine without CJK fonts shows Korean instead of boxes, and every machine lays text out\n'
        ' * alike. font-display: swap: text is shown at once in the system font, then in this one.\n'
        ' */\n'
    )
    with open(CSS, 'w', encoding='utf-8') as out:
        out.write(header + '\n'.join(rules))


if __name__ == '__main__':
    main()
