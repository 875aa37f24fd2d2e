import type { AdminStore } from '../admin/adminStore';

/** How long a "last sync" may wait in memory before it is written (a crash loses at most this much of it). */
export const LAST_SYNC_FLUSH_MS = 30_000;

/**
 * When each device last completed a sync call (the Devices page's "last sync"), kept in memory on
 * the sync path and written to the admin store lazily: at most one write every LAST_SYNC_FLUSH_MS
 * for every device that synced meanwhile (one transaction), and when the server closes. A sync
 * request never waits for a write; the page reads the stored times with the newer ones from memory.
 */
export class LastSyncTracker {
  private readonly pending = new Map<string, { at: string; call: string }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly admin: AdminStore,
    private readonly flushMs = LAST_SYNC_FLUSH_MS,
  ) {}

  note(deviceId: string, call: string, at: Date): void {
    this.pending.set(deviceId, { at: at.toISOString(), call });
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Writes what is waiting (one transaction). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const entries = [...this.pending].map(([deviceId, v]) => ({ deviceId, ...v }));
    this.pending.clear();
    try {
      this.admin.devicesSeen(entries);
    } catch (err) {
      // Kept for the next flush, unless a newer time came in meanwhile.
      for (const e of entries) if (!this.pending.has(e.deviceId)) this.pending.set(e.deviceId, { at: e.at, call: e.call });
      console.error('[hq] could not store the devices\' last sync', err);
    }
  }

  /** Every device's last sync: the stored ones, newer ones from memory. */
  all(): Map<string, { at: string; call: string }> {
    const out = this.admin.lastSeen();
    for (const [id, v] of this.pending) out.set(id, v);
    return out;
  }
}
