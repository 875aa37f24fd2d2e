import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrap } from '../../../core/host/bootstrap';
import { loadOrCreateKeyFile, keyFilePath } from '../../../core/host/keyFile';
import { encryptPlainStore, encryptingTempPath, isPlainSqliteFile } from '../../../core/store/encryption';
import { openStore } from '../../../core/store/openStore';
import { openSqlite } from '../../../core/store/sqlite';
import { StoreVault } from '../../../core/store/storeVault';
import { callApi } from '../../helpers/callApi';
import { createTestContext, DEMO_STOP, RESOURCES_DIR, tempDir } from '../../helpers/testStore';
import { seedDemoIfEmpty } from '../../../core/demo/seedDemo';
import { loadDemoData } from '../../../core/demo/demoData';

const PERSON = { familyName: 'Quokkaberg', givenName: 'Zyxwvut', nameKo: '펭귄별', email: 'zyxwvut.quokka@secret-lab.example.edu' };

function walkIn(ctx: ReturnType<typeof createTestContext>, n: number) {
  return callApi(ctx, 'checkin:registerWalkIn', {
    stopId: DEMO_STOP,
    familyName: `${PERSON.familyName}${n}`,
    givenName: PERSON.givenName,
    nameKo: PERSON.nameKo,
    email: `${n}.${PERSON.email}`,
    affiliation: 'Secret Lab',
    consentScope: 'all_institutions',
    consentTextVersion: '2025-10-v1',
  });
}

/** Every needle, as UTF-8 bytes, searched in the raw bytes of the file. */
function leaks(file: string, needles: string[]): string[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  return needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
}

function demoNames(db: ReturnType<typeof openSqlite>): string[] {
  return (db.prepare("SELECT family_name, email FROM attendees WHERE family_name <> '' AND email <> '' LIMIT 20").all() as { family_name: string; email: string }[]).flatMap(
    (r) => [r.email],
  );
}

describe('encryption at rest', () => {
  it('keeps no attendee name or email in plain text in the database file or its WAL', async () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const store = new StoreVault(path.join(dir, 'roadshow.sqlite'), key).open();
    seedDemoIfEmpty(store, loadDemoData(RESOURCES_DIR), { attendees: 60 });
    const ctx = createTestContext(store);
    for (let i = 0; i < 5; i++) await walkIn(ctx, i);
    const needles = [PERSON.familyName, PERSON.email, PERSON.nameKo, 'Secret Lab', ...demoNames(store.db)];
    expect(needles.length).toBeGreaterThan(10);
    const file = store.db.name;
    // While open, the newest pages are in the WAL: it must be encrypted too.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expect(leaks(`${file}-wal`, needles)).toEqual([]);
    expect(leaks(file, needles)).toEqual([]);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(leaks(file, needles)).toEqual([]);
    store.close();
    expect(isPlainSqliteFile(file)).toBe(false);
    expect(leaks(file, needles)).toEqual([]);

    // The same data in a plain store would be found: the check above can fail.
    const plain = openStore(path.join(dir, 'plain.sqlite'));
    seedDemoIfEmpty(plain, loadDemoData(RESOURCES_DIR), { attendees: 5 });
    await walkIn(createTestContext(plain), 0);
    plain.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(leaks(plain.db.name, [PERSON.familyName, PERSON.email]).length).toBe(2);
    plain.close();
  });

  it('cannot be opened without the key or with another key', () => {
    const dir = tempDir();
    const key = randomBytes(32);
    const file = path.join(dir, 'roadshow.sqlite');
    new StoreVault(file, key).open().close();
    expect(() => openStore(file)).toThrow(/not a database/);
    expect(() => openStore(file, { key: randomBytes(32) })).toThrow(/not a database/);
    expect(openStore(file, { key }).deviceId).toMatch(/^dev-/);
  });

  it('migrates an existing plain store on first start without losing anything', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'roadshow.sqlite');
    const plain = openStore(file);
    seedDemoIfEmpty(plain, loadDemoData(RESOURCES_DIR), { attendees: 80 });
    const ctx = createTestContext(plain);
    for (let i = 0; i < 3; i++) await walkIn(ctx, i);
    const hash = plain.events.projectionHash();
    const events = plain.db.prepare('SELECT COUNT(*) AS n FROM events').get();
    const deviceId = plain.deviceId;
    plain.close();
    expect(isPlainSqliteFile(file)).toBe(true);

    const key = randomBytes(32);
    const store = new StoreVault(file, key).open();
    expect(isPlainSqliteFile(file)).toBe(false);
    expect(store.deviceId).toBe(deviceId);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual(events);
    expect(store.events.projectionHash()).toBe(hash);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
    expect(leaks(file, [PERSON.familyName, PERSON.email])).toEqual([]);
    expect(existsSync(encryptingTempPath(file))).toBe(false);
    // A second start leaves the encrypted store alone.
    expect(encryptPlainStore(file, key).encrypted).toBe(false);
  });

  it('recovers from a crash in the middle of the migration: the plain original is intact and is migrated again', () => {
    const dir = tempDir();
    const file = path.join(dir, 'roadshow.sqlite');
    const plain = openStore(file);
    seedDemoIfEmpty(plain, loadDemoData(RESOURCES_DIR), { attendees: 30 });
    const hash = plain.events.projectionHash();
    plain.close();
    // What a crash before the atomic swap leaves: a half-written copy beside the untouched original.
    writeFileSync(encryptingTempPath(file), randomBytes(5000));
    const key = randomBytes(32);
    const store = new StoreVault(file, key).open();
    expect(store.events.projectionHash()).toBe(hash);
    store.close();
    expect(existsSync(encryptingTempPath(file))).toBe(false);
    expect(isPlainSqliteFile(file)).toBe(false);
  });

  it('browser mode keeps the key in an owner-only key file and reuses it', () => {
    const dir = tempDir();
    const key = loadOrCreateKeyFile(dir);
    expect(key.length).toBe(32);
    if (process.platform !== 'win32') expect(statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(dir).equals(key)).toBe(true);
    const boot = bootstrap({ dataDir: dir, resourcesDir: RESOURCES_DIR, mode: 'browser', version: 'test', key });
    expect(isPlainSqliteFile(path.join(dir, 'roadshow.sqlite'))).toBe(false);
    boot.shutdown();
  });
});
