import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../core/sync/bundle';
import { ensureDeviceKey } from '../../../core/sync/deviceKey';
import { SyncClient } from '../../../core/sync/syncClient';
import { describeBundleReport, importBundleAtHq } from '../../../hq/server/admin/bundleImport';
import { AppError } from '../../../shared/errors';
import { createTestHq, type TestHq } from '../../helpers/hqHarness';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';

let hq: TestHq | undefined;
afterEach(async () => {
  await hq?.close();
  hq = undefined;
});

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.details?.reason;
    throw err;
  }
  throw new Error('expected a refusal');
}

const heldAtHq = async (h: TestHq, deviceId: string) => (await h.storage.digest(deviceId))[0]?.count ?? 0;

describe('USB bundle imported at HQ', () => {
  it('takes the events HQ lacks, checked against the key the laptop published at enrollment, idempotently', async () => {
    hq = await createTestHq('sqlite');
    const laptop = createLaptop('desk-boston-a');
    ensureDeviceKey(laptop); // what sync:enroll does
    writeActivity(laptop, 2);
    await new SyncClient(laptop, hq.transport, await hq.enroll('desk-boston-a')).sync();
    expect(await heldAtHq(hq, 'desk-boston-a')).toBe(9);
    // The hall's network is down: 3 more people, carried on a USB stick.
    writeActivity(laptop, 3);
    const bundle = buildBundle(laptop);
    expect(bundle).toMatchObject({ fromSeq: 9, toSeq: 21, count: 12 });
    const report = await importBundleAtHq(hq.storage, hq.projections, bundle.bytes);
    expect(report).toMatchObject({ added: 12, alreadyHeld: 0, rejected: 0, keyStatus: 'published' });
    expect(await heldAtHq(hq, 'desk-boston-a')).toBe(21);
    expect(hq.store.events.projectionHash()).toBe(laptop.events.projectionHash());
    // Twice: nothing changes, and the report says why.
    const again = await importBundleAtHq(hq.storage, hq.projections, bundle.bytes);
    expect(again).toMatchObject({ added: 0, alreadyHeld: 12, rejected: 0 });
    expect(describeBundleReport(again)).toContain('Nothing new: HQ already held every event of this bundle.');
  });

  it('refuses a tampered bundle and stores nothing from it', async () => {
    hq = await createTestHq('sqlite');
    const laptop = createLaptop('desk-a');
    ensureDeviceKey(laptop);
    await new SyncClient(laptop, hq.transport, await hq.enroll('desk-a')).sync();
    writeActivity(laptop, 2);
    const outer = JSON.parse(gunzipSync(buildBundle(laptop).bytes).toString());
    outer.signed = outer.signed.replace('"checked_in"', '"check_in_voided"');
    expect(await refusal(importBundleAtHq(hq.storage, hq.projections, gzipSync(JSON.stringify(outer))))).toBe('bad_signature');
    expect(await heldAtHq(hq, 'desk-a')).toBe(1);
  });

  it('refuses the bundle of a device whose key HQ never received, unless an admin trusts it', async () => {
    hq = await createTestHq('sqlite');
    const laptop = createLaptop('desk-never-synced');
    writeActivity(laptop, 1);
    const bytes = buildBundle(laptop).bytes;
    expect(await refusal(importBundleAtHq(hq.storage, hq.projections, bytes))).toBe('unknown_key');
    expect(await heldAtHq(hq, 'desk-never-synced')).toBe(0);
    expect(await importBundleAtHq(hq.storage, hq.projections, bytes, { trustKey: true })).toMatchObject({ added: 5, keyStatus: 'first_seen' });
  });

  it('rejects events that would leave a gap at HQ, and explains', async () => {
    hq = await createTestHq('sqlite');
    const laptop = createLaptop('desk-a');
    ensureDeviceKey(laptop);
    await new SyncClient(laptop, hq.transport, await hq.enroll('desk-a')).sync();
    writeActivity(laptop, 1);
    const first = buildBundle(laptop); // seqs 2–5
    // The laptop believes HQ got the first bundle, writes more, exports only the new part.
    laptop.db.prepare("UPDATE settings SET value = '5' WHERE key = 'hq_acked_seq'").run();
    writeActivity(laptop, 1);
    const second = buildBundle(laptop); // seqs 6–9
    const report = await importBundleAtHq(hq.storage, hq.projections, second.bytes);
    expect(report).toMatchObject({ added: 0, rejected: 4 });
    expect(describeBundleReport(report).join(' ')).toMatch(/HQ lacks earlier events of this device \(gap: expected 2\)/);
    expect(await importBundleAtHq(hq.storage, hq.projections, first.bytes)).toMatchObject({ added: 4 });
    expect(await importBundleAtHq(hq.storage, hq.projections, second.bytes)).toMatchObject({ added: 4, rejected: 0 });
    expect(await heldAtHq(hq, 'desk-a')).toBe(9);
  });
});
