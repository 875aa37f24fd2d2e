import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { createBackup, backupDir, listBackups } from '../store/backup';
import { openStore } from '../store/openStore';
import { restoreBackupFile } from '../store/backup';
import { STORE_FILE_NAME } from './bootstrap';
import { defaultDataDir } from './dataDir';
import { KEY_FILE_NAME, WRAPPED_KEY_FILE_NAME, readKeyFile } from './keyFile';
import { runningPid } from './pidFile';

/**
 * `npm run restore -- <backup file or name> [--data-dir DIR]`, or `--list`. Restores a backup into
 * the store of a stopped app (browser-mode key file). The desktop app's key is in the OS key
 * store: restore there from Settings → Backups.
 */
export function runRestore(argv: string[], log: (line: string) => void = console.log): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, list: { type: 'boolean', default: false } } });
  const dataDir = values['data-dir'] ?? process.env.ROADSHOW_DATA_DIR ?? defaultDataDir();
  const dir = backupDir(dataDir);
  if (values.list || positionals.length === 0) {
    const all = listBackups(dir);
    log(all.length ? all.map((b) => `${b.name}  ${b.reason}  ${b.createdAt}  ${b.bytes} bytes`).join('\n') : `No backups in ${dir}`);
    if (positionals.length === 0 && !values.list) log('Usage: npm run restore -- <backup file or name> [--data-dir DIR]');
    return positionals.length === 0 && !values.list ? 2 : 0;
  }
  const arg = positionals[0]!;
  const file = existsSync(arg) ? path.resolve(arg) : path.join(dir, path.basename(arg));
  if (!existsSync(file)) return fail(log, `No backup ${arg} (looked in ${dir})`);
  const pid = runningPid(dataDir);
  if (pid) return fail(log, `Roadshow Desk is running on this data folder (pid ${pid}). Quit it first.`);
  const keyFile = path.join(dataDir, KEY_FILE_NAME);
  if (!existsSync(keyFile)) {
    return fail(log, existsSync(path.join(dataDir, WRAPPED_KEY_FILE_NAME)) ? 'This store is the desktop app’s: restore from Settings → Backups in the app.' : `No key file in ${dataDir}`);
  }
  const key = readKeyFile(keyFile);
  const storeFile = path.join(dataDir, STORE_FILE_NAME);
  try {
    if (existsSync(storeFile)) {
      const current = openStore(storeFile, { key });
      try {
        log(`Kept the current store as ${createBackup(current, dir, 'pre-restore').name}`);
      } finally {
        current.close();
      }
    }
    const res = restoreBackupFile(file, storeFile, key);
    log(`Restored ${path.basename(file)}: ${res.events} events. This laptop now syncs as ${res.deviceId}.`);
    return 0;
  } catch (err) {
    return fail(log, err instanceof AppError ? err.message : String(err));
  }
}

function fail(log: (line: string) => void, message: string): number {
  log(`Restore failed: ${message}. Nothing was changed.`);
  return 1;
}

if (process.argv[1] && /restoreCli\.(ts|mjs|js)$/.test(process.argv[1])) process.exitCode = runRestore(process.argv.slice(2));
