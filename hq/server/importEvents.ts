import { EventEnvelope } from '../../shared/events/envelope';
import { MAX_BATCH_EVENTS } from '../../shared/sync/hqProtocol';
import type { HqStorage } from './storage';

export interface ImportReport {
  added: number;
  duplicates: number;
  /** Devices whose events could not be taken (a gap or a clash), with why. */
  refused: { deviceId: string; reason: string }[];
}

/**
 * Takes events that arrive other than by a device's own push (HQ's demo seed; the USB bundles of
 * issue #8) under the same rules: per device contiguous, idempotent, one transaction per batch.
 */
export async function importEvents(storage: HqStorage, raw: readonly unknown[], receivedAt = new Date().toISOString()): Promise<ImportReport> {
  const byDevice = new Map<string, EventEnvelope[]>();
  for (const r of raw) {
    const e = EventEnvelope.parse(r);
    const list = byDevice.get(e.deviceId) ?? [];
    list.push(e);
    byDevice.set(e.deviceId, list);
  }
  const report: ImportReport = { added: 0, duplicates: 0, refused: [] };
  for (const [deviceId, list] of [...byDevice].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => a.deviceSeq - b.deviceSeq);
    for (let i = 0; i < list.length; i += MAX_BATCH_EVENTS) {
      const batch = list.slice(i, i + MAX_BATCH_EVENTS).map((e) => ({ ...e, payloadText: JSON.stringify(e.payload) }));
      const out = await storage.pushBatch(deviceId, batch, receivedAt);
      if (!out.ok) {
        report.refused.push({ deviceId, reason: out.code === 'GAP' ? `gap: expected ${out.expectedSeq}` : out.code });
        break;
      }
      report.added += out.added;
      report.duplicates += out.duplicates;
    }
  }
  return report;
}
