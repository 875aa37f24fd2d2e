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

/** The host, as fetch sees it: each request recorded and answered with its own counter (or `values[channel]`). */
function host(values: Record<string, (n: number) => unknown> = {}) {
  const calls: { url: string; body: string; auth: string }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, body: String(init.body), auth: (init.headers as Record<string, string>).authorization ?? '' });
    const n = calls.length;
    const channel = url.replace(/^.*api\//, '');
    const value = values[channel] ? values[channel](n) : { n };
    return new Response(JSON.stringify({ ok: true, value }), { headers: { 'content-type': 'application/json' } });
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
const SECOND_WAVE = ['api/attendees:flagged', 'api/checkin:counts', 'api/checkin:search', 'api/sessions:list'];

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

  it('then asks what the check-in screen reads at the desk’s stop, with the inputs the screen sends', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host(signedInDesk());
    runPrefetchScript();
    await settle();
    expect(calls.slice(5).map((c) => c.url).sort()).toEqual(SECOND_WAVE);
    const t = createHttpTransport('tok1');
    // The same bodies as checkinStore, attendeeEditStore and sessionCheckinStore send: answered from the prefetch.
    await t.invoke('checkin:counts', { stopId: 's1' });
    await t.invoke('checkin:search', { stopId: 's1', query: '', limit: 20 });
    await t.invoke('attendees:flagged', { stopId: 's1' });
    await t.invoke('sessions:list', { stopId: 's1' });
    expect(calls).toHaveLength(9);
    // Another stop's list is not the prefetched one.
    await t.invoke('checkin:counts', { stopId: 's2' });
    expect(calls).toHaveLength(10);
  });

  it('asks no second wave on a locked desk, for someone without the check-in screen, or without a stop', async () => {
    for (const values of [
      { 'auth:status': () => ({ signedIn: null, permissions: [] }), 'settings:get': () => ({ currentStopId: 's1' }) },
      signedInDesk(['signedIn', 'consultations.write']),
      signedInDesk(undefined, null),
    ]) {
      window.history.replaceState(null, '', '/#token=tok1');
      const calls = host(values);
      runPrefetchScript();
      await settle();
      expect(calls.map((c) => c.url)).not.toContain('api/checkin:counts');
      expect(calls).toHaveLength(5);
    }
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
    expect(calls).toHaveLength(10);
    // A check-in: the prefetched counts (and settings, stops…) are from before it.
    await t.invoke('checkin:checkIn', { registrationId: 'r1' });
    expect(calls).toHaveLength(11);
    const counts = await t.invoke('checkin:counts', { stopId: 's1' });
    const settings = await t.invoke('settings:get', {});
    expect(calls).toHaveLength(13);
    expect(counts).toEqual({ ok: true, value: { n: 12 } });
    expect(settings).toEqual({ ok: true, value: { currentStopId: 's1', n: 13 } });
    expect(window.__roadshowPrefetch).toBeUndefined();
  });

  it('asks no second wave once a write has dropped the answers', async () => {
    window.history.replaceState(null, '', '/#token=tok1');
    const calls = host(signedInDesk());
    runPrefetchScript();
    // The language changed on the lock screen before the first answers came.
    await createHttpTransport('tok1').invoke('settings:update', { language: 'en' });
    await settle();
    expect(calls.map((c) => c.url)).not.toContain('api/checkin:counts');
    expect(calls).toHaveLength(6);
  });
});
