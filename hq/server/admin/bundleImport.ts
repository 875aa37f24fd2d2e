import { readBundle, type BundleImportReport } from '../../../core/sync/bundle';
import { publishedKeyOf } from '../../../core/sync/deviceKey';
import { AppError } from '../../../shared/errors';
import type { HqProjections } from '../hqProjections';
import { importEvents } from '../importEvents';
import type { HqStorage } from '../storage';

/**
 * A USB bundle taken at HQ (CLI `import-bundle`, dashboard upload): checked against the key the
 * device published over its authenticated push, then stored with the push rules (importEvents:
 * per device contiguous, idempotent, one transaction per batch) and projected.
 * `trustKey` lets an admin accept the first bundle of a device that never synced over the network.
 */
export async function importBundleAtHq(storage: HqStorage, projections: HqProjections, bytes: Buffer, opts: { trustKey?: boolean } = {}): Promise<BundleImportReport> {
  await projections.catchUp(); // keys published in pushes HQ accepted but has not projected yet
  const bundle = readBundle(bytes, (id) => publishedKeyOf(projections.store, id));
  if (bundle.keyStatus === 'first_seen' && !opts.trustKey) {
    throw new AppError('BUNDLE_INVALID', `HQ holds no signing key for ${bundle.deviceId} yet.`, { reason: 'unknown_key', context: 'unknown_key', deviceId: bundle.deviceId });
  }
  const report = await importEvents(storage, bundle.events);
  await projections.catchUp();
  const rejected = bundle.events.length - report.added - report.duplicates;
  return {
    deviceId: bundle.deviceId,
    fromSeq: bundle.fromSeq,
    toSeq: bundle.toSeq,
    createdAt: bundle.createdAt,
    events: bundle.events.length,
    added: report.added,
    alreadyHeld: report.duplicates,
    rejected,
    keyStatus: bundle.keyStatus,
    ...(report.refused.length > 0 ? { refusedBecause: report.refused.map((r) => r.reason).join('; ') } : {}),
  };
}

/** One line per fact, for the CLI and the dashboard. */
export function describeBundleReport(r: BundleImportReport): string[] {
  const lines = [
    `Bundle of ${r.deviceId}: events ${r.fromSeq + 1}–${r.toSeq} (${r.events}), written ${r.createdAt}.`,
    `Added ${r.added}; already held ${r.alreadyHeld}; rejected ${r.rejected}.`,
  ];
  if (r.keyStatus === 'first_seen') lines.push('Signature checked with the key in the bundle only (trusted by the admin).');
  if (r.rejected > 0) lines.push(`Not taken: HQ lacks earlier events of this device (${r.refusedBecause ?? 'gap'}); import the earlier bundle or sync first.`);
  if (r.added === 0 && r.rejected === 0) lines.push('Nothing new: HQ already held every event of this bundle.');
  return lines;
}
