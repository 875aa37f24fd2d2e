import { randomBytes, scrypt as scryptCb, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * PINs are hashed with scrypt (memory-hard, slow): N=2^15, r=8, p=1 costs about 32 MB and tens of
 * milliseconds per try, so guessing a 6-digit PIN from a synced hash takes hours, not seconds.
 * The parameters travel in the hash, so they can be raised later without breaking old hashes.
 */
export const PIN_KDF = { N: 2 ** 15, r: 8, p: 1, keyLen: 32, saltLen: 16 } as const;

function options(N: number, r: number, p: number): ScryptOptions {
  return { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
}

function encode(N: number, r: number, p: number, salt: Buffer, hash: Buffer): string {
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Hashes a PIN with a fresh random salt (or a given one: the deterministic demo staff). */
export function hashPin(pin: string, salt: Buffer = randomBytes(PIN_KDF.saltLen)): string {
  const { N, r, p, keyLen } = PIN_KDF;
  return encode(N, r, p, salt, scryptSync(pin, salt, keyLen, options(N, r, p)));
}

/** Checks a PIN against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N < 2 || (N & (N - 1)) !== 0 || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length < 16 || salt.length < 8) return false;
  const actual = await new Promise<Buffer | null>((resolve) =>
    scryptCb(pin, salt, expected.length, options(N, r, p), (err, key) => resolve(err ? null : key)),
  );
  return actual !== null && actual.length === expected.length && timingSafeEqual(actual, expected);
}
