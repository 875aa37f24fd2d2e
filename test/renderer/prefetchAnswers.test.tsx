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

/**
 * The host, as fetch sees it: each request recorded and answered with its own counter (or `values[channel]`);
 * `app:boot` as core/api/bootHandlers.ts answers it (each read answered as its own call would be, counted too).
 */
function host(values: Record<string, (n: number) => unknown> = {}, opts: { bootFails?: boolean } = {}) {
  const calls: { url: string; body: string; auth: string }[] = [];
  const answer = (channel: string, n: number) => ({ ok: true, value: values[channel] ? values[channel](n) : { n } });
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url: url.replace(/^\//, ''), body: String(init.body), auth: (init.headers as Record<string, string>).authorization ?? '' });
    const channel = url.replace(/^.*api\//, '');
    if (channel === 'app:boot') {
      if (opts.bootFails) return new Response(JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'x' } }));
      const booted: { channel: string; input: Record<string, unknown>; result: unknown }[] = [];
      for (const c of ['auth:status', 'settings:get', 'app:info', 'stops:list', 'tours:list']) booted.push({ channel: c, input: {}, result: answer(c, 0) });
      const status = (booted[0]!.result as { value: { signedIn: unknown; permissions?: string[] } }).value;
      const stopId = (booted[1]!.result as { value: { currentStopId?: string | null } }).value.currentStopId;
      if (stopId && status.signedIn && status.permissions?.includes('checkin.write')) {
        for (const [c, input] of [
          ['checkin:counts', { stopId }],
          ['checkin:search', { stopId, query: '', limit: 20 }],
          ['attendees:flagged', { stopId }],
          ['sessions:list', { stopId }],
        ] as const) booted.push({ channel: c, input, result: answer(c, 0) });
      }
      return new Response(JSON.stringify({ ok: true, value: { calls: booted } }), { headers: { 'content-type': 'application/json' } });
    }
    return new Response(JSON.stringify(answer(channel, calls.length)), { headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

/** A desk signed in as someone who may (or may not) check people in, at stop `s1`. */
const signedInDesk = (permissions = ['signedIn', 'attendees.read', 'checkin.write'], currentStopId: string | null = 's1') => ({
  'auth:status': () => ({ signedIn: { id: 'staff-1' }, permissions }),
  'settings:get': (n: number) => ({ currentStopId, n }),
});

/** Lets the prefetch's second wave (after auth:status and settings:get have answered) start. */
const settle = () => new Promise((r) => setTimeout(r, 0));


/** Runs renderer/public/prefetch.js as the page's head does. */
function runPrefetchScript(): void {
  new Function(readFileSync(path.join(__dirname, '../../renderer/public/prefetch.js'), 'utf8'))();
}

describe('the first screen’s reads asked for while the app loads (prefetch.js, one app:boot call)', () => {
  it('asks the host once, and the transport takes each answer as many times as it was asked for, then asks the host', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host();
    runPrefetchScript();
    expect(calls.map((c) => c.url)).toEqual(['api/app:boot']);
    expect(calls.every((c) => c.auth === 'Bearer tok1' && c.body === '{}')).toBe(true);
    const t = createHttpTransport('tok1');
    const first = await t.invoke('settings:get', {});
    const second = await t.invoke('settings:get', {});
    expect(first).toEqual({ ok: true, value: { n: 0 } });
    expect(second).toEqual(first);
    for (const c of ['auth:status', 'app:info', 'stops:list', 'tours:list'] as const) expect(await t.invoke(c, {})).toEqual({ ok: true, value: { n: 0 } });
    expect(calls).toHaveLength(1);
    // Used twice (the lock check and the desk's settings): the third call asks the host.
    const third = await t.invoke('settings:get', {});
    expect(calls).toHaveLength(2);
    expect(third).toEqual({ ok: true, value: { n: 2 } });
  });

  it('is not taken for another input, another token or after its few seconds', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host();
    runPrefetchScript();
    await createHttpTransport('tok1').invoke('stops:list', { other: true });
    await createHttpTransport('tok2').invoke('tours:list', {});
    expect(calls).toHaveLength(3);
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 6000);
    await createHttpTransport('tok1').invoke('app:info', {});
    expect(calls).toHaveLength(4);
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

  it('offers what the check-in screen reads at the desk’s stop, for the inputs the screen sends', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host(signedInDesk());
    runPrefetchScript();
    await settle();
    const t = createHttpTransport('tok1');
    // The same bodies as checkinStore, attendeeEditStore and sessionCheckinStore send: answered from the boot.
    expect(await t.invoke('checkin:counts', { stopId: 's1' })).toEqual({ ok: true, value: { n: 0 } });
    await t.invoke('checkin:search', { stopId: 's1', query: '', limit: 20 });
    await t.invoke('attendees:flagged', { stopId: 's1' });
    await t.invoke('sessions:list', { stopId: 's1' });
    expect(calls).toHaveLength(1);
    // Another stop's, or a second call of one: asked of the host.
    await t.invoke('checkin:counts', { stopId: 's2' });
    await t.invoke('checkin:counts', { stopId: 's1' });
    expect(calls.map((c) => c.url)).toEqual(['api/app:boot', 'api/checkin:counts', 'api/checkin:counts']);
  });

  it('offers no check-in reads on a locked desk, for someone without the check-in screen, or without a stop', async () => {
    for (const values of [
      { 'auth:status': () => ({ signedIn: null, permissions: [] }), 'settings:get': () => ({ currentStopId: 's1' }) },
      signedInDesk(['signedIn', 'consultations.write']),
      signedInDesk(undefined, null),
    ]) {
      window.history.replaceState(null, '', '/#token=tok1');
      const calls = host(values);
      runPrefetchScript();
      await settle();
      await createHttpTransport('tok1').invoke('checkin:counts', { stopId: 's1' });
      expect(calls.map((c) => c.url)).toEqual(['api/app:boot', 'api/checkin:counts']);
    }
  });

  it('asks each first read on its own when the boot call fails', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host({}, { bootFails: true });
    runPrefetchScript();
    await settle();
    expect(calls.map((c) => c.url).sort()).toEqual(['api/app:boot', 'api/app:info', 'api/auth:status', 'api/settings:get', 'api/stops:list', 'api/tours:list']);
    const t = createHttpTransport('tok1');
    expect((await t.invoke('settings:get', {})).ok).toBe(true);
    expect(calls).toHaveLength(6);
  });

  it('drops every answer not yet taken at the first call that may write: later reads ask the host', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host(signedInDesk());
    runPrefetchScript();
    await settle();
    const t = createHttpTransport('tok1');
    // Reads made while the page starts (not prefetched) keep the answers.
    await t.invoke('hub:status', {});
    await t.invoke('settings:get', {});
    expect(calls).toHaveLength(2);
    // A check-in: the prefetched counts (and settings, stops…) are from before it.
    await t.invoke('checkin:checkIn', { registrationId: 'r1' });
    expect(calls).toHaveLength(3);
    const counts = await t.invoke('checkin:counts', { stopId: 's1' });
    const settings = await t.invoke('settings:get', {});
    expect(calls).toHaveLength(5);
    expect(counts).toEqual({ ok: true, value: { n: 4 } });
    expect(settings).toEqual({ ok: true, value: { currentStopId: 's1', n: 5 } });
    expect(window.__roadshowPrefetch).toBeUndefined();
  });

  it('offers no check-in reads once a write has dropped the answers', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host(signedInDesk());
    runPrefetchScript();
    // The language changed on the lock screen before the boot's answer came.
    await createHttpTransport('tok1').invoke('settings:update', { language: 'en' });
    await settle();
    expect(window.__roadshowPrefetch).toBeUndefined();
    await createHttpTransport('tok1').invoke('checkin:counts', { stopId: 's1' });
    expect(calls.map((c) => c.url)).toEqual(['api/app:boot', 'api/settings:update', 'api/checkin:counts']);
  });
});
