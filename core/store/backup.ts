import { randomUUID } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { atomicReplace } from './encryption';
import { LATEST_VERSION, runMigrations } from './migrations/index';
import type { Store } from './openStore';
import { openSqlite } from './sqlite';

export const BACKUP_REASONS = ['sync', 'hourly', 'manual', 'pre-restore', 'purge'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

/** How many backups of each kind stay; older ones are deleted after each new backup. */
export const BACKUP_KEEP: Record<BackupReason, number> = { sync: 10, hourly: 24, manual: 10, 'pre-restore': 5, purge: 2 };

export interface BackupInfo {
  /** File name inside the backups folder (what the restore action takes). */
  name: string;
  path: string;
  reason: BackupReason;
  createdAt: string;
  bytes: number;
}

const NAME = /^roadshow-(\d{8}T\d{9}Z)-(\d{3})-([a-z-]+)\.sqlite$/;

export function backupDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

function parseStamp(s: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(s)!;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
}

/** Backups in `dir`, newest first. */
export function listBackups(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m || !(BACKUP_REASONS as readonly string[]).includes(m[3]!)) continue;
    const p = path.join(dir, name);
    out.push({ name, path: p, reason: m[3] as BackupReason, createdAt: parseStamp(m[1]!), bytes: statSync(p).size });
  }
  return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

function fsyncFile(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A consistent online backup of the open store: `VACUUM INTO` copies one read snapshot while
 * desks keep writing, into a new file encrypted with the store's own key (SQLite3 Multiple
 * Ciphers). The file appears under its final name only when complete (write, fsync, rename).
 * better-sqlite3's `db.backup()` is not used: page-level backup refuses an encrypted source
 * with a plain destination ("incompatible source and target databases").
 */
export function createBackup(store: Store, dir: string, reason: BackupReason, now: () => number = Date.now): BackupInfo {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const existing = new Set(readdirSync(dir));
  const ms = now();
  let n = 0;
  let name = '';
  do name = `roadshow-${stamp(ms)}-${String(n++).padStart(3, '0')}-${reason}.sqlite`;
  while (existing.has(name) && n < 1000);
  const final = path.join(dir, name);
  const tmp = path.join(dir, `.partial-${randomUUID()}.sqlite`);
  try {
    store.db.prepare('VACUUM INTO ?').run(tmp);
    fsyncFile(tmp);
    renameSync(tmp, final);
  } finally {
    rmSync(tmp, { force: true });
  }
  const lastSeq = store.db.prepare<[], { s: number | null }>('SELECT MAX(local_seq) AS s FROM events').get()?.s ?? 0;
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('backup_last_local_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(lastSeq));
  rotateBackups(dir, reason);
  return listBackups(dir).find((b) => b.name === name)!;
}

/** Keeps the newest `BACKUP_KEEP[reason]` backups of that kind; removes leftovers of interrupted backups. */
export function rotateBackups(dir: string, reason: BackupReason): void {
  for (const name of readdirSync(dir)) if (name.startsWith('.partial-')) rmSync(path.join(dir, name), { force: true });
  const mine = listBackups(dir).filter((b) => b.reason === reason);
  for (const old of mine.slice(BACKUP_KEEP[reason])) rmSync(old.path, { force: true });
}

/** For the sync engine: call right before every sync, so a sync gone wrong can be undone. */
export function backupBeforeSync(store: Store, dataDir: string, now: () => number = Date.now): BackupInfo {
  return createBackup(store, backupDir(dataDir), 'sync', now);
}

/** An hourly backup, but only if something was written since the last backup of any kind. */
export function backupIfWorkedHour(store: Store, dataDir: string, now: () => number = Date.now): BackupInfo | null {
  const dir = backupDir(dataDir);
  const newest = listBackups(dir)[0];
  if (newest && now() - Date.parse(newest.createdAt) < 3600_000) return null;
  const lastSeq = store.db.prepare<[], { s: number | null }>('SELECT MAX(local_seq) AS s FROM events').get()?.s ?? 0;
  const backedUp = Number(store.db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'backup_last_local_seq'").get()?.value ?? '-1');
  if (newest && lastSeq === backedUp) return null;
  return createBackup(store, dir, 'hourly', now);
}

/** Checks every few minutes whether an hourly backup is due; returns the function that stops it. */
export function startBackupSchedule(getStore: () => Store, dataDir: string, everyMs = 5 * 60_000): () => void {
  const timer = setInterval(() => {
    try {
      backupIfWorkedHour(getStore(), dataDir);
    } catch (err) {
      console.error('[backup] hourly backup failed', err);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Opens a backup with the key and checks it is a whole store this app can read; throws BACKUP_INVALID otherwise. */
export function verifyBackup(file: string, key: Buffer | undefined): { userVersion: number; events: number } {
  let db;
  try {
    db = openSqlite(file, { key, readonly: true });
  } catch (err) {
    throw new AppError('BACKUP_INVALID', `Cannot open ${path.basename(file)}: ${(err as Error).message}`);
  }
  try {
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new AppError('BACKUP_INVALID', `${path.basename(file)} fails integrity_check`);
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (userVersion > LATEST_VERSION) throw new AppError('BACKUP_INVALID', `${path.basename(file)} was written by a newer app`);
    const events = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
    return { userVersion, events };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BACKUP_INVALID', `${path.basename(file)} is not a Roadshow Desk store: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/**
 * Replaces the (closed) store at `target` by a backup, crash-safe: the backup is verified, copied,
 * migrated to this app's schema and given a NEW device id (so events written after the restore
 * never reuse sequence numbers HQ already holds from before), then renamed over the store.
 */
export function restoreBackupFile(backup: string, target: string, key: Buffer | undefined): { events: number; deviceId: string } {
  const { events } = verifyBackup(backup, key);
  const tmp = `${target}.restoring`;
  rmSync(tmp, { force: true });
  copyFileSync(backup, tmp);
  const deviceId = `dev-${randomUUID()}`;
  const db = openSqlite(tmp, { key });
  try {
    runMigrations(db);
    const old = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'device_id'").get()?.value ?? null;
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    db.transaction(() => {
      put.run('device_id', deviceId);
      if (old) put.run('restored_from_device_id', old);
      // The tokens (HQ's, a venue hub's) and acknowledged sequences belonged to the old device id: the
      // new id enrolls again (the Sync screen says so) instead of pushing under another device's token.
      db.prepare("DELETE FROM settings WHERE key IN ('hq_token', 'hub_token')").run();
      put.run('hq_acked_seq', '0');
      put.run('hub_acked_seq', '0');
      put.run('restored_from_backup', path.basename(backup));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  // The store is closed (its WAL checkpointed away); stale -wal/-shm must not meet the new file.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  atomicReplace(tmp, target);
  return { events, deviceId };
}
