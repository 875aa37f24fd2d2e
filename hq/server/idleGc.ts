import v8 from 'node:v8';
import vm from 'node:vm';
import type { FastifyInstance } from 'fastify';

/** Quiet time after the last sync request before the collection (a push of 100,000 events is ~100 requests a few ms apart). */
const IDLE_MS = 1_500;
/** During a long burst: a collection once the heap holds this much more than after the last one (a few dozen pushes). */
const GROWTH_BYTES = 48 * 1024 * 1024;

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
 * events HQ's heap held ~85 MB of dead pushes (a third of its memory) until the next burst. Once sync
 * requests stop for IDLE_MS, one full collection returns that memory (the timer restarts with each
 * request); during a burst, one once the heap grew GROWTH_BYTES since the last.
 */
export function collectAfterSyncBursts(app: FastifyInstance): void {
  const gc = collector();
  if (!gc) return;
  let timer: NodeJS.Timeout | null = null;
  let floor = v8.getHeapStatistics().used_heap_size;
  const collect = () => {
    gc();
    floor = v8.getHeapStatistics().used_heap_size;
  };
  app.addHook('onResponse', async (req) => {
    if (req.routeOptions.url?.startsWith('/v1/sync/') !== true) return;
    // A long burst (a large backlog, many desks) is kept from piling up its garbage too: the answer
    // has gone out, the next request waits the collection (~10–20 ms for a heap of dead pushes).
    if (v8.getHeapStatistics().used_heap_size - floor > GROWTH_BYTES) collect();
    if (timer) timer.refresh();
    else {
      timer = setTimeout(() => {
        timer = null;
        collect();
      }, IDLE_MS);
      timer.unref();
    }
  });
}
