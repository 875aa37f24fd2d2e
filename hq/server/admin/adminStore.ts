import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hashPin, verifyPin } from '../../../core/security/pinHash';
import { openSqlite, type Db } from '../../../core/store/sqlite';

/**
 * HQ's own administrative data, beside the event storage: dashboard admins (scrypt-hashed
 * passwords), their sessions (only a hash of the cookie is stored; they expire), and the match
 * proposals an admin dismissed. An embedded SQLite file in HQ's data folder (hq-admin.sqlite).
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS admins (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS admin_sessions (
    token_hash TEXT PRIMARY KEY,
    admin_id TEXT NOT NULL REFERENCES admins(id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT;
  -- When each device last completed a sync call (push, pull or digest) with HQ.
  CREATE TABLE IF NOT EXISTS device_seen (
    device_id TEXT PRIMARY KEY,
    last_sync_at TEXT NOT NULL,
    last_call TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS dismissed_matches (
    pair_key TEXT PRIMARY KEY,
    admin_id TEXT NOT NULL,
    at TEXT NOT NULL
  ) STRICT;
`;

export const SESSION_HOURS = 8;
export const MIN_PASSWORD = 12;

export interface Admin {
  id: string;
  email: string;
  name: string;
}

export interface AdminSession {
  admin: Admin;
  csrf: string;
  expiresAt: string;
}

const tokenHash = (token: string): string => createHash('sha256').update(`session:${token}`).digest('hex');
/**
 * A fixed hash to compare against when the email is unknown, so both cases cost one scrypt. Worked out at
 * the first sign-in, not when the module loads: a scrypt is ~200 ms, and every program that loads the HQ
 * server's code (HQ, a desk's venue hub, Electron) would pay it at start.
 */
let dummyHash: string | null = null;
const dummy = (): string => (dummyHash ??= hashPin('not-a-real-password', Buffer.alloc(16, 7)));

export class AdminStore {
  private readonly db: Db;
  constructor(file: string) {
    this.db = openSqlite(file);
    this.db.exec(SCHEMA);
  }

  addAdmin(email: string, name: string, password: string, now = new Date()): Admin {
    const e = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(e)) throw new Error('Give a valid email address.');
    if (password.length < MIN_PASSWORD) throw new Error(`The password must have at least ${MIN_PASSWORD} characters.`);
    const id = randomUUID();
    const hash = hashPin(password);
    const existing = this.db.prepare<[string], { id: string }>('SELECT id FROM admins WHERE email = ?').get(e);
    if (existing) {
      this.db.prepare('UPDATE admins SET name = ?, password_hash = ? WHERE id = ?').run(name, hash, existing.id);
      this.db.prepare('DELETE FROM admin_sessions WHERE admin_id = ?').run(existing.id);
      return { id: existing.id, email: e, name };
    }
    this.db.prepare('INSERT INTO admins (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(id, e, name, hash, now.toISOString());
    return { id, email: e, name };
  }

  listAdmins(): Admin[] {
    return this.db.prepare<[], Admin>('SELECT id, email, name FROM admins ORDER BY email').all();
  }

  /** Checks email + password (always one scrypt, known email or not); answers the admin or null. */
  async checkPassword(email: string, password: string): Promise<Admin | null> {
    const row = this.db.prepare<[string], Admin & { password_hash: string }>('SELECT id, email, name, password_hash FROM admins WHERE email = ?').get(email.trim().toLowerCase());
    const ok = await verifyPin(password, row?.password_hash ?? dummy());
    return row && ok ? { id: row.id, email: row.email, name: row.name } : null;
  }

  /** A new session: the cookie value (random 256 bits) is returned once; only its hash is kept. */
  createSession(adminId: string, now = new Date()): { token: string; csrf: string; expiresAt: string } {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
    this.db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?').run(now.toISOString());
    this.db.prepare('INSERT INTO admin_sessions (token_hash, admin_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(tokenHash(token), adminId, csrf, now.toISOString(), expiresAt);
    return { token, csrf, expiresAt };
  }

  session(token: string | undefined, now = new Date()): AdminSession | null {
    if (!token || token.length > 100) return null;
    const row = this.db
      .prepare<[string, string], Admin & { csrf: string; expires_at: string }>(
        'SELECT a.id, a.email, a.name, s.csrf, s.expires_at FROM admin_sessions s JOIN admins a ON a.id = s.admin_id WHERE s.token_hash = ? AND s.expires_at > ?',
      )
      .get(tokenHash(token), now.toISOString());
    return row ? { admin: { id: row.id, email: row.email, name: row.name }, csrf: row.csrf, expiresAt: row.expires_at } : null;
  }

  endSession(token: string): void {
    this.db.prepare('DELETE FROM admin_sessions WHERE token_hash = ?').run(tokenHash(token));
  }

  dismissMatch(pairKey: string, adminId: string, now = new Date()): void {
    this.db.prepare('INSERT OR IGNORE INTO dismissed_matches (pair_key, admin_id, at) VALUES (?, ?, ?)').run(pairKey, adminId, now.toISOString());
  }

  dismissedMatches(): Set<string> {
    return new Set(this.db.prepare<[], { pair_key: string }>('SELECT pair_key FROM dismissed_matches').all().map((r) => r.pair_key));
  }

  deviceSeen(deviceId: string, call: string, at = new Date()): void {
    this.db
      .prepare('INSERT INTO device_seen (device_id, last_sync_at, last_call) VALUES (?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET last_sync_at = excluded.last_sync_at, last_call = excluded.last_call')
      .run(deviceId, at.toISOString(), call);
  }

  /** Several devices' last sync calls in one transaction (the dashboard keeps them in memory and writes them lazily). */
  devicesSeen(entries: readonly { deviceId: string; at: string; call: string }[]): void {
    const upsert = this.db.prepare('INSERT INTO device_seen (device_id, last_sync_at, last_call) VALUES (?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET last_sync_at = excluded.last_sync_at, last_call = excluded.last_call');
    this.db.transaction(() => {
      for (const e of entries) upsert.run(e.deviceId, e.at, e.call);
    })();
  }

  lastSeen(): Map<string, { at: string; call: string }> {
    return new Map(this.db.prepare<[], { device_id: string; last_sync_at: string; last_call: string }>('SELECT * FROM device_seen').all().map((r) => [r.device_id, { at: r.last_sync_at, call: r.last_call }]));
  }

  close(): void {
    this.db.close();
  }
}

/** One counter of failures and how many it lets through before the caller must wait. */
export interface LimitKey {
  key: string;
  free: number;
}

/**
 * Failed guesses slow the guesser, not the victim (issue #17). Each attempt is counted under several keys,
 * each with its own allowance: the pair (who × from where) is held back soon, the address alone or the
 * account alone only after many more failures, so one bad device behind a venue's NAT, or a stranger typing
 * an admin's email, does not lock everybody else out. Past its allowance a key waits `baseMs`, doubling with
 * each further failure up to `maxMs`, counted from its last failure; failures older than the window are forgotten.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly windowMs = 15 * 60_000,
    private readonly baseMs = 30_000,
    private readonly maxMs = 15 * 60_000,
  ) {}

  /** Milliseconds to wait before another try is allowed (0: allowed now). */
  retryAfter(keys: readonly LimitKey[], now: number): number {
    let wait = 0;
    for (const { key, free } of keys) {
      const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
      if (recent.length === 0) this.failures.delete(key);
      else this.failures.set(key, recent);
      if (recent.length < free) continue;
      const hold = Math.min(this.maxMs, this.baseMs * 2 ** (recent.length - free));
      wait = Math.max(wait, recent[recent.length - 1]! + hold - now);
    }
    return Math.max(0, wait);
  }

  fail(keys: readonly LimitKey[], now: number): void {
    for (const { key } of keys) this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
