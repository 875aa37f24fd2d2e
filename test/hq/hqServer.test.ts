import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToEnvelope } from '../../core/store/eventStore';
import { createSyncQueries } from '../../core/store/queries/syncQueries';
import { encodeHlc } from '../../core/sync/hlc';
import { SyncClient } from '../../core/sync/syncClient';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { createTestHq, type Backend, type TestHq } from '../helpers/hqHarness';
import { startPostgres, type RunningPostgres } from '../helpers/postgres';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { HQ_BATCH_BYTES, HQ_BATCH_EVENTS } from '../../shared/sync/hqProtocol';

/** The largest batch HQ takes, in every push answer. */
const ANNOUNCED = { max_events: HQ_BATCH_EVENTS, max_bytes: HQ_BATCH_BYTES };

let pg: RunningPostgres;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(() => pg?.stop());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function push(hq: TestHq, token: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: { ...auth(token), ...headers }, payload: body as object });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

async function heldCount(hq: TestHq): Promise<number> {
  let n = 0;
  let cursor = '0';
  for (;;) {
    const page = await hq.storage.pull(cursor, 1000);
    n += page.events.length;
    cursor = page.cursor;
    if (!page.hasMore) return n;
  }
}

describe.each<Backend>(['sqlite', 'postgres'])('HQ server on %s', (backend) => {
  let hq: TestHq;
  beforeAll(async () => {
    hq = await createTestHq(backend, { pg });
  }, 60_000);
  afterAll(() => hq?.close());

  it('enrolls a device once per code and stores only hashes', async () => {
    const { code } = await issueEnrollmentCode(hq.storage, { label: 'Desk A' });
    const res = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: code.toLowerCase(), device_id: 'dev-enroll-1' } });
    expect(res.statusCode).toBe(200);
    const token = res.json().token as string;
    expect(token).toMatch(/^rsd_/);
    const again = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code, device_id: 'dev-enroll-2' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('CODE_INVALID');
    // A second code cannot take over an enrolled device id…
    const other = await issueEnrollmentCode(hq.storage);
    const takeover = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: other.code, device_id: 'dev-enroll-1' } });
    expect(takeover.json().error.code).toBe('DEVICE_EXISTS');
    // …only a code made for it (re-enrollment), which replaces the old token.
    const re = await issueEnrollmentCode(hq.storage, { deviceId: 'dev-enroll-1' });
    const reRes = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: re.code, device_id: 'dev-enroll-1' } });
    expect(reRes.statusCode).toBe(200);
    expect((await hq.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(token), payload: {} })).statusCode).toBe(401);
    expect((await hq.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(reRes.json().token), payload: {} })).statusCode).toBe(200);
    const expired = await issueEnrollmentCode(hq.storage, { validHours: 1, now: new Date(Date.now() - 2 * 3600_000) });
    expect((await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: expired.code, device_id: 'dev-enroll-3' } })).json().error.code).toBe('CODE_INVALID');
    expect(JSON.stringify(await hq.storage.listDevices())).not.toContain(token);
    // Listed under the label HQ gave the code (the laptop sent none); a re-enrollment code without a label keeps it.
    expect((await hq.storage.listDevices()).find((d) => d.deviceId === 'dev-enroll-1')?.label).toBe('Desk A');
  });

  it('lists a device under its enrollment label, with the label the laptop sent', async () => {
    const { code } = await issueEnrollmentCode(hq.storage, { label: 'Boston desk 2' });
    const res = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code, device_id: 'dev-label-1', label: 'Front door' } });
    expect(res.statusCode).toBe(200);
    const own = await issueEnrollmentCode(hq.storage, { label: '' });
    await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: own.code, device_id: 'dev-label-2', label: 'Side door' } });
    const labels = Object.fromEntries((await hq.storage.listDevices()).map((d) => [d.deviceId, d.label]));
    expect(labels['dev-label-1']).toBe('Boston desk 2 · Front door');
    expect(labels['dev-label-2']).toBe('Side door');
  });

  it('authenticates every sync call and refuses a revoked token', async () => {
    const token = await hq.enroll('dev-auth');
    for (const [method, url] of [['POST', '/v1/sync/push'], ['POST', '/v1/sync/pull'], ['GET', '/v1/sync/digest']] as const) {
      expect((await hq.app.inject({ method, url, payload: method === 'POST' ? {} : undefined })).statusCode, url).toBe(401);
      expect((await hq.app.inject({ method, url, headers: auth('rsd_' + 'x'.repeat(43)), payload: method === 'POST' ? {} : undefined })).json().error.code).toBe('UNAUTHORIZED');
    }
    expect((await hq.app.inject({ method: 'GET', url: '/v1/sync/digest', headers: auth(token) })).statusCode).toBe(200);
    expect(await hq.storage.revokeDevice('dev-auth', new Date().toISOString())).toBe(true);
    const res = await hq.app.inject({ method: 'GET', url: '/v1/sync/digest', headers: auth(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('REVOKED');
  });

  it('takes a push once, skips a re-delivered batch, and detects gaps', async () => {
    const laptop = createLaptop('dev-push');
    writeActivity(laptop, 10); // 40 events
    const token = await hq.enroll('dev-push');
    const events = laptop.events.eventsOfDevice('dev-push', 0, 100);
    const first = await push(hq, token, { device_id: 'dev-push', events: events.slice(0, 25) });
    expect(first).toEqual({ status: 200, body: { acked_through_seq: 25, added: 25, duplicates: 0, batch: ANNOUNCED } });
    const dup = await push(hq, token, { device_id: 'dev-push', events: events.slice(0, 25) });
    expect(dup.body).toEqual({ acked_through_seq: 25, added: 0, duplicates: 25, batch: ANNOUNCED });
    const gap = await push(hq, token, { device_id: 'dev-push', events: events.slice(30) });
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'GAP', details: { expected_seq: 26 } });
    // Overlapping batch: the held part is skipped, the rest taken.
    const overlap = await push(hq, token, { device_id: 'dev-push', events: events.slice(20) });
    expect(overlap.body).toEqual({ acked_through_seq: 40, added: 15, duplicates: 5, batch: ANNOUNCED });
    // The same sequence number with another event: refused, nothing written.
    const forged = { ...events[3]!, eventId: '01900000-0000-7000-8000-0000000000ff' };
    expect((await push(hq, token, { device_id: 'dev-push', events: [forged] })).body.error.code).toBe('SEQ_MISMATCH');
    const digest = (await hq.app.inject({ method: 'GET', url: '/v1/sync/digest?device=dev-push', headers: auth(token) })).json();
    const local = createSyncQueries(laptop.db).ownDigest('dev-push');
    expect(digest.devices).toEqual([{ device_id: 'dev-push', count: 40, max_seq: 40, hash: local.hash }]);
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const laptop = createLaptop('dev-bad');
    writeActivity(laptop, 3);
    const token = await hq.enroll('dev-bad');
    const events = laptop.events.eventsOfDevice('dev-bad', 0, 100);
    const before = await heldCount(hq);
    const cases: [string, unknown, number, string][] = [
      ['not an object', [1, 2], 400, 'VALIDATION'],
      ['no events', { device_id: 'dev-bad', events: [] }, 400, 'VALIDATION'],
      ['someone else’s device id', { device_id: 'dev-push', events }, 403, 'FORBIDDEN_DEVICE'],
      ['events of another device', { device_id: 'dev-bad', events: events.map((e) => ({ ...e, deviceId: 'dev-other' })) }, 403, 'FORBIDDEN_DEVICE'],
      ['invalid payload in the middle', { device_id: 'dev-bad', events: events.map((e, i) => (i === 5 ? { ...e, payload: { registrationId: 42 } } : e)) }, 400, 'VALIDATION'],
      ['broken envelope', { device_id: 'dev-bad', events: [{ ...events[0], hlc: 'yesterday' }] }, 400, 'VALIDATION'],
      ['hlc of another node', { device_id: 'dev-bad', events: [{ ...events[0], hlc: encodeHlc(Date.now(), 0, 'dev-push') }] }, 400, 'VALIDATION'],
      ['non-consecutive batch', { device_id: 'dev-bad', events: [events[0], events[2]] }, 400, 'VALIDATION'],
      ['same event twice', { device_id: 'dev-bad', events: [events[0], { ...events[1], eventId: events[0]!.eventId }] }, 400, 'VALIDATION'],
      // Small events, so the count (not the body's size, a 413 below) is what is over.
      [`over ${HQ_BATCH_EVENTS} events`, { device_id: 'dev-bad', events: Array.from({ length: HQ_BATCH_EVENTS + 1 }, (_, i) => ({ ...events[0], deviceSeq: i + 1, payload: {} })) }, 400, 'VALIDATION'],
    ];
    for (const [name, body, status, code] of cases) {
      const res = await push(hq, token, body);
      expect(res.status, name).toBe(status);
      expect(res.body.error.code, name).toBe(code);
      expect(res.body.error.message.length, name).toBeGreaterThan(10);
    }
    // A day and more in the future: refused clearly, with the stamp and HQ's time.
    const future = events.map((e) => ({ ...e, hlc: encodeHlc(Date.now() + 3 * 86_400_000, e.deviceSeq, 'dev-bad') }));
    const res = await push(hq, token, { device_id: 'dev-bad', events: future });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'EVENT_IN_FUTURE', details: { device_seq: 1 } });
    expect(res.body.error.details.stamped_at).toMatch(/^\d{4}-/);
    // Malformed JSON, an unknown encoding, over HQ's batch limit, a gzip bomb.
    const raw = async (payload: string | Buffer, headers: Record<string, string>) =>
      hq.app.inject({ method: 'POST', url: '/v1/sync/push', headers: { ...auth(token), 'content-type': 'application/json', ...headers }, payload });
    const malformed = await raw('{"device_id":', {});
    expect(malformed.statusCode).toBe(400);
    expect((await raw(JSON.stringify({ device_id: 'dev-bad', events }), { 'content-encoding': 'br' })).statusCode).toBe(415);
    const big = await raw(JSON.stringify({ device_id: 'dev-bad', events, pad: 'x'.repeat(HQ_BATCH_BYTES + 100_000) }), {});
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('TOO_LARGE');
    const bomb = await raw(gzipSync(Buffer.from(JSON.stringify({ device_id: 'dev-bad', events, pad: ' '.repeat(50_000_000) }))), { 'content-encoding': 'gzip' });
    expect(bomb.statusCode).toBe(413);
    expect((await raw(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })).statusCode).toBe(400);
    expect(await heldCount(hq)).toBe(before);
    expect(await hq.storage.digest('dev-bad')).toEqual([]);
    // The same batch gzipped is taken.
    const ok = await raw(gzipSync(Buffer.from(JSON.stringify({ device_id: 'dev-bad', events }))), { 'content-encoding': 'gzip' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().acked_through_seq).toBe(12);
  });

  it('refuses an event id that HQ holds for another device', async () => {
    const a = createLaptop('dev-clash-a');
    writeActivity(a, 1);
    const ta = await hq.enroll('dev-clash-a');
    const tb = await hq.enroll('dev-clash-b');
    const ea = a.events.eventsOfDevice('dev-clash-a', 0, 10);
    expect((await push(hq, ta, { device_id: 'dev-clash-a', events: ea })).status).toBe(200);
    const stolen = ea.map((e) => ({ ...e, deviceId: 'dev-clash-b', hlc: e.hlc.replace('dev-clash-a', 'dev-clash-b') }));
    const res = await push(hq, tb, { device_id: 'dev-clash-b', events: stolen });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DUPLICATE_EVENT_ID');
    expect(await hq.storage.digest('dev-clash-b')).toEqual([]);
  });

  it('pulls pages by cursor, without the caller’s own events, and projects like a laptop', async () => {
    const a = createLaptop('dev-pull-a');
    const b = createLaptop('dev-pull-b');
    writeActivity(a, 30);
    writeActivity(b, 20);
    const ca = new SyncClient(a, hq.transport, await hq.enroll('dev-pull-a'), { pullLimit: 7, batchEvents: 50 });
    const cb = new SyncClient(b, hq.transport, await hq.enroll('dev-pull-b'), { pullLimit: 7 });
    expect(await ca.push()).toBe(120);
    expect(await cb.sync()).toMatchObject({ sent: 80 });
    const pulledByA = await ca.pull();
    expect(pulledByA.received).toBeGreaterThanOrEqual(80);
    const pulledByB = await cb.pull();
    expect(pulledByB.received).toBe(0); // B already took A's events
    // A and B hold only each other's and the earlier tests' events, never their own twice.
    const ownInA = a.db.prepare("SELECT COUNT(*) AS n FROM events WHERE device_id = 'dev-pull-a'").get() as { n: number };
    expect(ownInA.n).toBe(120);
    await hq.projections.catchUp();
    const hashes = [a.events.projectionHash(), b.events.projectionHash(), hq.store.events.projectionHash()];
    expect(new Set(hashes).size).toBe(1);
    expect((await ca.digestCheck()).ok).toBe(true);
  });

  it('keeps pulls complete while many devices push at once', async () => {
    const devices = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const store = createLaptop(`dev-conc-${i}`);
        writeActivity(store, 40);
        return { store, client: new SyncClient(store, hq.transport, await hq.enroll(`dev-conc-${i}`), { batchEvents: 10 }) };
      }),
    );
    const reader = createLaptop('dev-conc-reader');
    const rc = new SyncClient(reader, hq.transport, await hq.enroll('dev-conc-reader'), { pullLimit: 13 });
    let pushing = true;
    const pulls = (async () => {
      while (pushing) await rc.pull();
    })();
    await Promise.all(devices.map((d) => d.client.push()));
    pushing = false;
    await pulls;
    await rc.pull();
    for (let i = 0; i < 6; i++) {
      const n = reader.db.prepare('SELECT COUNT(*) AS n, MAX(device_seq) AS m FROM events WHERE device_id = ?').get(`dev-conc-${i}`);
      expect(n).toEqual({ n: 160, m: 160 });
    }
  });
});

describe('both back ends', () => {
  it('give the same results for the same history', async () => {
    const laptops = ['dev-same-a', 'dev-same-b', 'dev-same-c'].map((id) => {
      const s = createLaptop(id, { now: () => Date.parse('2025-11-14T15:00:00Z') });
      writeActivity(s, 15);
      return s;
    });
    // A conflict: two desks check the same registration in.
    const reg = laptops[0]!.db.prepare("SELECT registration_id AS r, attendee_id AS a FROM check_ins LIMIT 1").get() as { r: string; a: string };
    laptops[1]!.events.ingest(laptops[0]!.events.eventsOfDevice('dev-same-a', 0, 1000));
    laptops[1]!.events.append('checked_in', { registrationId: reg.r, attendeeId: reg.a, stopId: 'stop-03-new-york', desk: 'B' });
    // Each back end gets fresh laptops holding the very same logs.
    const logs = laptops.map((l) => ({ id: l.deviceId, events: l.db.prepare('SELECT * FROM events ORDER BY local_seq').all().map((r) => rowToEnvelope(r as never)) }));
    const results: { digest: unknown; hash: string; count: number; laptopHashes: string[] }[] = [];
    for (const backend of ['sqlite', 'postgres'] as const) {
      const laptops = logs.map(({ id, events }) => {
        const s = createLaptop(id, { now: () => Date.parse('2025-11-14T15:00:00Z') });
        s.events.ingest(events);
        return s;
      });
      const hq = await createTestHq(backend, { pg });
      const clients = await Promise.all(laptops.map(async (s) => new SyncClient(s, hq.transport, await hq.enroll(s.deviceId), { batchEvents: 17, pullLimit: 23 })));
      for (const c of clients) await c.sync();
      for (const c of clients) await c.sync();
      await hq.projections.catchUp();
      results.push({
        digest: await hq.storage.digest(),
        hash: hq.store.events.projectionHash(),
        count: await heldCount(hq),
        laptopHashes: laptops.map((l) => l.events.projectionHash()),
      });
      await hq.close();
    }
    expect(results[0]!.count).toBe(3 * 60 + 1);
    expect(results[1]).toEqual(results[0]);
    expect(new Set([results[0]!.hash, ...results[0]!.laptopHashes]).size).toBe(1);
  }, 60_000);
});

