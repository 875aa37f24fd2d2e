import Database from 'better-sqlite3-multiple-ciphers';

/** The one place that names the SQLite driver (better-sqlite3 with SQLCipher support, same API). */
export type Db = Database.Database;
export type Statement = Database.Statement;

export interface OpenOptions {
  /** Encryption key (SQLCipher, legacy=4). Omit for a plain database. */
  key?: Buffer;
  readonly?: boolean;
}

/** The driver's module, resolved where this code runs: a thread that opens a connection of its own requires it by this path. */
export const SQLITE_DRIVER = 'better-sqlite3-multiple-ciphers';

/** The pragmas that open an encrypted store (SQLCipher, legacy=4), in order: every connection to it runs them first. */
export function keyPragmas(key: Buffer): string[] {
  return [`cipher='sqlcipher'`, 'legacy=4', `key="x'${key.toString('hex')}'"`];
}

export function openSqlite(file: string, opts: OpenOptions = {}): Db {
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (opts.key) for (const p of keyPragmas(opts.key)) db.pragma(p);
  if (file !== ':memory:' && !opts.readonly) db.pragma('journal_mode = WAL');
  // FULL: a committed check-in survives a killed process and a laptop whose battery dies.
  db.pragma('synchronous = FULL');
  // Temporary files (statement journals, sorts) are not encrypted by the cipher: keep them in memory, so no
  // personal data reaches the disk in plaintext from an encrypted store.
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
