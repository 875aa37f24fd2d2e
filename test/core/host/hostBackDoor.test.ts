import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../../core/host/hostServer';
import { startTestHost } from '../../helpers/testHost';
import { isCanonicalTarget } from '../../../core/host/requestTarget';
import { CHANNELS } from '../../../shared/contract';

/**
 * Issue #17, part 1: the launch token and the Origin check hold for every spelling of the API's path the
 * router could match, and for every channel of the contract. Requests go out as raw request lines
 * (node:http sends `path` verbatim; fetch would normalise them first).
 */
let host: RunningHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(() => host.close());

interface Answer {
  status: number;
  body: string;
}

const SEARCH = '{"stopId":"stop-01-boston","query":"a"}';

/** A request line as given. A connection the server drops before answering (Node's parser refuses some targets) counts as status 0. */
function raw(target: string, headers: Record<string, string> = {}, body = SEARCH): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: 'POST', path: target, headers: { host: `127.0.0.1:${host.port}`, 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve({ status: 0, body: '' }) : reject(err)));
    req.end(body);
  });
}

const spellings = (channel: string): string[] => [
  `/%61pi/${channel}`,
  `/ap%69/${channel}`,
  `/%61%70%69/${channel}`,
  `/api%2F${channel}`,
  `/api%2f${channel}`,
  `%2Fapi/${channel}`,
  `/api/${channel.replace(':', '%3A')}`,
  `/api/${channel.replace('c', '%63')}`,
  `//api/${channel}`,
  `/api//${channel}`,
  `/./api/${channel}`,
  `/api/./${channel}`,
  `/api/../api/${channel}`,
  `/x/../api/${channel}`,
  `/api/%2E%2E/api/${channel}`,
  `/API/${channel}`,
  `/Api/${channel}`,
  `/api./${channel}`,
  `/api/${channel}.`,
  `/api/${channel}..`,
  `/api\\${channel}`,
  `http://127.0.0.1:${0}/api/${channel}`,
  `HTTP://127.0.0.1/api/${channel}`,
  `//127.0.0.1/api/${channel}`,
];

describe('the request target (core/host/requestTarget.ts)', () => {
  it('takes the one canonical spelling of a path', () => {
    for (const ok of ['/', '/api/checkin:search', '/assets/index-abc123.js', '/index.html?x=%2F..', '/assets/']) expect(isCanonicalTarget(ok), ok).toBe(true);
  });
  it('refuses absolute form, escapes, dot and empty segments, and trailing dots', () => {
    for (const bad of spellings('checkin:search').filter((s) => !/^\/(API|Api)\//.test(s))) expect(isCanonicalTarget(bad.replace(':0', `:${host.port}`)), bad).toBe(false);
    expect(isCanonicalTarget('*')).toBe(false);
    expect(isCanonicalTarget('127.0.0.1:80')).toBe(false);
  });
});

describe('browser-mode host: no spelling of the API dodges the token or the origin check', () => {
  const auth = () => ({ authorization: `Bearer ${host.token}` });
  const withPort = (s: string) => s.replace('127.0.0.1:0', `127.0.0.1:${host.port}`);

  it('the canonical path answers with the token (the control) and refuses without it', async () => {
    const ok = await raw('/api/checkin:search', auth());
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true });
    expect((await raw('/api/checkin:search')).status).toBe(401);
  });

  for (const channel of ['checkin:search', 'consultations:exportFollowUps']) {
    it(`${channel}: every other spelling is refused with or without a token, never dispatched`, async () => {
      for (const target of spellings(channel).map(withPort)) {
        for (const headers of [{}, auth(), { ...auth(), origin: 'http://evil.example' }, { origin: 'http://evil.example' }] as Record<string, string>[]) {
          const a = await raw(target, headers, channel === 'consultations:exportFollowUps' ? '{"institutionId":"inst-kaist","stopId":null,"format":"csv","language":"en"}' : SEARCH);
          expect([0, 400, 401, 403, 404], `${target} ${JSON.stringify(headers)} → ${a.status}`).toContain(a.status);
          expect(a.body).not.toContain('"ok":true');
          expect(a.body).not.toMatch(/@example|base64/);
        }
      }
    });
  }

  it('a foreign origin or a cross-site fetch is refused even with the token, body-less POSTs included', async () => {
    for (const channel of ['auth:lock', 'sync:now', 'backup:create', 'bundle:export'] as const) {
      expect(CHANNELS).toContain(channel);
      for (const headers of [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }] as Record<string, string>[]) {
        const a = await raw(`/api/${channel}`, { ...auth(), ...headers }, '');
        expect(a.status, `${channel} ${JSON.stringify(headers)}`).toBe(403);
        expect(JSON.parse(a.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      }
    }
    // The renderer's own page: same origin.
    const own = await raw('/api/stops:list', { ...auth(), origin: `http://127.0.0.1:${host.port}`, 'sec-fetch-site': 'same-origin' }, '{}');
    expect(own.status).toBe(200);
  });

  it('every channel of the contract refuses a tokenless call (and a wrong token), before its handler runs', async () => {
    expect(CHANNELS.length).toBeGreaterThan(40);
    for (const channel of CHANNELS) {
      const none = await raw(`/api/${channel}`, {}, '{}');
      expect(none.status, channel).toBe(401);
      expect(JSON.parse(none.body), channel).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      const wrong = await raw(`/api/${channel}`, { authorization: `Bearer ${'A'.repeat(host.token.length)}` }, '{}');
      expect(wrong.status, channel).toBe(401);
    }
  });

  it('the renderer itself is served only at canonical paths', async () => {
    const get = (target: string) =>
      new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port: host.port, method: 'GET', path: target, headers: { host: `127.0.0.1:${host.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.end();
      });
    expect(await get('/')).toBe(200);
    expect(await get('/index.html')).toBe(200);
    expect(await get('/%69ndex.html')).toBe(400);
    expect(await get('/./index.html')).toBe(400);
    expect(await get(`http://127.0.0.1:${host.port}/index.html`)).toBe(400);
  });
});
