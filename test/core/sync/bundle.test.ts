import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createSettingsQueries } from '../../../core/store/queries/settingsQueries';
import { SYNC_KEYS } from '../../../core/store/queries/syncQueries';
import { buildBundle, importBundleIntoStore, readBundle } from '../../../core/sync/bundle';
import { ensureDeviceKey, publishedKeyOf, signBytes } from '../../../core/sync/deviceKey';
import { AppError } from '../../../shared/errors';
import { createLaptop, eventCount, writeActivity } from '../../helpers/syncFixtures';

function refusal(fn: () => unknown): { code: string; reason: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, reason: err.details?.reason };
    throw err;
  }
  throw new Error('expected a refusal');
}

/** Rewrites the signed contents of a bundle without re-signing it (what a tamperer can do). */
function tamper(bytes: Buffer, change: (signed: any) => void): Buffer {
  const outer = JSON.parse(gunzipSync(bytes).toString('utf8'));
  const signed = JSON.parse(outer.signed);
  change(signed);
  outer.signed = JSON.stringify(signed);
  return gzipSync(JSON.stringify(outer));
}

describe('USB bundles between laptops', () => {
  it('round-trips a laptop’s events to another laptop, which then computes the same state', () => {
    const a = createLaptop('desk-a');
    const b = createLaptop('desk-b');
    writeActivity(a, 5);
    const bundle = buildBundle(a);
    // 1 key event + 5 people × 4 events, nothing acknowledged by HQ yet.
    expect(bundle).toMatchObject({ deviceId: 'desk-a', fromSeq: 0, toSeq: 21, count: 21 });
    expect(bundle.fileName).toMatch(/^roadshow-desk-a-1-21-\d{8}-\d{4}\.rsbundle$/);
    const report = importBundleIntoStore(b, bundle.bytes);
    expect(report).toMatchObject({ deviceId: 'desk-a', events: 21, added: 21, alreadyHeld: 0, rejected: 0, keyStatus: 'first_seen' });
    expect(b.events.projectionHash()).toBe(a.events.projectionHash());
    expect(publishedKeyOf(b, 'desk-a')).toBe(ensureDeviceKey(a).publicKey);
  });

  it('imports the same bundle twice without doubling anything, and says so', () => {
    const a = createLaptop('desk-a');
    const b = createLaptop('desk-b');
    writeActivity(a, 3);
    const bytes = buildBundle(a).bytes;
    importBundleIntoStore(b, bytes);
    const hash = b.events.projectionHash();
    const again = importBundleIntoStore(b, bytes);
    expect(again).toMatchObject({ added: 0, alreadyHeld: 13, rejected: 0, keyStatus: 'published' });
    expect(eventCount(b)).toBe(13);
    expect(b.events.projectionHash()).toBe(hash);
  });


  it('refuses a tampered bundle and imports nothing from it', () => {
    const a = createLaptop('desk-a');
    const b = createLaptop('desk-b');
    writeActivity(a, 2);
    const bytes = buildBundle(a).bytes;
    const changed = tamper(bytes, (s) => (s.events[3].payload.familyName = 'Mallory'));
    expect(refusal(() => importBundleIntoStore(b, changed))).toEqual({ code: 'BUNDLE_INVALID', reason: 'bad_signature' });
    const dropped = tamper(bytes, (s) => s.events.splice(2, 1));
    expect(refusal(() => importBundleIntoStore(b, dropped))).toEqual({ code: 'BUNDLE_INVALID', reason: 'bad_signature' });
    expect(refusal(() => importBundleIntoStore(b, Buffer.from('hello')))).toEqual({ code: 'BUNDLE_INVALID', reason: 'not_a_bundle' });
    expect(refusal(() => importBundleIntoStore(b, gzipSync('{"format":"other"}')))).toEqual({ code: 'BUNDLE_INVALID', reason: 'not_a_bundle' });
    expect(eventCount(b)).toBe(0);
  });

  it('refuses a bundle signed with another key than the one the device published', () => {
    const a = createLaptop('desk-a');
    const b = createLaptop('desk-b');
    writeActivity(a, 1);
    importBundleIntoStore(b, buildBundle(a).bytes); // b learns desk-a's key
    // An impostor laptop that calls itself desk-a, with its own key.
    const impostor = createLaptop('desk-a');
    writeActivity(impostor, 3);
    expect(refusal(() => importBundleIntoStore(b, buildBundle(impostor).bytes))).toEqual({ code: 'BUNDLE_INVALID', reason: 'key_mismatch' });
    expect(eventCount(b)).toBe(5);
  });

  it('refuses a validly signed bundle that carries another device’s events', () => {
    const a = createLaptop('desk-a');
    const other = createLaptop('desk-x');
    writeActivity(other, 1);
    const key = ensureDeviceKey(a);
    const signed = JSON.stringify({ deviceId: 'desk-a', publicKey: key.publicKey, createdAt: new Date().toISOString(), fromSeq: 0, toSeq: 4, events: other.events.eventsOfDevice('desk-x', 0, 10) });
    const forged = gzipSync(JSON.stringify({ format: 'roadshow-desk-bundle', version: 1, signed, signature: signBytes(key.privateKey, Buffer.from(signed)) }));
    expect(refusal(() => readBundle(forged, () => null))).toEqual({ code: 'BUNDLE_INVALID', reason: 'damaged' });
  });
});

describe('buildBundle with nothing new', () => {
  it('answers BUNDLE_EMPTY', () => {
    const a = createLaptop('desk-a');
    ensureDeviceKey(a);
    createSettingsQueries(a.db).set(SYNC_KEYS.ackedSeq, '1');
    expect(refusal(() => buildBundle(a))).toEqual({ code: 'BUNDLE_EMPTY', reason: undefined });
  });
});

describe('buildBundle scope', () => {
  it('exports only what HQ has not acknowledged, or everything when asked', () => {
    const a = createLaptop('desk-a');
    writeActivity(a, 2); // seqs 1–8
    createSettingsQueries(a.db).set(SYNC_KEYS.ackedSeq, '8');
    expect(buildBundle(a)).toMatchObject({ fromSeq: 8, toSeq: 9, count: 1 }); // the key event made now
    expect(buildBundle(a, { scope: 'all' })).toMatchObject({ fromSeq: 0, toSeq: 9, count: 9 });
  });
});
