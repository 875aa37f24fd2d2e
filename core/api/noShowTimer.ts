import { readSettings } from './appHandlers';
import type { ApiContext } from './apiContext';
import { runNoShowSweep, sweptStops } from './noShowHandlers';

/**
 * The host's no-show timer (issue #19), started by bootstrap for Electron and browser mode alike,
 * like the hourly backup: every `everyMs` it runs one sweep of the desk's current stop. Time comes
 * from the store's clock, so a test host on a moved clock (`--clock-file`) expires offers on it.
 * The events it writes have no actor: nobody signed in did them.
 */
export function startNoShowSchedule(getCtx: () => ApiContext, everyMs = 15_000): () => void {
  const timer = setInterval(() => {
    try {
      const ctx = { ...getCtx(), actorId: null };
      if (!ctx.store.db.open) return;
      const stops = sweptStops(ctx, readSettings(ctx).currentStopId);
      if (stops.length > 0) runNoShowSweep(ctx, stops);
    } catch (err) {
      console.error('[no-show] the no-show and offer timer failed', err);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
