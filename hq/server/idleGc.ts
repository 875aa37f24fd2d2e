import v8 from 'node:v8';
import vm from 'node:vm';
import type { FastifyInstance } from 'fastify';

/** Quiet time after the last sync request before the collection (a push of 100,000 events is ~100 requests a few ms apart). */
const IDLE_MS = 1_500;

/**
 * V8's collector, as `--expose-gc` gives it: asked for at run time the way Jest's leak detector does
 * (the flag set, then `gc` read from a context made after it). Null where that is not possible.
 */
function collector(): (() => void) | null {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

/**
 * HQ's memory after a burst of sync (issue #20). Every push leaves its body behind as garbage (the
 * text, up to 1 MiB, twice that once it holds a non-Latin-1 character, and its parsed events); V8
 * collects it when its heap would grow, not when the server goes quiet, so after receiving 100,000
 * events HQ held ~120 MB of dead pushes (~40% of its memory) until the next burst. Once sync requests
 * stop for IDLE_MS, one full collection returns that memory; a burst still running is never
 * interrupted (the timer restarts with each request).
 */
export function collectAfterSyncBursts(app: FastifyInstance): void {
  const gc = collector();
  if (!gc) return;
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onResponse', async (req) => {
    if (req.routeOptions.url?.startsWith('/v1/sync/') !== true) return;
    if (timer) timer.refresh();
    else {
      timer = setTimeout(() => {
        timer = null;
        gc();
      }, IDLE_MS);
      timer.unref();
    }
  });
}
