import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../renderer/api/apiClient';
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

  it('sends a Blob (a slice of the chosen file) as the body itself, unread by the page', async () => {
    const calls = recordFetch();
    const transport = createHttpTransport('tok');
    expect(transport.sendsBlobs).toBe(true);
    const data = new Blob(['김,1\n']).slice(0, 4);
    await transport.invoke('import:upload', { uploadId: 'u1', fileName: 'a.csv', index: 0, count: 1, data });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/octet-stream');
    expect(headers[BINARY_FIELD_HEADER]).toBe('data');
    expect(JSON.parse(decodeURIComponent(headers[BINARY_REST_HEADER]!))).toEqual({ uploadId: 'u1', fileName: 'a.csv', index: 0, count: 1 });
    expect(calls[0]!.init.body).toBe(data);
  });

  it('reads a Blob into bytes for a transport that sends none (Electron)', async () => {
    const seen: unknown[] = [];
    const client = createApiClient({ invoke: async (_channel, input) => (seen.push(input), { ok: true, value: { received: 1 } }) });
    await client.call('import:upload', { uploadId: 'u1', fileName: 'a.csv', index: 0, count: 1, data: new Blob([new Uint8Array([0xea, 0xb9, 0x80, 0x2c])]) });
    const input = seen[0] as { data: Uint8Array; index: number };
    expect(Object.prototype.toString.call(input.data)).toBe('[object Uint8Array]');
    expect([...input.data]).toEqual([0xea, 0xb9, 0x80, 0x2c]);
    expect(input.index).toBe(0);
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
