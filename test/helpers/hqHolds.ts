import type { Store } from '../../core/store/openStore';
import type { HqStorage } from '../../hq/server/storage';

/**
 * Makes HQ's storage hold a laptop's events as if every device in it had synced (the laptop's own
 * push carries only its own events; the demo's other devices sync from their own laptops).
 * `except` leaves out events (HQ lacks them), which cuts that device's log there.
 */
export async function hqHolds(storage: HqStorage, store: Store, opts: { except?: (e: { eventId: string; stopId: string | null }) => boolean } = {}): Promise<void> {
  const devices = store.db.prepare<[], { device_id: string }>('SELECT DISTINCT device_id FROM events ORDER BY device_id').all();
  for (const { device_id } of devices) {
    const all = store.events.eventsOfDevice(device_id, 0, 10_000_000);
    const cut = opts.except ? all.findIndex((e) => opts.except!(e)) : -1;
    const events = (cut === -1 ? all : all.slice(0, cut)).map((e) => ({ ...e, payloadText: JSON.stringify(e.payload) }));
    for (let i = 0; i < events.length; i += 500) {
      const out = await storage.pushBatch(device_id, events.slice(i, i + 500), new Date().toISOString());
      if (!out.ok) throw new Error(`HQ refused ${device_id}'s events: ${out.code}`);
    }
  }
}
