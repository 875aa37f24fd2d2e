import { afterEach, describe, expect, it } from 'vitest';
import { createSettingsQueries } from '../../../core/store/queries/settingsQueries';
import { SYNC_KEYS } from '../../../core/store/queries/syncQueries';
import { buildBundle, importBundleIntoStore } from '../../../core/sync/bundle';
import { checkStopAtHq } from '../../../core/sync/stopClose';
import { SyncClient } from '../../../core/sync/syncClient';
import { AppError } from '../../../shared/errors';
import { createTestHq, type TestHq } from '../../helpers/hqHarness';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';

let hq: TestHq | undefined;
afterEach(async () => {
  await hq?.close();
  hq = undefined;
});

describe('closing a stop: every desk’s events at HQ, by digest', () => {
  it('lists the desk HQ lacks events of, with what it lacks, until it syncs', async () => {
    hq = await createTestHq('sqlite');
    const lead = createLaptop('desk-lead');
    const other = createLaptop('desk-b');
    const leadToken = await hq.enroll('desk-lead');
    const otherToken = await hq.enroll('desk-b');
    createSettingsQueries(lead.db).set(SYNC_KEYS.url, 'http://hq.test');
    createSettingsQueries(lead.db).set(SYNC_KEYS.token, leadToken);
    const transportFor = () => hq!.transport;

    writeActivity(lead, 2, { stopId: 'stop-x' });
    writeActivity(other, 1, { stopId: 'stop-x' });
    writeActivity(other, 1, { stopId: 'stop-elsewhere' });
    await new SyncClient(other, hq.transport, otherToken).sync();
    await new SyncClient(lead, hq.transport, leadToken).sync();
    // desk-b goes on offline; its newer events reach the lead on a USB stick, not HQ.
    writeActivity(other, 1, { stopId: 'stop-x' });
    importBundleIntoStore(lead, buildBundle(other, { scope: 'all' }).bytes);

    const before = await checkStopAtHq(lead, 'stop-x', transportFor);
    expect(before.complete).toBe(false);
    expect(before.desks).toEqual([
      { deviceId: 'desk-b', localCount: 13, localMaxSeq: 13, hqCount: 8, hqMaxSeq: 8, missing: 5, notPulledHere: 0, complete: false },
      { deviceId: 'desk-lead', localCount: 8, localMaxSeq: 8, hqCount: 8, hqMaxSeq: 8, missing: 0, notPulledHere: 0, complete: true },
    ]);
    await new SyncClient(other, hq.transport, otherToken).sync();
    const after = await checkStopAtHq(lead, 'stop-x', transportFor);
    expect(after.complete).toBe(true);
    expect(after.desks.map((d) => d.missing)).toEqual([0, 0]);
  });

  it('says why when the laptop is not enrolled or HQ cannot be reached', async () => {
    const lead = createLaptop('desk-lead');
    await expect(checkStopAtHq(lead, 'stop-x')).rejects.toMatchObject({ code: 'SYNC_NOT_CONFIGURED' });
    createSettingsQueries(lead.db).set(SYNC_KEYS.url, 'http://127.0.0.1:9');
    await expect(checkStopAtHq(lead, 'stop-x')).rejects.toMatchObject({ code: 'SYNC_NOT_ENROLLED' });
    createSettingsQueries(lead.db).set(SYNC_KEYS.token, 'rsd_' + 'x'.repeat(40));
    const err = await checkStopAtHq(lead, 'stop-x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('SYNC_OFFLINE');
  });
});
