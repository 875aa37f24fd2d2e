import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, IncrementalDecoder } from '../../../core/domain/importDecode';

/** Splits bytes into chunks at the given cut points (sorted, within the buffer). */
function chunksOf(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    if (p <= at) continue;
    out.push(bytes.subarray(at, p));
    at = p;
  }
  return out.length ? out : [bytes];
}

/** The pieces joined, as the upload's CSV reader receives them; null if the decoder gave up. */
function decodeInChunks(chunks: Uint8Array[], order = chunks.map((_, i) => i)) {
  const d = new IncrementalDecoder();
  let text = '';
  for (const i of order) {
    const piece = d.push(chunks[i]!, i);
    if (piece !== null) text += piece;
  }
  const end = d.finish();
  return end ? { text: text + end.tail, encoding: end.encoding } : null;
}

// Whole code points (an emoji is two UTF-16 units): well-formed text, which every encoding here carries.
const line = fc.string({ unit: fc.constantFrom(...[...'aZ09 ,;"\t\r\n-김민준이서연ÉüßØ😀']), maxLength: 80 });
const text = fc.array(line, { minLength: 60, maxLength: 200 }).map((ls) => `family_name,given_name,name_ko\r\n${ls.join('\r\n')}`);
const encode = {
  'utf-8': (t: string) => Buffer.from(t, 'utf8'),
  'utf-8-bom': (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
  'utf-16le': (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'utf-16le (no BOM)': (t: string) => Buffer.from(t, 'utf16le'),
};

describe('incremental decoding of an upload', () => {
  it('gives exactly what decoding the whole file gives, for UTF-8 and UTF-16LE cut anywhere (inside characters too)', () => {
    for (const [name, enc] of Object.entries(encode)) {
      fc.assert(
        fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), (t, cuts) => {
          const bytes = enc(t.padEnd(5000, 'x'));
          const whole = decodeText(bytes);
          // Cut anywhere after the first 4 KB (the first chunk of an upload is 2 MB).
          const streamed = decodeInChunks(chunksOf(bytes, [4096, ...cuts.map((c) => 4096 + (c % (bytes.length - 4095)))]));
          expect(streamed, name).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('gives up (null: decode the whole file) where it cannot be sure, never a different text', () => {
    const korean = '성명,소속\r\n김민준,서울대학교\r\n'.repeat(400);
    const cp949 = iconv.encode(korean, 'cp949');
    expect(decodeText(cp949).encoding).toBe('cp949');
    expect(decodeInChunks(chunksOf(cp949, [4096, 9000]))).toBeNull();
    const utf8 = Buffer.from(korean, 'utf8');
    // Chunks out of order, or a first chunk shorter than the UTF-16 sniff reads.
    const parts = chunksOf(utf8, [5000, 9000]);
    expect(decodeInChunks(parts, [0, 2, 1])).toBeNull();
    expect(decodeInChunks(chunksOf(utf8, [100]))).toBeNull();
    // UTF-16BE is left to the whole-file path.
    expect(decodeInChunks(chunksOf(Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(korean, 'utf-16be')]), [5000]))).toBeNull();
    // A lone surrogate in UTF-16: the strict decoder refuses it, the whole-file path keeps it.
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${korean}\ud800x`, 'utf16le')]);
    expect(decodeInChunks(chunksOf(lone, [5000]))).toBeNull();
    // And in order, it does decode (the upload's normal case).
    expect(decodeInChunks(parts)).toEqual({ text: korean, encoding: 'utf-8' });
  });
});
