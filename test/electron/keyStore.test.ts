import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, WRAPPED_KEY_FILE_NAME, loadOrCreateKeyFile } from '../../core/host/keyFile';
import { loadStoreKey, type SafeStorageLike } from '../../electron/main/keyStore';
import { tempDir } from '../helpers/testStore';

/** A stand-in for Electron's safeStorage: AES-GCM with a key only "the OS" knows. */
function fakeSafeStorage(available = true, backend = 'gnome_libsecret'): SafeStorageLike & { osKey: Buffer } {
  const osKey = randomBytes(32);
  return {
    osKey,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(text) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', osKey, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(data) {
      const d = createDecipheriv('aes-256-gcm', osKey, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

describe('desktop key store (safeStorage)', () => {
  it('makes a key, keeps it only wrapped by the OS key store, and gives the same key next start', () => {
    const dir = tempDir();
    const safe = fakeSafeStorage();
    const first = loadStoreKey(dir, safe, 'linux');
    expect(first.source).toBe('safeStorage');
    expect(first.key.length).toBe(32);
    expect(existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    const wrapped = readFileSync(path.join(dir, WRAPPED_KEY_FILE_NAME));
    expect(wrapped.includes(Buffer.from(first.key.toString('hex')))).toBe(false);
    expect(loadStoreKey(dir, safe, 'linux').key.equals(first.key)).toBe(true);
  });

  it('adopts the key file browser mode made for the same folder, and removes the plain copy', () => {
    const dir = tempDir();
    const browserKey = loadOrCreateKeyFile(dir);
    const got = loadStoreKey(dir, fakeSafeStorage(), 'darwin');
    expect(got.key.equals(browserKey)).toBe(true);
    expect(existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    // Browser mode now explains it cannot open this folder, instead of making a wrong key.
    expect(() => loadOrCreateKeyFile(dir)).toThrow(/desktop app/);
  });

  it('falls back to an owner-only key file without a usable OS key store (Linux basic_text)', () => {
    const dir = tempDir();
    const got = loadStoreKey(dir, fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(got.source).toBe('keyFile');
    expect(existsSync(path.join(dir, KEY_FILE_NAME))).toBe(true);
    expect(loadStoreKey(dir, fakeSafeStorage(false), 'linux').key.equals(got.key)).toBe(true);
  });

  it('refuses clearly when the wrapped key exists but the OS key store is unavailable or gives garbage', () => {
    const dir = tempDir();
    loadStoreKey(dir, fakeSafeStorage(), 'win32');
    expect(() => loadStoreKey(dir, fakeSafeStorage(false), 'win32')).toThrow(/key store is not available/);
    writeFileSync(path.join(dir, WRAPPED_KEY_FILE_NAME), 'x');
    const liar = { ...fakeSafeStorage(), decryptString: () => 'not-a-key' };
    expect(() => loadStoreKey(dir, liar, 'win32')).toThrow(/does not unwrap/);
  });
});
