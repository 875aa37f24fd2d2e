import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../core/api/apiContext';
import { hubServiceOf, resumeServing } from '../../core/api/hubHandlers';
import type { Store } from '../../core/store/openStore';
import { createSyncQueries } from '../../core/store/queries/syncQueries';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { EmbeddedHub } from '../../hq/server/hub/embeddedHub';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { parseHubInvite } from '../../shared/sync/hubInvite';
import { callApi, callApiError } from '../helpers/callApi';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function desk(deviceId: string, hubHost?: EmbeddedHub): { ctx: ApiContext; store: Store } {
  const store = createLaptop(deviceId);
  const ctx: ApiContext = { store, mode: 'browser', dataDir: tempDir('roadshow-desk-'), version: 'test', actorId: null, hubHost };
  cleanups.push(() => {
    hubServiceOf(ctx).stop();
    store.close();
  });
  return { ctx, store };
}

function embeddedHub(dir: string, key: Buffer, port = 0): EmbeddedHub {
  const hub = new EmbeddedHub({ dir, key, port });
  cleanups.push(() => hub.stop());
  return hub;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the venue hub run from the desk app (hub:serve)', () => {
  it('serves the desks, joins its own desk, keeps its log encrypted, relays to HQ, stops and resumes', async () => {
    // HQ on loopback, with a code for a hub.
    const hqStorage = new SqliteHqStorage(path.join(tempDir('roadshow-ehq-'), 'hq-events.sqlite'));
    const hq = buildHqApp({ storage: hqStorage });
    await hq.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(async () => {
      await hq.close();
      await hqStorage.close();
    });
    const hqUrl = `http://127.0.0.1:${(hq.server.address() as { port: number }).port}`;
    const hubCode = (await issueEnrollmentCode(hqStorage, { role: 'hub' })).code;

    const key = randomBytes(32);
    const hubDir = tempDir('roadshow-ehub-');
    const lead = desk('lead-laptop', embeddedHub(hubDir, key));
    expect(await callApi(lead.ctx, 'hub:serveStatus', {})).toMatchObject({ available: true, serving: false, invite: null });
    await callApi(lead.ctx, 'sync:configure', { url: hqUrl });
    const served = await callApi(lead.ctx, 'hub:serve', { on: true, upstreamCode: hubCode });
    expect(served).toMatchObject({ available: true, serving: true, desks: 1, upstream: { configured: true } });
    expect(served.inviteQr).toMatch(/^data:image\/png;base64,/);
    const invite = parseHubInvite(served.invite!)!;
    expect(invite).toEqual({ url: served.address, certFingerprint: served.fingerprint, code: served.joinCode });
    // The lead's own desk is a desk of its hub, over loopback, with the pin.
    expect(await callApi(lead.ctx, 'hub:status', {})).toMatchObject({ enrolled: true, auto: true, certFingerprint: served.fingerprint });

    // Another desk joins with the invite; a check-in there reaches the lead's desk, and HQ.
    const other = desk('desk-two');
    await callApi(other.ctx, 'hub:connect', { url: invite.url, certFingerprint: invite.certFingerprint!, code: invite.code!, label: 'Desk 2' });
    const { registrationIds } = writeActivity(other.store, 2, { prefix: 'Jeon' });
    await until('desk two’s check-in at the lead’s desk', () => lead.store.db.prepare('SELECT 1 FROM check_ins WHERE registration_id = ?').get(registrationIds[1]!) !== undefined);
    await until('HQ holds desk two’s events', async () => (await hqStorage.digest('desk-two'))[0]?.count === 8);
    expect((await callApi(lead.ctx, 'hub:serveStatus', {})).desks).toBe(2);

    // Desk two forgets the hub; the shared join code does not take over its known id, a one-use code does.
    await callApi(other.ctx, 'hub:forget', {});
    expect((await callApiError(other.ctx, 'hub:connect', { url: invite.url, certFingerprint: invite.certFingerprint!, code: invite.code! })).code).toBe('SYNC_DEVICE_EXISTS');
    const rejoin = await callApi(lead.ctx, 'hub:rejoinCode', { deviceId: 'desk-two' });
    expect(await callApi(other.ctx, 'hub:connect', { url: invite.url, certFingerprint: invite.certFingerprint!, code: rejoin.code })).toMatchObject({ enrolled: true });
    expect((await callApi(other.ctx, 'hub:syncNow', {})).digest.ok).toBe(true);

    // The hub's log and its state file are encrypted like the desk's store: no SQLite header, no names.
    for (const file of ['hq-events.sqlite', 'hub-upstream.sqlite']) {
      const bytes = readFileSync(path.join(hubDir, file));
      expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
      expect(bytes.includes(Buffer.from('Jeon1'))).toBe(false);
    }

    // A second hub on the same port is refused with a clear reason.
    const port = (await lead.ctx.hubHost!.status())!.port;
    const clash = desk('clash-laptop', embeddedHub(tempDir('roadshow-ehub2-'), key, port));
    expect(await callApiError(clash.ctx, 'hub:serve', { on: true })).toMatchObject({ code: 'HUB_PORT_IN_USE', details: { port } });

    // The app closes and opens again: the hub serves again (same certificate), the lead's desk re-joins.
    const hub2 = embeddedHub(hubDir, key);
    const reopened = desk('lead-again', hub2);
    reopened.ctx.store.close();
    reopened.ctx.store = lead.store;
    await lead.ctx.hubHost!.stop();
    hubServiceOf(lead.ctx).stop();
    await resumeServing(reopened.ctx);
    const again = await callApi(reopened.ctx, 'hub:serveStatus', {});
    expect(again).toMatchObject({ serving: true, fingerprint: served.fingerprint, upstream: { configured: true } });
    expect(hubServiceOf(reopened.ctx).status()).toMatchObject({ enrolled: true, hubUrl: `https://127.0.0.1:${(await hub2.status())!.port}` });
    await callApi(reopened.ctx, 'hub:syncNow', {});

    // Stopping with "delete the hub's copy": done only once HQ holds all of it (one last relay first).
    writeActivity(lead.store, 1, { prefix: 'Late' });
    await callApi(reopened.ctx, 'hub:syncNow', {});
    expect(await callApi(reopened.ctx, 'hub:serve', { on: false, deleteData: true })).toMatchObject({ serving: false, invite: null });
    expect(existsSync(path.join(hubDir, 'hq-events.sqlite'))).toBe(false);
    expect(existsSync(path.join(hubDir, 'hub-upstream.sqlite'))).toBe(false);
    expect(existsSync(path.join(hubDir, 'hub-cert.pem'))).toBe(true);
    expect((await hqStorage.digest('lead-laptop'))[0]?.count).toBe(4); // relayed in the last round
    expect(hubServiceOf(reopened.ctx).status()).toMatchObject({ hubUrl: null, enrolled: false });
    expect(createSyncQueries(lead.store.db).get('hub_serve')).toBe('0');
    expect(lead.store.db.prepare('SELECT COUNT(*) AS n FROM check_ins').get()).toEqual({ n: 3 });
  }, 90_000);

  it('says so where the app cannot run a hub', async () => {
    const plain = desk('no-hub-here');
    expect(await callApi(plain.ctx, 'hub:serveStatus', {})).toMatchObject({ available: false, serving: false });
    expect((await callApiError(plain.ctx, 'hub:serve', { on: true })).code).toBe('HUB_UNAVAILABLE');
    expect((await callApiError(plain.ctx, 'hub:rejoinCode', { deviceId: 'desk-x' })).code).toBe('HUB_UNAVAILABLE');
    // Linking to HQ needs the HQ address first.
    const hubDir3 = tempDir('roadshow-ehub3-');
    const lead = desk('lead-no-hq', embeddedHub(hubDir3, randomBytes(32)));
    expect((await callApiError(lead.ctx, 'hub:serve', { on: true, upstreamCode: 'AAAA-BBBB-CCCC-DDDD' })).code).toBe('SYNC_NOT_CONFIGURED');
    expect(await callApi(lead.ctx, 'hub:serveStatus', {})).toMatchObject({ serving: false });
    // A hub that never reached HQ keeps its copy: deleting it is refused and the hub keeps running.
    await callApi(lead.ctx, 'hub:serve', { on: true });
    writeActivity(lead.store, 1);
    await callApi(lead.ctx, 'hub:syncNow', {});
    expect(await callApiError(lead.ctx, 'hub:serve', { on: false, deleteData: true })).toMatchObject({ code: 'HUB_DATA_NOT_AT_HQ' });
    expect(await callApi(lead.ctx, 'hub:serveStatus', {})).toMatchObject({ serving: true });
    expect(await callApi(lead.ctx, 'hub:serve', { on: false })).toMatchObject({ serving: false });
    // Nor when it is not running: the check is made on its folder, and nothing is deleted.
    expect(await callApiError(lead.ctx, 'hub:serve', { on: false, deleteData: true })).toMatchObject({ code: 'HUB_DATA_NOT_AT_HQ' });
    expect(existsSync(path.join(hubDir3, 'hq-events.sqlite'))).toBe(true);
    // HQ unreachable when the hub is to be linked: all or nothing, no hub is left running half set up.
    await callApi(lead.ctx, 'sync:configure', { url: 'http://127.0.0.1:1' });
    expect((await callApiError(lead.ctx, 'hub:serve', { on: true, upstreamCode: 'AAAA-BBBB-CCCC-DDDD' })).code).toBe('SYNC_OFFLINE');
    expect(await callApi(lead.ctx, 'hub:serveStatus', {})).toMatchObject({ serving: false });
    expect(await callApi(lead.ctx, 'hub:status', {})).toMatchObject({ hubUrl: null });
  });
});
