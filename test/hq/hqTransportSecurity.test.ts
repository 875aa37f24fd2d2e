import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/openStore';
import { normaliseFingerprint } from '../../core/sync/certPin';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { enrollDevice } from '../../core/sync/syncClient';
import { SyncService } from '../../core/sync/syncRunner';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { BODY_CAPS } from '../../hq/server/limits';
import { HQ_BATCH_BYTES } from '../../shared/sync/hqProtocol';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { loadOrCreateSelfSigned, pinText, SELF_SIGNED_CERT, SELF_SIGNED_KEY, type TlsMaterial } from '../../hq/server/tls';
import { AdminStore } from '../../hq/server/admin/adminStore';
import QRCode from 'qrcode';
import { openStore } from '../../core/store/openStore';
import { AppError } from '../../shared/errors';
import { startHqProcess, type HqProcess } from '../helpers/hqProcess';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';
import { ADMIN, createDashboardHq, type DashboardHq } from '../helpers/tourScenario';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const otherFingerprint = () => randomBytes(32).toString('hex');

describe('a venue hub on HTTPS with its own self-signed certificate', () => {
  let dir: string;
  let tls: TlsMaterial;
  let storage: SqliteHqStorage;
  let projStore: Store;
  let projections: HqProjections;
  let app: FastifyInstance;
  let url: string;
  /** HTTP requests that reached the server (counted on the raw Node server, below Fastify). */
  let requests = 0;
  const laptops: Store[] = [];

  beforeAll(async () => {
    dir = tempDir('roadshow-hub-tls-');
    tls = loadOrCreateSelfSigned(dir);
    storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
    projStore = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
    projections = new HqProjections(projStore, storage);
    app = buildHqApp({ storage, projections, https: { key: tls.key, cert: tls.cert } });
    app.server.on('request', () => requests++);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    url = `https://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    projections.stop();
    await storage.close();
    projStore.close();
    for (const l of laptops) l.close();
  });
  const laptop = (id: string) => {
    const s = createLaptop(id);
    laptops.push(s);
    return s;
  };

  it('keeps its certificate in the data folder, key owner-only, and reuses it on the next start', () => {
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(tls.fingerprint).toBe(new X509Certificate(readFileSync(path.join(dir, SELF_SIGNED_CERT))).fingerprint256);
    expect(statSync(path.join(dir, SELF_SIGNED_KEY)).mode & 0o077).toBe(0);
    const again = loadOrCreateSelfSigned(dir);
    expect(again.created).toBe(false);
    expect(again.fingerprint).toBe(tls.fingerprint);
    const cert = new X509Certificate(tls.cert);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(tls.key))).toBe(true);
  });

  it('a laptop that pinned the right fingerprint (any spelling) enrolls and syncs', async () => {
    const store = laptop('dev-pinned');
    const sync = new SyncService(store);
    const status = (sync.configure(url, tls.fingerprint.replace(/:/g, '').toLowerCase()), sync.status());
    expect(status.certFingerprint).toBe(tls.fingerprint);
    const { code } = await issueEnrollmentCode(storage, { label: 'Desk A' });
    await sync.enroll(code, 'Desk A');
    writeActivity(store, 5);
    const result = await sync.syncNow();
    expect(result.sent).toBe(20);
    expect(result.digest.ok).toBe(true);
    expect((await storage.pull('0', 1000)).events.filter((e) => e.deviceId === 'dev-pinned')).toHaveLength(20);
  });

  it('a wrong fingerprint is refused before anything is sent: the code stays unused', async () => {
    const store = laptop('dev-wrong-pin');
    const sync = new SyncService(store);
    sync.configure(url, otherFingerprint());
    const { code } = await issueEnrollmentCode(storage, { label: 'Desk B' });
    const before = requests;
    const err = await rejection(sync.enroll(code, 'Desk B'));
    expect(err.code).toBe('SYNC_CERT_MISMATCH');
    expect(err.details?.got).toBe(tls.fingerprint);
    expect(requests).toBe(before);
    expect(await sync.probe()).toBe(false);
    expect(requests).toBe(before);
    expect((await storage.listDevices()).map((d) => d.deviceId)).not.toContain('dev-wrong-pin');
    // The same code still works once the right fingerprint is entered: the refused attempt never reached HQ.
    sync.configure(url, tls.fingerprint);
    await sync.enroll(code, 'Desk B');
    expect(requests).toBeGreaterThan(before);
  });

  it('without a fingerprint normal CA verification applies and refuses the self-signed certificate', async () => {
    const store = laptop('dev-no-pin');
    const sync = new SyncService(store);
    sync.configure(url);
    const before = requests;
    const err = await rejection(sync.enroll('ABCD-EFGH', 'Desk C'));
    expect(err.code).toBe('SYNC_CERT_UNTRUSTED');
    expect(requests).toBe(before);
  });

  it('a failed sync over a wrong pin is recorded with the clear error and sends nothing', async () => {
    const store = laptop('dev-pin-changed');
    const sync = new SyncService(store);
    sync.configure(url, tls.fingerprint);
    const { code } = await issueEnrollmentCode(storage, { label: 'Desk D' });
    await sync.enroll(code, 'Desk D');
    writeActivity(store, 2);
    sync.configure(url, otherFingerprint()); // e.g. another machine answering at the hub's address
    const before = requests;
    expect((await rejection(sync.syncNow())).code).toBe('SYNC_CERT_MISMATCH');
    expect(requests).toBe(before);
    expect(sync.status().lastRun).toMatchObject({ ok: false, errorCode: 'SYNC_CERT_MISMATCH', sent: 0 });
    expect(sync.status().unsynced).toBe(8);
  });

  it('refuses bad addresses and fingerprints in configure and keeps the previous settings', () => {
    const store = laptop('dev-config');
    const sync = new SyncService(store);
    sync.configure(url, tls.fingerprint);
    expect(() => sync.configure('http://192.168.1.20:8470')).toThrowError(expect.objectContaining({ code: 'SYNC_INSECURE_URL' }));
    expect(() => sync.configure(url, 'AB:CD:EF')).toThrowError(expect.objectContaining({ code: 'SYNC_FINGERPRINT_INVALID' }));
    expect(() => sync.configure(url, `${tls.fingerprint}:00`)).toThrowError(expect.objectContaining({ code: 'SYNC_FINGERPRINT_INVALID' }));
    expect(() => sync.configure('http://127.0.0.1:8470', tls.fingerprint)).toThrowError(expect.objectContaining({ code: 'SYNC_FINGERPRINT_INVALID' }));
    expect(sync.status()).toMatchObject({ hqUrl: url, certFingerprint: tls.fingerprint });
    // Plain http stays allowed on loopback; clearing the fingerprint returns to CA verification.
    sync.configure('http://127.0.0.1:8470', '');
    expect(sync.status()).toMatchObject({ hqUrl: 'http://127.0.0.1:8470', certFingerprint: null });
    expect(normaliseFingerprint(`sha256/${tls.fingerprint.toLowerCase()}`)).toBe(tls.fingerprint);
    expect(normaliseFingerprint(tls.fingerprint.replace(/:/g, ' '))).toBe(tls.fingerprint);
  });
});

describe('the hub certificate on the dashboard', () => {
  it('the enrollment page shows address, fingerprint and QR code to signed-in admins, in both languages', async () => {
    const dir = tempDir('roadshow-hub-dash-');
    const tls = loadOrCreateSelfSigned(dir);
    const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
    const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
    const projections = new HqProjections(store, storage);
    const admin = new AdminStore(path.join(dir, 'hq-admin.sqlite'));
    admin.addAdmin(ADMIN.email, ADMIN.name, ADMIN.password);
    const hubPin = { address: 'https://192.0.2.10:8470', fingerprint: tls.fingerprint, qrDataUrl: await QRCode.toDataURL(pinText('https://192.0.2.10:8470', tls.fingerprint)) };
    const app = buildHqApp({ storage, projections, dashboard: { storage, projections, admin, dataDir: dir, hubPin } });
    try {
      const form = await app.inject({ method: 'GET', url: '/dashboard/sign-in' });
      const pre = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const signIn = await app.inject({ method: 'POST', url: '/dashboard/sign-in', headers: { cookie: String(form.headers['set-cookie']).split(';')[0]!, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: pre, email: ADMIN.email, password: ADMIN.password }).toString() });
      const session = ([signIn.headers['set-cookie']].flat() as string[]).map((c) => c.split(';')[0]).join('; ');
      const en = await app.inject({ method: 'GET', url: '/dashboard/enrollment?lang=en', headers: { cookie: session } });
      expect(en.body).toContain(tls.fingerprint);
      expect(en.body).toContain('https://192.0.2.10:8470');
      expect(en.body).toContain('alt="QR code with the address and fingerprint"');
      expect(en.body).toContain('src="data:image/png;base64,');
      const ko = await app.inject({ method: 'GET', url: '/dashboard/enrollment?lang=ko', headers: { cookie: session } });
      expect(ko.body).toContain('이 허브의 인증서');
      expect(ko.body).toContain('alt="주소와 지문이 담긴 QR 코드"');
      // Not for anyone else.
      const anonymous = await app.inject({ method: 'GET', url: '/dashboard/enrollment' });
      expect(anonymous.body).not.toContain(tls.fingerprint);
    } finally {
      await app.close();
      projections.stop();
      await storage.close();
      store.close();
      admin.close();
    }
  });
});

describe('HQ rate limits and body caps', () => {
  let hq: DashboardHq | undefined;
  afterEach(async () => {
    await hq?.close();
    hq = undefined;
  });

  it('answers 429 with Retry-After after 10 failed enrollments from one address, even for a good code', async () => {
    hq = await createDashboardHq();
    const h = hq;
    const enroll = (code: string, device = 'dev-rl') => h.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code, device_id: device }, remoteAddress: '10.0.0.7' });
    for (let i = 0; i < 10; i++) expect((await enroll(`WRONG-${i}00`)).statusCode).toBe(400);
    const { code } = await issueEnrollmentCode(h.storage, { label: 'x', now: new Date(h.clock.now) });
    const limited = await enroll(code);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await h.storage.listDevices()).toHaveLength(0);
    // Another address is not affected; the limited one may try again after the window.
    const other = await h.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: 'WRONG-X', device_id: 'dev-rl' }, remoteAddress: '10.0.0.8' });
    expect(other.statusCode).toBe(400);
    h.clock.now += 15 * 60_000 + 1000;
    expect((await enroll(code)).statusCode).toBe(200);
  });

  it('the laptop shows the limit as its own translated error', async () => {
    const dir = tempDir('roadshow-hq-rl-');
    const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
    const app = buildHqApp({ storage, enrollLimit: { max: 2, windowMs: 10 * 60_000 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const addr = app.server.address();
      const transport = createHttpTransport(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
      for (let i = 0; i < 2; i++) expect((await rejection(enrollDevice(transport, 'dev-x', 'NOPE-NOPE', ''))).code).toBe('SYNC_BAD_CODE');
      const err = await rejection(enrollDevice(transport, 'dev-x', 'NOPE-NOPE', ''));
      expect(err.code).toBe('SYNC_RATE_LIMITED');
      // The first hold is 30 s (doubling with each further failure): said as a whole minute.
      expect(err.details?.minutes).toBe(1);
    } finally {
      await app.close();
      await storage.close();
    }
  });

  it('caps bodies: enrollment, sign-in and every route without its own limit answer 413', async () => {
    hq = await createDashboardHq();
    const big = (n: number) => 'x'.repeat(n);
    const enroll = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code: big(BODY_CAPS.enroll), device_id: 'dev-big' } });
    expect(enroll.statusCode).toBe(413);
    expect(enroll.json().error).toMatchObject({ code: 'TOO_LARGE', details: { limit: BODY_CAPS.enroll } });
    // The bundle upload's large octet-stream limit does not leak to unauthenticated routes.
    const octet = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(2 * 1024 * 1024) });
    expect(octet.statusCode).toBe(413);
    // The bundle upload (64 MiB) reads its body only for a signed-in admin.
    const upload = await hq.app.inject({ method: 'POST', url: '/dashboard/bundles', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(2 * 1024 * 1024) });
    expect(upload.statusCode).toBe(401);
    const signIn = await hq.app.inject({ method: 'POST', url: '/dashboard/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=${ADMIN.email}&password=${big(BODY_CAPS.signIn)}` });
    expect(signIn.statusCode).toBe(413);
    const form = await hq.app.inject({ method: 'POST', url: '/dashboard/sign-out', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${big(BODY_CAPS.dashboardForm)}` });
    expect(form.statusCode).toBe(413);
    // Push keeps the protocol's batch limit (HQ's own, announced in its answers): a 100 KB body is parsed (then refused for lack of a token), one over the limit is not.
    const push = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', payload: { device_id: 'x', events: [], pad: big(100_000) } });
    expect(push.statusCode).toBe(401);
    const hugePush = await hq.app.inject({ method: 'POST', url: '/v1/sync/push', payload: { device_id: 'x', events: [], pad: big(HQ_BATCH_BYTES) } });
    expect(hugePush.json().error).toMatchObject({ code: 'TOO_LARGE', details: { limit: HQ_BATCH_BYTES } });
    // Pull keeps the small cap of the other sync routes.
    const hugePull = await hq.app.inject({ method: 'POST', url: '/v1/sync/pull', payload: { cursor: '0', pad: big(BODY_CAPS.sync) } });
    expect(hugePull.json().error).toMatchObject({ code: 'TOO_LARGE', details: { limit: BODY_CAPS.sync } });
    expect(await hq.storage.listDevices()).toHaveLength(0);
  });

  it('the dashboard sign-in is rate-limited (5 failures per email and address)', async () => {
    hq = await createDashboardHq();
    const h = hq;
    const tryOnce = async () => {
      const page = await h.app.inject({ method: 'GET', url: '/dashboard/sign-in' });
      const pre = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      return h.app.inject({ method: 'POST', url: '/dashboard/sign-in', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: pre, email: ADMIN.email, password: 'wrong' }).toString() });
    };
    for (let i = 0; i < 5; i++) expect((await tryOnce()).headers.location).toBe('/dashboard/sign-in?failed=1');
    expect((await tryOnce()).headers.location).toMatch(/wait=\d+/);
  });

  it('a stranger failing an admin’s email from one address does not lock the admin out elsewhere; the hold doubles (issue #17)', async () => {
    hq = await createDashboardHq();
    const h = hq;
    const attempt = async (password: string, remoteAddress: string) => {
      const page = await h.app.inject({ method: 'GET', url: '/dashboard/sign-in', remoteAddress });
      const pre = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const cookie = String(page.headers['set-cookie']).split(';')[0]!;
      return String((await h.app.inject({ method: 'POST', url: '/dashboard/sign-in', remoteAddress, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: pre, email: ADMIN.email, password }).toString() })).headers.location);
    };
    for (let i = 0; i < 5; i++) expect(await attempt('wrong', '203.0.113.9')).toBe('/dashboard/sign-in?failed=1');
    expect(await attempt('wrong', '203.0.113.9')).toMatch(/wait=1$/);
    // The admin, from the office, signs in as usual.
    expect(await attempt(ADMIN.password, '198.51.100.4')).toBe('/dashboard');
    // The stranger's hold: 30 s, then 60 s after the next failure.
    h.clock.now += 31_000;
    expect(await attempt('wrong', '203.0.113.9')).toBe('/dashboard/sign-in?failed=1');
    h.clock.now += 31_000;
    expect(await attempt('wrong', '203.0.113.9')).toMatch(/wait=1$/);
    h.clock.now += 30_000;
    expect(await attempt('wrong', '203.0.113.9')).toBe('/dashboard/sign-in?failed=1');
  });

  it('one bad device behind a venue’s NAT does not stop the others enrolling from that address (issue #17)', async () => {
    hq = await createDashboardHq();
    const h = hq;
    const enroll = (code: string, device: string) => h.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code, device_id: device }, remoteAddress: '192.0.2.50' });
    for (let i = 0; i < 10; i++) expect((await enroll(`WRONG-${i}00`, 'dev-bad')).statusCode).toBe(400);
    expect((await enroll('WRONG-X00', 'dev-bad')).statusCode).toBe(429);
    const { code } = await issueEnrollmentCode(h.storage, { label: 'Desk B', now: new Date(h.clock.now) });
    expect((await enroll(code, 'dev-good')).statusCode).toBe(200);
    // Many devices failing from one address: the address itself is held back (five times the allowance).
    for (let i = 0; i < 40; i++) await enroll(`WRONG-${i}11`, `dev-spray-${i}`);
    expect((await enroll('WRONG-Y00', 'dev-spray-new')).statusCode).toBe(429);
  });
});

describe('the HQ program with --self-signed', () => {
  let proc: HqProcess | undefined;
  afterEach(async () => {
    await proc?.kill('SIGKILL');
    proc = undefined;
  });

  it('makes its certificate once, prints its fingerprint and QR code, and a pinned laptop syncs with it', async () => {
    const dataDir = tempDir('roadshow-hq-selfsigned-');
    proc = await startHqProcess(dataDir, 0, { HQ_SELF_SIGNED: '1' });
    expect(proc.url).toMatch(/^https:\/\//);
    const fp = new X509Certificate(readFileSync(path.join(dataDir, SELF_SIGNED_CERT))).fingerprint256;
    await waitFor(() => proc!.output().includes('▀') || proc!.output().includes('▄'));
    expect(proc.output()).toContain(`HQ certificate SHA-256: ${fp} (new)`);

    const store = createLaptop('dev-proc');
    try {
      const sync = new SyncService(store);
      sync.configure(proc.url, fp);
      const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
      const { code } = await issueEnrollmentCode(storage, { label: 'Desk P' });
      await storage.close();
      await sync.enroll(code, 'Desk P');
      writeActivity(store, 3);
      expect((await sync.syncNow()).sent).toBe(12);

      const port = proc.port;
      await proc.kill('SIGTERM');
      proc = await startHqProcess(dataDir, port, { HQ_SELF_SIGNED: '1' });
      await waitFor(() => proc!.output().includes('HQ certificate SHA-256'));
      expect(proc.output()).toContain(`HQ certificate SHA-256: ${fp}`);
      expect(proc.output()).not.toContain('(new)');
      writeActivity(store, 1);
      expect((await sync.syncNow()).sent).toBe(4);
    } finally {
      store.close();
    }
  }, 60_000);
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(cond()).toBe(true);
}
