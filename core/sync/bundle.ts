import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { EventEnvelope } from '../../shared/events/envelope';
import { CURRENT_SCHEMA_VERSION, EVENT_PAYLOADS, type EventType } from '../../shared/events/eventTypes';
import type { Store } from '../store/openStore';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import { SYNC_KEYS } from '../store/queries/syncQueries';
import { ensureDeviceKey, publishedKeyOf, signBytes, verifyBytes } from './deviceKey';

/**
 * USB bundles: with no network at all, a laptop's events travel on a stick. One file, gzip'd JSON:
 *   { format, version, signed: "<JSON of the manifest and events>", signature }
 * The signature (Ed25519, the device's key) covers the exact bytes of `signed`, so nothing has to
 * be re-serialised to check it. A bundle holds only the exporting device's own events, contiguous
 * from `fromSeq + 1` to `toSeq`, and is taken with the same rules as a push (idempotent, per device
 * contiguous), so importing it twice, or after the laptop synced, changes nothing.
 */
export const BUNDLE_FORMAT = 'roadshow-desk-bundle';
export const BUNDLE_VERSION = 1;
/** Refuse files beyond these sizes before any work (a bundle of 100,000 events is ~5 MB gzip'd). */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
export const MAX_BUNDLE_UNZIPPED = 512 * 1024 * 1024;

const Outer = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.number().int(),
  signed: z.string(),
  signature: z.string().min(1).max(200),
});

const Signed = z.object({
  deviceId: z.string().min(1).max(64),
  publicKey: z.string().min(40).max(200),
  createdAt: z.string(),
  fromSeq: z.number().int().nonnegative(),
  toSeq: z.number().int().nonnegative(),
  events: z.array(EventEnvelope),
});
export type BundleContent = z.infer<typeof Signed>;

export type BundleRefusal = 'not_a_bundle' | 'newer_version' | 'too_large' | 'bad_signature' | 'damaged' | 'key_mismatch' | 'unknown_key';

function refuse(reason: BundleRefusal, message: string, details: Record<string, unknown> = {}): AppError {
  // `context` makes i18next pick errors.BUNDLE_INVALID_<reason> (renderer/i18n), falling back to BUNDLE_INVALID.
  return new AppError('BUNDLE_INVALID', message, { reason, context: reason, ...details });
}

export interface BuiltBundle {
  bytes: Buffer;
  fileName: string;
  deviceId: string;
  fromSeq: number;
  toSeq: number;
  count: number;
}

/**
 * Writes the events HQ lacks (after the sequence HQ acknowledged, or all of them) to one signed,
 * compressed file. Makes the device key on first use.
 */
export function buildBundle(store: Store, opts: { scope?: 'unsent' | 'all'; now?: Date } = {}): BuiltBundle {
  const key = ensureDeviceKey(store);
  const acked = Number(createSettingsQueries(store.db).get(SYNC_KEYS.ackedSeq) ?? '0') || 0;
  const fromSeq = opts.scope === 'all' ? 0 : acked;
  const events: EventEnvelope[] = [];
  for (let after = fromSeq; ; ) {
    const page = store.events.eventsOfDevice(store.deviceId, after, 5000);
    events.push(...page);
    if (page.length < 5000) break;
    after = page[page.length - 1]!.deviceSeq;
  }
  if (events.length === 0) throw new AppError('BUNDLE_EMPTY', 'HQ already holds every event of this laptop; nothing to export.', { acked });
  const now = opts.now ?? new Date();
  const toSeq = events[events.length - 1]!.deviceSeq;
  const signed = JSON.stringify({ deviceId: store.deviceId, publicKey: key.publicKey, createdAt: now.toISOString(), fromSeq, toSeq, events } satisfies BundleContent);
  const outer = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, signed, signature: signBytes(key.privateKey, Buffer.from(signed, 'utf8')) };
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return {
    bytes: gzipSync(JSON.stringify(outer)),
    fileName: `roadshow-${store.deviceId.replace(/[^A-Za-z0-9_-]/g, '_')}-${fromSeq + 1}-${toSeq}-${stamp}.rsbundle`,
    deviceId: store.deviceId,
    fromSeq,
    toSeq,
    count: events.length,
  };
}

export interface VerifiedBundle extends BundleContent {
  /** 'published': the key matches the one the device published (a trusted copy). 'first_seen': no key known for the device yet; only the bundle's own key checked the signature. */
  keyStatus: 'published' | 'first_seen';
}

/**
 * Opens and checks a bundle: format, signature over the exact signed bytes, the events (the
 * device's own, contiguous, payloads valid), and the key against the one known for the device.
 * Throws BUNDLE_INVALID with a `reason` the UI explains; never returns a partly checked bundle.
 */
export function readBundle(bytes: Buffer, expectedKey: (deviceId: string) => string | null): VerifiedBundle {
  if (bytes.length > MAX_BUNDLE_BYTES) throw refuse('too_large', `The file is over ${MAX_BUNDLE_BYTES} bytes.`);
  let text: string;
  try {
    text = gunzipSync(bytes, { maxOutputLength: MAX_BUNDLE_UNZIPPED }).toString('utf8');
  } catch (err) {
    const tooBig = err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw refuse(tooBig ? 'too_large' : 'not_a_bundle', tooBig ? 'The bundle unpacks to more than allowed.' : 'This file is not a Roadshow Desk bundle (not gzip).');
  }
  let outer: z.infer<typeof Outer>;
  try {
    outer = Outer.parse(JSON.parse(text));
  } catch {
    throw refuse('not_a_bundle', 'This file is not a Roadshow Desk bundle.');
  }
  if (outer.version > BUNDLE_VERSION) throw refuse('newer_version', `The bundle was written by a newer app (format ${outer.version}).`, { version: outer.version });
  let content: BundleContent;
  try {
    content = Signed.parse(JSON.parse(outer.signed));
  } catch {
    throw refuse('damaged', 'The bundle’s contents are damaged.');
  }
  if (!verifyBytes(content.publicKey, Buffer.from(outer.signed, 'utf8'), outer.signature)) {
    throw refuse('bad_signature', 'The bundle’s signature does not match its contents: it was changed after it was written.', { deviceId: content.deviceId });
  }
  const { deviceId, fromSeq, toSeq, events } = content;
  events.forEach((e, i) => {
    if (e.deviceId !== deviceId || e.deviceSeq !== fromSeq + 1 + i) throw refuse('damaged', `Event ${i + 1} of the bundle is not the device’s next event.`, { deviceId });
    if (e.type in EVENT_PAYLOADS && e.schemaVersion <= CURRENT_SCHEMA_VERSION && !EVENT_PAYLOADS[e.type as EventType].safeParse(e.payload).success) {
      throw refuse('damaged', `Event ${e.deviceSeq} (${e.type}) has an invalid payload.`, { deviceId });
    }
  });
  if (events.length > 0 && events[events.length - 1]!.deviceSeq !== toSeq) throw refuse('damaged', 'The bundle’s event range does not match its events.', { deviceId });
  const known = expectedKey(deviceId);
  if (known !== null && known !== content.publicKey) {
    throw refuse('key_mismatch', `The bundle is signed with a key that is not ${deviceId}’s.`, { deviceId });
  }
  return { ...content, keyStatus: known === null ? 'first_seen' : 'published' };
}

export interface BundleImportReport {
  deviceId: string;
  fromSeq: number;
  toSeq: number;
  createdAt: string;
  events: number;
  added: number;
  alreadyHeld: number;
  /** Events not taken (at HQ: a gap before them; here the bundle is all or nothing, so 0). */
  rejected: number;
  keyStatus: VerifiedBundle['keyStatus'];
  /** Why events were rejected (a gap at HQ). */
  refusedBecause?: string;
}

/** Imports a bundle at another laptop, with the same idempotence as a pull (store.events.ingest). */
export function importBundleIntoStore(store: Store, bytes: Buffer): BundleImportReport {
  const b = readBundle(bytes, (id) => publishedKeyOf(store, id));
  const report = store.events.ingest(b.events);
  return {
    deviceId: b.deviceId,
    fromSeq: b.fromSeq,
    toSeq: b.toSeq,
    createdAt: b.createdAt,
    events: b.events.length,
    added: report.added,
    alreadyHeld: report.duplicates,
    rejected: 0,
    keyStatus: b.keyStatus,
  };
}
