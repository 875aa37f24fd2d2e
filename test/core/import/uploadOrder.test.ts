import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportProgress } from '../../../core/import/importProgress';
import { ImportSession } from '../../../core/import/importSession';
import type { Store } from '../../../core/store/openStore';
import { createTestStore, disposeTestStore } from '../../helpers/testStore';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

/** A UTF-8 file where most characters are 3 bytes, cut into chunks of 64 kB: edges fall inside characters, quotes and lines. */
function chunkedFile(rows: number): { bytes: Buffer; chunks: Uint8Array[] } {
  const lines = ['family_name,given_name,name_ko,email,affiliation'];
  for (let i = 0; i < rows; i++) lines.push(`Park,Jiwoo${i},박지우${i},jiwoo${i}@example.edu,"한국과학기술원 (KAIST),\r\n대전 ${i}"`);
  const bytes = Buffer.from(lines.join('\r\n'), 'utf8');
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 65_536) chunks.push(new Uint8Array(bytes.subarray(at, at + 65_536)));
  return { bytes, chunks };
}

/** Sends the chunks in the given order; returns the rows read before the parse (streamed decoding) and the parse. */
async function sendInOrder(order: number[], chunks: Uint8Array[]) {
  const store = createTestStore({});
  stores.push(store);
  const progress = new ImportProgress();
  const session = new ImportSession(store, { progress });
  const uploadId = randomUUID();
  for (const i of order) session.upload({ uploadId, fileName: 'people.csv', index: i, count: chunks.length, data: chunks[i]! });
  const readBeforeParse = progress.read().done;
  const parsed = await session.parse({ uploadId, sheet: 0 });
  return { readBeforeParse, parsed };
}

describe('upload chunks arriving out of order (two requests in flight)', () => {
  // Over a million characters: the streamed CSV reading starts after its first megabyte, as papaparse guesses line endings.
  const rows = 16_000;
  const { chunks } = chunkedFile(rows);

  it('decodes them as they arrive, in order, and gives what the whole file gives', async () => {
    expect(chunks.length).toBeGreaterThan(16);
    const inOrder = chunks.map((_, i) => i);
    // Pairs swapped (the second request of two answered first), and a run that waits on its first chunk.
    const swapped = inOrder.flatMap((i) => (i % 2 === 1 ? [] : i + 1 < chunks.length ? [i + 1, i] : [i]));
    const lateFirst = [...inOrder.slice(1, 4), 0, ...inOrder.slice(4)];
    const base = await sendInOrder(inOrder, chunks);
    expect(base.parsed.rowCount).toBe(rows);
    for (const order of [swapped, lateFirst]) {
      expect([...order].sort((a, b) => a - b)).toEqual(inOrder);
      const r = await sendInOrder(order, chunks);
      expect(r.parsed).toEqual({ ...base.parsed, uploadId: r.parsed.uploadId });
      // Read while the chunks came (the rows counted before the parse was asked for), as in order.
      expect(r.readBeforeParse).toBe(base.readBeforeParse);
      expect(r.readBeforeParse).toBeGreaterThan(rows / 2);
    }
  });

  it('reads the file whole when a chunk is sent again, with the same result', async () => {
    const inOrder = chunks.map((_, i) => i);
    const base = await sendInOrder(inOrder, chunks);
    // Chunk 3 sent again after 5: the streamed reading gives up; the parse reads the bytes whole.
    const again = await sendInOrder([0, 1, 2, 3, 4, 5, 3, ...inOrder.slice(6)], chunks);
    expect(again.parsed).toEqual({ ...base.parsed, uploadId: again.parsed.uploadId });
    // Chunk 4 early, then sent again while still waiting for 3.
    const earlyTwice = await sendInOrder([0, 1, 2, 4, 4, 3, ...inOrder.slice(5)], chunks);
    expect(earlyTwice.parsed).toEqual({ ...base.parsed, uploadId: earlyTwice.parsed.uploadId });
  });
});
