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
