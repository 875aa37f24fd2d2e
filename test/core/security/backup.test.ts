import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrap } from '../../../core/host/bootstrap';
import { BACKUP_KEEP, backupBeforeSync, backupDir, backupIfWorkedHour, createBackup, listBackups, restoreBackupFile, verifyBackup } from '../../../core/store/backup';
import { isPlainSqliteFile } from '../../../core/store/encryption';
import { openStore } from '../../../core/store/openStore';
import { callApi, callApiError } from '../../helpers/callApi';
import { DEMO_STOP, RESOURCES_DIR, tempDir } from '../../helpers/testStore';

const count = (db: { prepare(sql: string): { get(): unknown } }) => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

function boot() {
  const dataDir = tempDir();
  const key = randomBytes(32);
  const b = bootstrap({ dataDir, resourcesDir: RESOURCES_DIR, mode: 'browser', version: 'test', key, signInDemoLead: true });
  return { ...b, dataDir, key };
}

async function checkInOne(ctx: ReturnType<typeof boot>['ctx']) {
  const id = (ctx.store.db.prepare('SELECT id FROM registrations WHERE stop_id = ? AND id NOT IN (SELECT registration_id FROM check_ins) LIMIT 1').get(DEMO_STOP) as { id: string }).id;
  return callApi(ctx, 'checkin:checkIn', { registrationId: id });
}

describe('backups', () => {
  it('makes consistent, encrypted online backups before a sync and after an hour of work, rotated', async () => {
    const { ctx, dataDir, key, shutdown } = boot();
    let now = Date.parse('2025-11-14T15:00:00Z');
    const clock = () => now;
    const first = backupBeforeSync(ctx.store, dataDir, clock);
    expect(first.reason).toBe('sync');
    expect(isPlainSqliteFile(first.path)).toBe(false);
    expect(verifyBackup(first.path, key).events).toBe(count(ctx.store.db));
    expect(() => verifyBackup(first.path, randomBytes(32))).toThrow(/Cannot open|not a Roadshow/);
    // Within the hour, or an hour without work: no hourly backup.
    now += 30 * 60_000;
    expect(backupIfWorkedHour(ctx.store, dataDir, clock)).toBeNull();
    now += 60 * 60_000;
    expect(backupIfWorkedHour(ctx.store, dataDir, clock)).toBeNull();
    await checkInOne(ctx);
    const hourly = backupIfWorkedHour(ctx.store, dataDir, clock);
    expect(hourly?.reason).toBe('hourly');
    expect(verifyBackup(hourly!.path, key).events).toBe(count(ctx.store.db));
    for (let i = 0; i < BACKUP_KEEP.sync + 3; i++) {
      now += 1000;
      backupBeforeSync(ctx.store, dataDir, clock);
    }
    const all = listBackups(backupDir(dataDir));
    expect(all.filter((b) => b.reason === 'sync')).toHaveLength(BACKUP_KEEP.sync);
    expect(all.filter((b) => b.reason === 'hourly')).toHaveLength(1);
    expect(all[0]!.createdAt > all[all.length - 1]!.createdAt).toBe(true);
    shutdown();
  });

  it('restores a backup from Settings: the state comes back, under a new device id, and nothing is lost for good', async () => {
    const { ctx, dataDir, shutdown, key } = boot();
    const backup = await callApi(ctx, 'backup:create', {});
    const eventsAtBackup = count(ctx.store.db);
    const hashAtBackup = ctx.store.events.projectionHash();
    const oldDevice = ctx.store.deviceId;
    await checkInOne(ctx);
    await checkInOne(ctx);
    expect(count(ctx.store.db)).toBe(eventsAtBackup + 2);

    expect(await callApiError(ctx, 'backup:restore', { name: 'roadshow-20990101T000000000Z-000-manual.sqlite' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await callApiError(ctx, 'backup:restore', { name: '../roadshow.sqlite' })).toMatchObject({ code: 'VALIDATION' });
    const res = await callApi(ctx, 'backup:restore', { name: backup.name });
    expect(res.events).toBe(eventsAtBackup);
    expect(count(ctx.store.db)).toBe(eventsAtBackup);
    expect(ctx.store.events.projectionHash()).toBe(hashAtBackup);
    expect(ctx.store.deviceId).not.toBe(oldDevice);
    expect(ctx.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The desk locks; what was there before the restore is kept as a pre-restore backup.
    expect(ctx.actorId).toBeNull();
    const pre = listBackups(backupDir(dataDir)).find((b) => b.reason === 'pre-restore')!;
    expect(verifyBackup(pre.path, key).events).toBe(eventsAtBackup + 2);
    shutdown();
  });

  it('refuses a damaged backup and changes nothing', async () => {
    const { ctx, dataDir, shutdown, key } = boot();
    const b = await callApi(ctx, 'backup:create', {});
    const file = path.join(backupDir(dataDir), b.name);
    const bytes = readFileSync(file);
    bytes.fill(0x41, 4096 * 2, 4096 * 3);
    writeFileSync(file, bytes);
    const before = count(ctx.store.db);
    expect(await callApiError(ctx, 'backup:restore', { name: b.name })).toMatchObject({ code: 'BACKUP_INVALID' });
    expect(count(ctx.store.db)).toBe(before);
    expect(() => restoreBackupFile(file, path.join(dataDir, 'roadshow.sqlite'), key)).toThrow();
    shutdown();
  });

  it('restores with the command-line path on a closed store (npm run restore)', async () => {
    const { ctx, dataDir, key, shutdown } = boot();
    // Enrolled at HQ and at a venue hub under the old device id.
    const put = ctx.store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    for (const [k, v] of [['hq_url', 'https://hq.example.org'], ['hq_token', 'rsd_old_hq_token_xxxxxxxxxxxxxxxx'], ['hq_acked_seq', '40'], ['hub_url', 'https://10.0.0.5:8470'], ['hub_token', 'rsd_old_hub_token_xxxxxxxxxxxxxxx'], ['hub_acked_seq', '40']]) put.run(k, v);
    const b = createBackup(ctx.store, backupDir(dataDir), 'manual');
    const n = count(ctx.store.db);
    await checkInOne(ctx);
    shutdown();
    const storeFile = path.join(dataDir, 'roadshow.sqlite');
    restoreBackupFile(b.path, storeFile, key);
    expect(existsSync(`${storeFile}.restoring`)).toBe(false);
    const reopened = openStore(storeFile, { key });
    expect(count(reopened.db)).toBe(n);
    // The new device id is enrolled nowhere: tokens gone, acknowledgements reset, addresses kept.
    const settings = Object.fromEntries((reopened.db.prepare("SELECT key, value FROM settings WHERE key LIKE 'hq_%' OR key LIKE 'hub_%'").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    expect(settings).toMatchObject({ hq_url: 'https://hq.example.org', hub_url: 'https://10.0.0.5:8470', hq_acked_seq: '0', hub_acked_seq: '0' });
    expect(settings.hq_token).toBeUndefined();
    expect(settings.hub_token).toBeUndefined();
    reopened.close();
  });
});

describe('npm run restore', () => {
  it('lists backups, refuses while the app runs, and restores a stopped browser-mode store', async () => {
    const { runRestore } = await import('../../../core/host/restoreCli');
    const { loadOrCreateKeyFile } = await import('../../../core/host/keyFile');
    const dataDir = tempDir();
    const key = loadOrCreateKeyFile(dataDir);
    const b = bootstrap({ dataDir, resourcesDir: RESOURCES_DIR, mode: 'browser', version: 'test', key, signInDemoLead: true });
    const backup = createBackup(b.ctx.store, backupDir(dataDir), 'manual');
    const n = count(b.ctx.store.db);
    await checkInOne(b.ctx);
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    expect(runRestore(['--list', '--data-dir', dataDir], log)).toBe(0);
    expect(lines.join('\n')).toContain(backup.name);
    // The pid file names a live process (this one counts as "not another app": use the parent's pid).
    writeFileSync(path.join(dataDir, 'roadshow.pid'), String(process.ppid));
    expect(runRestore([backup.name, '--data-dir', dataDir], log)).toBe(1);
    expect(lines.at(-1)).toMatch(/is running/);
    b.shutdown();
    writeFileSync(path.join(dataDir, 'roadshow.pid'), '999999999');
    expect(runRestore([backup.name, '--data-dir', dataDir], log)).toBe(0);
    expect(lines.at(-1)).toMatch(/^Restored/);
    const reopened = openStore(path.join(dataDir, 'roadshow.sqlite'), { key });
    expect(count(reopened.db)).toBe(n);
    reopened.close();
    expect(runRestore(['nope.sqlite', '--data-dir', dataDir], log)).toBe(1);
  });
});
