import iconv from 'iconv-lite';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'cp949';

/** An .xlsx file is a ZIP archive: it starts with "PK\x03\x04". */
export function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Old binary Excel (.xls, OLE2): recognised only to say so clearly. */
export function isLegacyXls(bytes: Uint8Array): boolean {
  const sig = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

/** UTF-16 without a BOM: text of mostly ASCII/Latin has a zero byte in every other position. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Decodes a text file chunk by chunk as its chunks arrive, in order, so decoding overlaps the upload.
 * Its pieces (each `push`, then `finish`'s tail) join to exactly what `decodeText` gives for the
 * whole file; it gives up (null, from then on) whenever it cannot be sure to: a file that is not plain UTF-8 (with or without BOM) or UTF-16LE, any byte sequence a
 * strict decoder refuses (CP949, lone surrogates, a cut character), a first chunk too short to sniff
 * UTF-16 as the whole file would be, or chunks out of order. The caller then decodes the whole file.
 */
export class IncrementalDecoder {
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  private encoding: TextEncodingName | null = null;
  private next = 0;
  private failed = false;

  /** Decodes chunk `index` (0-based): its text, or null once the file must be decoded whole. */
  push(bytes: Uint8Array, index: number): string | null {
    if (this.failed) return null;
    if (index !== this.next++) return this.fail();
    try {
      if (index === 0) {
        const start = this.begin(bytes);
        if (start < 0) return this.fail();
        bytes = bytes.subarray(start);
      }
      return this.decoder!.decode(bytes, { stream: true });
    } catch {
      return this.fail();
    }
  }

  /** The last of the text (bytes held back at a cut character) and the encoding, or null. */
  finish(): { tail: string; encoding: TextEncodingName } | null {
    if (this.failed || !this.decoder || !this.encoding) return null;
    this.failed = true;
    try {
      return { tail: this.decoder.decode(), encoding: this.encoding };
    } catch {
      return null;
    }
  }

  /** Chooses the decoder as decodeText would from the file's start; the bytes to skip (a BOM), or -1 for "not here". */
  private begin(b: Uint8Array): number {
    // The whole file's UTF-16 sniff reads its first 4 KB: the first chunk must hold them.
    if (b.length < 4096 || isXlsx(b) || isLegacyXls(b)) return -1;
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return this.use('utf-8', 'utf-8-bom', 3);
    if (b[0] === 0xff && b[1] === 0xfe) return this.use('utf-16le', 'utf-16le', 2);
    if (b[0] === 0xfe && b[1] === 0xff) return -1;
    const sniffed = sniffUtf16(b);
    if (sniffed === 'utf-16le') return this.use('utf-16le', 'utf-16le', 0);
    if (sniffed) return -1;
    return this.use('utf-8', 'utf-8', 0);
  }

  private use(label: 'utf-8' | 'utf-16le', encoding: TextEncodingName, skip: number): number {
    this.decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
    this.encoding = encoding;
    return skip;
  }

  private fail(): null {
    this.failed = true;
    return null;
  }
}

/**
 * Decodes a text file in the encodings people really send: UTF-8 with or without BOM, UTF-16
 * LE/BE (Excel's "Unicode text", with or without BOM) and CP949/EUC-KR (Korean Excel's CSV).
 * Bytes that are not valid UTF-8 are read as CP949, a superset of EUC-KR.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  const sniffed = sniffUtf16(buf);
  if (sniffed === 'utf-16le') return { text: buf.toString('utf16le'), encoding: 'utf-16le' };
  if (sniffed === 'utf-16be') return { text: iconv.decode(buf, 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'cp949'), encoding: 'cp949' };
  }
}
