import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport } from '../../renderer/api/transportHttp';

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.__roadshowPrefetch;
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});

/** The host, as fetch sees it: each request recorded and answered with its own counter. */
function host() {
  const calls: { url: string; body: string; auth: string }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, body: String(init.body), auth: (init.headers as Record<string, string>).authorization ?? '' });
    return new Response(JSON.stringify({ ok: true, value: { n: calls.length } }), { headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

/** Runs renderer/public/prefetch.js as the page's head does. */
function runPrefetchScript(): void {
  new Function(readFileSync(path.join(__dirname, '../../renderer/public/prefetch.js'), 'utf8'))();
}

describe('the first screen’s reads asked for while the app loads (prefetch.js)', () => {
  it('asks each read once, and the transport takes the answer as many times as it was asked for, then asks the host', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host();
    runPrefetchScript();
    expect(calls.map((c) => c.url).sort()).toEqual(['api/app:info', 'api/auth:status', 'api/settings:get', 'api/stops:list', 'api/tours:list']);
    expect(calls.every((c) => c.auth === 'Bearer tok1' && c.body === '{}')).toBe(true);
    const t = createHttpTransport('tok1');
    const first = await t.invoke('settings:get', {});
    const second = await t.invoke('settings:get', {});
    expect(first).toEqual(second);
    expect(calls).toHaveLength(5);
    // Used twice (the lock check and the desk's settings): the third call asks the host.
    const third = await t.invoke('settings:get', {});
    expect(calls).toHaveLength(6);
    expect(third).toEqual({ ok: true, value: { n: 6 } });
  });

  it('is not taken for another input, another token or after its few seconds', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host();
    runPrefetchScript();
    await createHttpTransport('tok1').invoke('stops:list', { other: true });
    await createHttpTransport('tok2').invoke('tours:list', {});
    expect(calls).toHaveLength(7);
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 6000);
    await createHttpTransport('tok1').invoke('app:info', {});
    expect(calls).toHaveLength(8);
  });

  it('asks nothing without a launch token, or in Electron (the bridge)', () => {
    const calls = host();
    runPrefetchScript();
    window.history.replaceState(null, '', '/#token=tok1');
    window.roadshow = { invoke: async () => ({ ok: true, value: null }) };
    try {
      runPrefetchScript();
    } finally {
      delete window.roadshow;
    }
    expect(calls).toHaveLength(0);
    expect(window.__roadshowPrefetch).toBeUndefined();
  });
});
