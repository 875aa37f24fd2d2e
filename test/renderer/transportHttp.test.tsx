import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport } from '../../renderer/api/transportHttp';
import { BINARY_FIELD_HEADER, BINARY_REST_HEADER } from '../../shared/ipc/binaryBody';

afterEach(() => vi.unstubAllGlobals());

/** The requests the transport makes, answered with an empty success. */
function recordFetch() {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify({ ok: true, value: null }), { headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

describe('browser mode HTTP transport', () => {
  it('sends an input with a field of bytes as those bytes, the other fields as JSON in a header', async () => {
    const calls = recordFetch();
    const data = new Uint8Array([0xea, 0xb9, 0x80, 0x2c, 0x0a]);
    await createHttpTransport('tok').invoke('import:upload', { uploadId: 'u1', fileName: '명단 (2).csv', index: 0, count: 1, data });
    const { url, init } = calls[0]!;
    const headers = init.headers as Record<string, string>;
    expect(url).toBe('/api/import:upload');
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers[BINARY_FIELD_HEADER]).toBe('data');
    expect(JSON.parse(decodeURIComponent(headers[BINARY_REST_HEADER]!))).toEqual({ uploadId: 'u1', fileName: '명단 (2).csv', index: 0, count: 1 });
    // Header values must be ISO-8859-1: the Hangul file name travels percent-encoded.
    expect(headers[BINARY_REST_HEADER]).toMatch(/^[\x20-\x7e]+$/);
    expect(init.body).toBe(data);
  });

  it('sends any other input as JSON', async () => {
    const calls = recordFetch();
    await createHttpTransport('tok').invoke('import:parse', { uploadId: 'u1', sheet: 0, stopId: 's1' });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/json');
    expect(headers[BINARY_FIELD_HEADER]).toBeUndefined();
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ uploadId: 'u1', sheet: 0, stopId: 's1' });
  });
});
