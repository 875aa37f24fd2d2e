import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { KEY_BYTES } from '../store/encryption';

/** Browser mode's store key: 32 random bytes, hex, in a file only the owner may read (0600). */
export const KEY_FILE_NAME = 'roadshow.key';
/** Written by the desktop app: the store key wrapped by the operating system (Electron safeStorage). */
export const WRAPPED_KEY_FILE_NAME = 'roadshow.key.safestorage';

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE_NAME);
}

function parseKey(text: string, file: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new KeyFileError(`${file} does not hold a ${KEY_BYTES}-byte hex key`);
  return Buffer.from(hex, 'hex');
}

/** Reads an existing key file, first narrowing its permissions to the owner if someone widened them. */
export function readKeyFile(file: string, platform: NodeJS.Platform = process.platform): Buffer {
  if (platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
      console.warn(`[security] ${file} was readable by others (mode ${mode.toString(8)}); narrowed to 600`);
    }
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

/** Writes a new key file atomically with mode 0600 (never visible half-written, never wider than owner-only). */
export function writeKeyFile(file: string, key: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * The key of the store in `dataDir` for browser mode: read from roadshow.key, or made on first
 * start. A folder whose key the desktop app keeps in the OS key store cannot be opened here.
 */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = keyFilePath(dataDir);
  if (existsSync(file)) return readKeyFile(file);
  if (existsSync(path.join(dataDir, WRAPPED_KEY_FILE_NAME))) {
    throw new KeyFileError(
      `The store in ${dataDir} is protected by the desktop app's operating-system key store. Open it with the desktop app, or start browser mode with another --data-dir.`,
    );
  }
  const key = randomBytes(KEY_BYTES);
  writeKeyFile(file, key);
  return key;
}
