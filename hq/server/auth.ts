import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { DeviceRole } from '../../shared/sync/hqProtocol';
import type { HqStorage } from './storage';

/** Crockford base32 without I, L, O, U: easy to read aloud and type from a phone message. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A one-time enrollment code, e.g. `K7QD-93MX-T2HB-4ZRA` (80 bits). HQ stores only its hash. */
export function newEnrollmentCode(): string {
  const chars = Array.from({ length: 16 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Case, spaces and dashes do not matter when someone types the code; O/I/L are read as 0/1/1. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function hashCode(code: string): string {
  return createHash('sha256').update(`enroll:${normaliseCode(code)}`).digest('hex');
}

/** A device's secret: 256 random bits. HQ stores only its SHA-256 (a leaked HQ database holds no usable token). */
export function newDeviceToken(): string {
  return `rsd_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(`token:${token}`).digest('hex');
}

export interface IssuedCode {
  code: string;
  expiresAt: string;
}

/** What `npm run hq -- enroll-code` does (and the dashboard of issue #8 will). */
export async function issueEnrollmentCode(
  storage: HqStorage,
  opts: { label?: string; deviceId?: string | null; validHours?: number; now?: Date; role?: DeviceRole; uses?: number } = {},
): Promise<IssuedCode> {
  const now = opts.now ?? new Date();
  const code = newEnrollmentCode();
  const expiresAt = new Date(now.getTime() + (opts.validHours ?? 72) * 3600_000).toISOString();
  await storage.createEnrollmentCode({ codeHash: hashCode(code), label: opts.label ?? '', deviceId: opts.deviceId ?? null, createdAt: now.toISOString(), expiresAt, role: opts.role ?? 'desk', uses: opts.uses ?? 1 });
  return { code, expiresAt };
}

export type Authenticated = { ok: true; deviceId: string; role: DeviceRole } | { ok: false; code: 'UNAUTHORIZED' | 'REVOKED' };

export async function authenticate(storage: HqStorage, authorization: string | undefined): Promise<Authenticated> {
  const m = /^Bearer (rsd_[A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '');
  if (!m) return { ok: false, code: 'UNAUTHORIZED' };
  const device = await storage.deviceByTokenHash(hashToken(m[1]!));
  if (!device) return { ok: false, code: 'UNAUTHORIZED' };
  if (device.revoked) return { ok: false, code: 'REVOKED' };
  return { ok: true, deviceId: device.deviceId, role: device.role };
}
