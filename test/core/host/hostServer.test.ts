import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../../core/host/hostServer';
import { startTestHost } from '../../helpers/testHost';
import { BINARY_FIELD_HEADER, BINARY_REST_HEADER } from '../../../shared/ipc/binaryBody';
import { MAX_CHUNK_BYTES } from '../../../shared/ipc/importContract';

let host: RunningHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(() => host.close());

const post = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.url}api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('browser-mode host', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying a fresh token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.openUrl).toBe(`${host.url}#token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with a strict CSP', async () => {
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Roadshow Desk');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('refuses API calls without the launch token, or with a wrong one', async () => {
    expect((await post('stops:list', {})).status).toBe(401);
    const wrong = await post('stops:list', {}, { authorization: `Bearer ${'x'.repeat(host.token.length)}` });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('answers the API with the token', async () => {
    const res = await post('stops:list', {}, { authorization: `Bearer ${host.token}` });
    const body = (await res.json()) as { ok: boolean; value: unknown[] };
    expect(body.ok).toBe(true);
    expect(body.value).toHaveLength(11);
  });

  it('refuses another origin and a foreign Host header (DNS rebinding)', async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    expect((await post('stops:list', {}, { ...auth, origin: 'http://evil.example' })).status).toBe(403);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(host.url + 'api/stops:list', { method: 'POST', headers: { ...auth, host: 'evil.example', 'content-type': 'application/json' } }, (res) => resolve(res.statusCode ?? 0));
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('takes an import chunk as bytes in the body (the renderer’s transport), the other fields from a header', async () => {
    // As renderer/api/transportHttp.ts sends it (the e2e import walks that transport in Chromium).
    const http = {
      invoke: async (channel: string, { data, ...fields }: Record<string, unknown>) =>
        (await fetch(`${host.url}api/${channel}`, {
          method: 'POST',
          headers: data ? { authorization: `Bearer ${host.token}`, 'content-type': 'application/octet-stream', [BINARY_FIELD_HEADER]: 'data', [BINARY_REST_HEADER]: encodeURIComponent(JSON.stringify(fields)) } : { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
          body: (data as Uint8Array<ArrayBuffer> | undefined) ?? JSON.stringify(fields),
        })).json() as Promise<unknown>,
    };
    const text = ['family_name,given_name,name_ko,email', ...Array.from({ length: 300 }, (_, i) => `Park,Jiwoo${i},박지우${i},jiwoo${i}@example.edu`)].join('\r\n');
    const bytes = new TextEncoder().encode(text);
    // Cut inside a Hangul character: the host must join the two bodies byte for byte.
    const cut = new TextEncoder().encode(text.slice(0, text.indexOf('박지우7'))).length + 1;
    const parts = [bytes.slice(0, cut), bytes.slice(cut)];
    const uploadId = 'binary-upload-1';
    for (const [index, data] of parts.entries()) {
      expect(await http.invoke('import:upload', { uploadId, fileName: 'people.csv', index, count: 2, data })).toMatchObject({ ok: true });
    }
    const parsed = await http.invoke('import:parse', { uploadId, sheet: 0 });
    expect(parsed).toMatchObject({ ok: true, value: { rowCount: 300, encoding: 'utf-8' } });
    expect((parsed as { value: { preview: string[][] } }).value.preview[0]).toEqual(['Park', 'Jiwoo0', '박지우0', 'jiwoo0@example.edu']);
  });

  it('refuses a body of bytes without its fields, with malformed fields, or larger than a chunk may be', async () => {
    const auth = { authorization: `Bearer ${host.token}`, 'content-type': 'application/octet-stream' };
    const send = (headers: Record<string, string | undefined>, body: Uint8Array<ArrayBuffer>) => fetch(`${host.url}api/import:upload`, { method: 'POST', headers: { ...auth, ...headers }, body });
    const fields = encodeURIComponent(JSON.stringify({ uploadId: 'u-bad', fileName: 'x.csv', index: 0, count: 1 }));
    for (const headers of [{}, { 'x-roadshow-binary-field': 'data' }, { 'x-roadshow-binary-field': 'data', 'x-roadshow-input': '%7Bnot json' }, { 'x-roadshow-binary-field': '__proto__', 'x-roadshow-input': fields }]) {
      expect(await (await send(headers, new Uint8Array([1, 2, 3]))).json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    const tooLarge = await send({ 'x-roadshow-binary-field': 'data', 'x-roadshow-input': fields }, new Uint8Array(MAX_CHUNK_BYTES + 128 * 1024));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // Without the launch token, bytes are refused like JSON, before their body is read (else: 413).
    const anonymous = await fetch(`${host.url}api/import:upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-roadshow-binary-field': 'data', 'x-roadshow-input': fields }, body: new Uint8Array(MAX_CHUNK_BYTES + 128 * 1024) });
    expect(anonymous.status).toBe(401);
  });

  it('answers malformed JSON with a 400 and a VALIDATION error, not a crash', async () => {
    const res = await fetch(`${host.url}api/stops:list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: '{"oops' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
