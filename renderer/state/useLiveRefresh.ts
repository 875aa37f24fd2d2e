import { useEffect, useRef } from 'react';
import { hubConfigured, useHubStore } from './hubStore';

/** How often a desk screen asks whether the local data changed while a venue hub is set up. */
export const LIVE_REFRESH_MS = 2_000;

/**
 * Calls `onChange` when this desk's data changed underneath the screen: while a venue hub is set
 * up, the hub status (cheap: a few counters) is read every `intervalMs`, and a new `logPosition`
 * means events arrived (another desk's check-in synced in) or were written here. Without a hub
 * nothing is polled. Any poller of the hub status (the header badge, the Sync screen) also counts.
 */
export function useLiveRefresh(onChange: () => void, intervalMs = LIVE_REFRESH_MS): void {
  const handler = useRef(onChange);
  handler.current = onChange;

  useEffect(() => {
    let running = false;
    const unsubscribe = useHubStore.subscribe((s, prev) => {
      if (s.status && prev.status && s.status.logPosition !== prev.status.logPosition) handler.current();
    });
    const poll = async () => {
      if (running) return;
      running = true;
      try {
        await useHubStore.getState().load();
      } finally {
        running = false;
      }
    };
    void poll();
    const timer = setInterval(() => {
      if (hubConfigured(useHubStore.getState().status)) void poll();
    }, intervalMs);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [intervalMs]);
}
