import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../core/host/hostServer';
import { createTestContext, createTestStore, tempDir } from '../../helpers/testStore';

let host: RunningHost;
beforeAll(async () => {
  const rendererDir = path.join(tempDir(), 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Roadshow Desk</title>');
  host = await startHost({ ctx: createTestContext(createTestStore({ demo: true, attendees: 30 })), rendererDir });
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

  it('answers malformed JSON with a 400 and a VALIDATION error, not a crash', async () => {
    const res = await fetch(`${host.url}api/stops:list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}` }, body: '{"oops' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
