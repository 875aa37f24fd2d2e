import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/openStore';
import { AdminStore } from '../../hq/server/admin/adminStore';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { tempDir } from '../helpers/testStore';
import { ADMIN } from '../helpers/tourScenario';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** HQ behind a TLS-terminating reverse proxy (issue #17): the dashboard's cookies are Secure when the proxy says https. */
function hqBehind(trustProxy?: string) {
  const dir = tempDir('roadshow-hq-proxy-');
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const admin = new AdminStore(path.join(dir, 'hq-admin.sqlite'));
  admin.addAdmin(ADMIN.email, ADMIN.name, ADMIN.password);
  const app = buildHqApp({ storage, projections, ...(trustProxy ? { trustProxy } : {}), dashboard: { storage, projections, admin, dataDir: dir } });
  closers.push(async () => {
    await app.close();
    projections.stop();
    await storage.close();
    store.close();
    admin.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return app;
}

async function signInCookies(app: ReturnType<typeof hqBehind>, headers: Record<string, string>, remoteAddress: string): Promise<string[]> {
  const page = await app.inject({ method: 'GET', url: '/dashboard/sign-in', headers, remoteAddress });
  const pre = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = String(page.headers['set-cookie']).split(';')[0]!;
  const res = await app.inject({ method: 'POST', url: '/dashboard/sign-in', remoteAddress, headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: pre, email: ADMIN.email, password: ADMIN.password }).toString() });
  expect(res.headers.location).toBe('/dashboard');
  const set = res.headers['set-cookie'];
  return (Array.isArray(set) ? set : [String(set)]).filter((c) => c.startsWith('rsd_admin='));
}

describe('HQ behind a TLS proxy', () => {
  it('marks the session cookie Secure when the trusted proxy forwarded https, not when anyone else claims it', async () => {
    const app = hqBehind('127.0.0.1');
    const viaProxy = await signInCookies(app, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.5' }, '127.0.0.1');
    expect(viaProxy[0]).toMatch(/; Secure/);
    const plain = await signInCookies(app, {}, '127.0.0.1');
    expect(plain[0]).not.toMatch(/; Secure/);
    // A client that is not the proxy cannot switch it on (or fake its address).
    const spoofed = await signInCookies(app, { 'x-forwarded-proto': 'https' }, '198.51.100.7');
    expect(spoofed[0]).not.toMatch(/; Secure/);
  });

  it('believes no forwarded header without a configured proxy', async () => {
    const app = hqBehind();
    const cookies = await signInCookies(app, { 'x-forwarded-proto': 'https' }, '127.0.0.1');
    expect(cookies[0]).not.toMatch(/; Secure/);
  });
});
