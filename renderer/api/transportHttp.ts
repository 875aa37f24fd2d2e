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

export function createHttpTransport(token: string | null, base = ''): Transport {
  return {
    async invoke(channel, input): Promise<Result<unknown>> {
      try {
        const res = await fetch(`${base}/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as Result<unknown>;
      } catch (err) {
        return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: { network: true } } };
      }
    },
  };
}
