import { BINARY_FIELD_HEADER, BINARY_REST_HEADER } from '../../shared/ipc/binaryBody';
import type { Result } from '../../shared/result';
import type { Transport } from './transport';

const TOKEN_KEY = 'roadshow.launchToken';

/**
 * Browser mode: the host prints `http://127.0.0.1:PORT/#token=…`. The token moves from the URL
 * fragment into sessionStorage (and out of the address bar) and goes with every API call.
 */
export function readLaunchToken(loc: Location = window.location, storage: Storage = window.sessionStorage): string | null {
  const m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(loc.hash);
  if (m?.[1]) {
    storage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', loc.pathname + loc.search);
    return m[1];
  }
  return storage.getItem(TOKEN_KEY);
}

/**
 * The request for an input: JSON, or, when one field holds bytes (an import chunk), those bytes as the
 * body and the other fields as JSON in a header: no 2.8 MB base64 string per 2 MB chunk for the page to
 * build and hand to fetch (a 28 MB file reached the mapping step ~0.4 s sooner in headless Chromium).
 * A Blob (a slice of the chosen file) is the body as it is: Chromium's network service reads the file
 * itself, where bytes the page read (FileReader) are copied out of the page for every request (a 28 MB
 * file in 2 MB requests: ~1.1–1.7 s against 7.5–10 s in headless Chromium at load 12, issue #20).
 */
function requestOf(input: unknown): { headers: Record<string, string>; body: BodyInit } {
  if (input && typeof input === 'object') {
    const entries = Object.entries(input);
    const binary = entries.find(([, v]) => v instanceof Uint8Array || (typeof Blob !== 'undefined' && v instanceof Blob));
    if (binary) {
      const rest = Object.fromEntries(entries.filter(([k]) => k !== binary[0]));
      return {
        headers: { 'content-type': 'application/octet-stream', [BINARY_FIELD_HEADER]: binary[0], [BINARY_REST_HEADER]: encodeURIComponent(JSON.stringify(rest)) },
        body: binary[1] as Uint8Array<ArrayBuffer> | Blob,
      };
    }
  }
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(input ?? {}) };
}

/** An answer renderer/public/prefetch.js asked for while the app's code loaded. */
interface Prefetched {
  text: Promise<string>;
  uses: number;
  token: string;
  until: number;
}
declare global {
  interface Window {
    __roadshowPrefetch?: Record<string, Prefetched>;
  }
}

/**
 * The reads a page makes while it starts: asked for by prefetch.js (`PREFETCHED`) or alongside them by the
 * header and the check-in screen. Any other channel may write, and a write can make a prefetched answer stale
 * (a check-in changes the counts, a language change the settings): the first such call drops every
 * prefetched answer not taken yet, and later calls ask the host.
 */
const START_READS = new Set([
  'auth:status',
  'settings:get',
  'app:info',
  'stops:list',
  'tours:list',
  'checkin:counts',
  'checkin:search',
  'attendees:flagged',
  'sessions:list',
  'sync:status',
  'hub:status',
  'hub:serveStatus',
  'app:updateStatus',
]);

/** The prefetched answer to this very request (same channel, input and token), if one is still there to use. */
function takePrefetched(channel: string, body: BodyInit, token: string | null): Promise<string> | null {
  const answers = typeof window === 'undefined' ? undefined : window.__roadshowPrefetch;
  if (!answers) return null;
  if (!START_READS.has(channel)) {
    // prefetch.js checks this too before its second wave: nothing more is added after a write.
    delete window.__roadshowPrefetch;
    return null;
  }
  if (typeof body !== 'string') return null;
  const key = `${channel}\n${body}`;
  const a = answers[key];
  if (!a) return null;
  if (--a.uses <= 0 || Date.now() > a.until) delete answers[key];
  return a.token === token && Date.now() <= a.until ? a.text : null;
}

export function createHttpTransport(token: string | null, base = ''): Transport {
  return {
    sendsBlobs: true,
    async invoke(channel, input): Promise<Result<unknown>> {
      try {
        const { headers, body } = requestOf(input);
        const early = base === '' ? takePrefetched(channel, body, token) : null;
        if (early) return JSON.parse(await early) as Result<unknown>;
        // As is: the host serves one spelling of each path (no percent-escapes); channels are `domain:verb`.
        const res = await fetch(`${base}/api/${channel}`, {
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${token ?? ''}` },
          body,
        });
        return (await res.json()) as Result<unknown>;
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: { network: true } } };
      }
    },
  };
}
