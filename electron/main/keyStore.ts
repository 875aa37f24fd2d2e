import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { KEY_FILE_NAME, WRAPPED_KEY_FILE_NAME, loadOrCreateKeyFile, readKeyFile } from '../../core/host/keyFile';
import { KEY_BYTES } from '../../core/store/encryption';

/** The part of Electron's `safeStorage` the key store uses (injected, so tests run under plain Node). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no real key store (a fixed obfuscation key). */
  getSelectedStorageBackend?(): string;
}

export interface StoreKey {
  key: Buffer;
  /** Where the key lives: the OS key store, or (no usable key store) an owner-only key file. */
  source: 'safeStorage' | 'keyFile';
}

function osKeyStoreUsable(safe: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safe.isEncryptionAvailable()) return false;
  if (platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text') return false;
  return true;
}

function writeWrapped(file: string, data: Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * The desktop app's store key, kept by the operating system (Keychain, DPAPI, libsecret) through
 * Electron's safeStorage. A key file that browser mode made for the same folder is adopted into
 * the OS key store and removed. Without a usable OS key store (a Linux laptop without a keyring)
 * the key falls back to an owner-only key file, as in browser mode, and a warning is logged.
 */
export function loadStoreKey(dataDir: string, safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): StoreKey {
  const wrappedFile = path.join(dataDir, WRAPPED_KEY_FILE_NAME);
  const plainFile = path.join(dataDir, KEY_FILE_NAME);
  if (existsSync(wrappedFile)) {
    if (!safe.isEncryptionAvailable()) {
      throw new Error('The operating-system key store is not available, so the encrypted store cannot be opened. Sign in to your desktop session and try again.');
    }
    const hex = safe.decryptString(readFileSync(wrappedFile)).trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${wrappedFile} does not unwrap to a ${KEY_BYTES}-byte key`);
    return { key: Buffer.from(hex, 'hex'), source: 'safeStorage' };
  }
  if (!osKeyStoreUsable(safe, platform)) {
    console.warn('[security] no usable OS key store: the store key is kept in an owner-only key file');
    return { key: loadOrCreateKeyFile(dataDir), source: 'keyFile' };
  }
  const key = existsSync(plainFile) ? readKeyFile(plainFile, platform) : randomBytes(KEY_BYTES);
  writeWrapped(wrappedFile, safe.encryptString(key.toString('hex')));
  // Prove the wrapped key unwraps before the plain copy goes.
  if (safe.decryptString(readFileSync(wrappedFile)).trim() !== key.toString('hex')) throw new Error('The OS key store returned a different key');
  rmSync(plainFile, { force: true });
  return { key, source: 'safeStorage' };
}
