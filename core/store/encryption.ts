import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openSqlite } from './sqlite';

/** The first 16 bytes of every unencrypted SQLite database file. An encrypted file starts with random salt. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
export const KEY_BYTES = 32;

/** True when `file` exists and is a plain (unencrypted) SQLite database. */
export function isPlainSqliteFile(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

function fsyncPath(p: string): void {
  try {
    const fd = openSync(p, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* directories cannot be opened for fsync on Windows: rename is still atomic there */
  }
}

/** Replaces `target` by `source` atomically (rename), making both the file and the rename durable. */
export function atomicReplace(source: string, target: string): void {
  fsyncPath(source);
  renameSync(source, target);
  fsyncPath(path.dirname(target));
}

function countRows(db: Database.Database): Record<string, number> {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  const out: Record<string, number> = {};
  for (const t of tables) out[t.name] = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "${t.name.replace(/"/g, '""')}"`).get()!.n;
  return out;
}

/** Leftovers of an encryption that crashed before its atomic swap: safe to remove, the original is intact. */
export function encryptingTempPath(file: string): string {
  return `${file}.encrypting`;
}

export interface EncryptReport {
  encrypted: boolean;
  tables: Record<string, number>;
}

/**
 * Encrypts an existing plain store in place, without loss and crash-safe:
 * 1. checkpoint the WAL into the main file and close it (no -wal left beside it);
 * 2. copy the file, re-key the copy (SQLite3 Multiple Ciphers `PRAGMA rekey`, SQLCipher 4 format);
 * 3. reopen the copy with the key: integrity_check ok and every table holds as many rows as before;
 * 4. atomically rename the copy over the original.
 * A crash before 4 leaves the plain original untouched (the next start starts over); after 4 the
 * store is encrypted. A store that is already encrypted is left alone.
 */
export function encryptPlainStore(file: string, key: Buffer): EncryptReport {
  const tmp = encryptingTempPath(file);
  rmSync(tmp, { force: true });
  rmSync(`${tmp}-journal`, { force: true });
  if (!isPlainSqliteFile(file)) return { encrypted: false, tables: {} };
  if (key.length !== KEY_BYTES) throw new Error(`The store key must be ${KEY_BYTES} bytes`);

  const plain = new Database(file);
  let before: Record<string, number>;
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    before = countRows(plain);
    // Leave rollback-journal mode so the file carries no WAL flag and no -wal file stays behind.
    plain.pragma('journal_mode = DELETE');
  } finally {
    plain.close();
  }
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });

  copyFileSync(file, tmp);
  const copy = new Database(tmp);
  try {
    copy.pragma(`cipher='sqlcipher'`);
    copy.pragma('legacy=4');
    copy.pragma(`rekey="x'${key.toString('hex')}'"`);
  } finally {
    copy.close();
  }
  if (isPlainSqliteFile(tmp)) throw new Error('Encrypting the store failed: the copy is still plain');

  const check = openSqlite(tmp, { key });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`Encrypted copy failed integrity_check: ${String(ok)}`);
    const after = countRows(check);
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error('Encrypted copy does not hold the same rows as the original');
    check.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    check.close();
  }
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  atomicReplace(tmp, file);
  return { encrypted: true, tables: before };
}
