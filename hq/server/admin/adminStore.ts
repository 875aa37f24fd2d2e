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
/** How long an institution account's setup link stays valid. */
export const SETUP_LINK_DAYS = 7;

/**
 * The file's own schema steps (PRAGMA user_version), run in order at open. Step 1 (issue #21): accounts have a
 * role, `admin` (every row made before: HQ's admins) or `institution` (an institution's staff, scoped to one
 * institution, made by an admin, deactivated rather than deleted, first password set through a one-time link).
 */
const SCHEMA_STEPS: readonly string[] = [
  `ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'institution'));
   ALTER TABLE admins ADD COLUMN institution_id TEXT;
   ALTER TABLE admins ADD COLUMN created_by TEXT;
   ALTER TABLE admins ADD COLUMN deactivated_at TEXT;
   ALTER TABLE admins ADD COLUMN setup_hash TEXT;
   ALTER TABLE admins ADD COLUMN setup_expires_at TEXT;
   CREATE UNIQUE INDEX admins_setup ON admins(setup_hash) WHERE setup_hash IS NOT NULL;
   CREATE INDEX admins_institution ON admins(institution_id) WHERE institution_id IS NOT NULL;`,
];

export type AccountRole = 'admin' | 'institution';

/** A signed-in account: an HQ admin, or an institution's staff member (`institutionId` set). */
export interface Admin {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  /** The one institution an `institution` account works for; null for admins. */
  institutionId: string | null;
}

/** An institution account as the admins' list shows it. */
export interface InstitutionAccount extends Admin {
  role: 'institution';
  institutionId: string;
  createdAt: string;
  createdBy: string | null;
  deactivatedAt: string | null;
  /** A setup link was issued and its password not set yet (until when it is valid). */
  setupPendingUntil: string | null;
}

interface AccountRow {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  institution_id: string | null;
}
const ACCOUNT_COLUMNS = 'id, email, name, role, institution_id';
const toAccount = (r: AccountRow): Admin => ({ id: r.id, email: r.email, name: r.name, role: r.role, institutionId: r.role === 'institution' ? r.institution_id : null });
const EMAIL = /^[^@\s]+@[^@\s]+$/;

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
    this.migrate();
  }

  /** Brings an older file up to date, one step per transaction (admin rows made before keep working as admins). */
  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < SCHEMA_STEPS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SCHEMA_STEPS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /** Schema version of the file (the number of steps applied). */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  addAdmin(email: string, name: string, password: string, now = new Date()): Admin {
    const e = email.trim().toLowerCase();
    if (!EMAIL.test(e)) throw new Error('Give a valid email address.');
    if (password.length < MIN_PASSWORD) throw new Error(`The password must have at least ${MIN_PASSWORD} characters.`);
    const id = randomUUID();
    const hash = hashPin(password);
    const existing = this.db.prepare<[string], { id: string; role: AccountRole }>('SELECT id, role FROM admins WHERE email = ?').get(e);
    if (existing) {
      if (existing.role !== 'admin') throw new Error(`${e} is an institution account: deactivate it or use another email for an HQ admin.`);
      this.db.prepare('UPDATE admins SET name = ?, password_hash = ?, deactivated_at = NULL WHERE id = ?').run(name, hash, existing.id);
      this.db.prepare('DELETE FROM admin_sessions WHERE admin_id = ?').run(existing.id);
      return { id: existing.id, email: e, name, role: 'admin', institutionId: null };
    }
    this.db.prepare('INSERT INTO admins (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(id, e, name, hash, now.toISOString());
    return { id, email: e, name, role: 'admin', institutionId: null };
  }

  listAdmins(): Admin[] {
    return this.db.prepare<[], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM admins WHERE role = 'admin' ORDER BY email`).all().map(toAccount);
  }

  /**
   * An account scoped to one institution (issue #21), made by an HQ admin. With a password (the CLI) it can sign
   * in at once; without one, the answer carries a one-time setup token (valid SETUP_LINK_DAYS) for a link where the
   * person sets their own password. The same email again (an institution account) gets the new password or a
   * new link, the institution given, and is active again; its sessions end. An admin's email is refused.
   */
  addInstitutionUser(input: { email: string; name: string; institutionId: string; password?: string | undefined; createdBy: string | null }, now = new Date()): { account: Admin; setupToken: string | null } {
    const e = input.email.trim().toLowerCase();
    if (!EMAIL.test(e) || e.length > 254) throw new AccountError('email', 'Give a valid email address.');
    const name = input.name.trim().slice(0, 100) || e;
    if (input.password !== undefined && input.password.length < MIN_PASSWORD) throw new AccountError('password', `The password must have at least ${MIN_PASSWORD} characters.`);
    const existing = this.db.prepare<[string], { id: string; role: AccountRole }>('SELECT id, role FROM admins WHERE email = ?').get(e);
    if (existing?.role === 'admin') throw new AccountError('email', `${e} is an HQ admin's email.`, 'admin_email');
    const setupToken = input.password === undefined ? randomBytes(32).toString('base64url') : null;
    // Without a password yet, the stored hash is of 32 random bytes nobody knows: no password signs in.
    const hash = hashPin(input.password ?? randomBytes(32).toString('base64url'));
    const setupHash = setupToken ? tokenHash(`setup:${setupToken}`) : null;
    const setupUntil = setupToken ? new Date(now.getTime() + SETUP_LINK_DAYS * 86400_000).toISOString() : null;
    const id = existing?.id ?? randomUUID();
    this.db.transaction(() => {
      if (existing) {
        this.db
          .prepare('UPDATE admins SET name = ?, password_hash = ?, institution_id = ?, deactivated_at = NULL, setup_hash = ?, setup_expires_at = ? WHERE id = ?')
          .run(name, hash, input.institutionId, setupHash, setupUntil, id);
        this.db.prepare('DELETE FROM admin_sessions WHERE admin_id = ?').run(id);
      } else {
        this.db
          .prepare(`INSERT INTO admins (id, email, name, password_hash, created_at, role, institution_id, created_by, setup_hash, setup_expires_at) VALUES (?, ?, ?, ?, ?, 'institution', ?, ?, ?, ?)`)
          .run(id, e, name, hash, now.toISOString(), input.institutionId, input.createdBy, setupHash, setupUntil);
      }
    })();
    return { account: { id, email: e, name, role: 'institution', institutionId: input.institutionId }, setupToken };
  }

  /** A new setup link for an institution account (the old link and the password stop working; sessions end). */
  renewSetupLink(accountId: string, now = new Date()): { account: Admin; setupToken: string } | null {
    const row = this.db.prepare<[string], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM admins WHERE id = ? AND role = 'institution'`).get(accountId);
    if (!row) return null;
    const r = this.addInstitutionUser({ email: row.email, name: row.name, institutionId: row.institution_id!, createdBy: null }, now);
    return { account: r.account, setupToken: r.setupToken! };
  }

  /** The account a setup link is for (valid and unused), or null. */
  setupAccount(token: string, now = new Date()): Admin | null {
    if (!token || token.length > 100) return null;
    const row = this.db
      .prepare<[string, string], AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM admins WHERE setup_hash = ? AND setup_expires_at > ? AND deactivated_at IS NULL`)
      .get(tokenHash(`setup:${token}`), now.toISOString());
    return row ? toAccount(row) : null;
  }

  /** Sets the password through a setup link (once: the link is spent). */
  completeSetup(token: string, password: string, now = new Date()): Admin | null {
    if (password.length < MIN_PASSWORD) throw new AccountError('password', `The password must have at least ${MIN_PASSWORD} characters.`);
    const account = this.setupAccount(token, now);
    if (!account) return null;
    this.db.prepare('UPDATE admins SET password_hash = ?, setup_hash = NULL, setup_expires_at = NULL WHERE id = ?').run(hashPin(password), account.id);
    return account;
  }

  listInstitutionAccounts(now = new Date()): InstitutionAccount[] {
    type Row = AccountRow & { created_at: string; created_by: string | null; deactivated_at: string | null; setup_expires_at: string | null };
    return this.db
      .prepare<[], Row>(`SELECT ${ACCOUNT_COLUMNS}, created_at, created_by, deactivated_at, setup_expires_at FROM admins WHERE role = 'institution' ORDER BY institution_id, email`)
      .all()
      .map((r) => ({
        ...(toAccount(r) as Admin & { role: 'institution'; institutionId: string }),
        createdAt: r.created_at,
        createdBy: r.created_by,
        deactivatedAt: r.deactivated_at,
        setupPendingUntil: r.setup_expires_at && r.setup_expires_at > now.toISOString() ? r.setup_expires_at : null,
      }));
  }

  /** Deactivates (or re-activates) an institution account; deactivating ends its sessions and its setup link. */
  setInstitutionAccountActive(accountId: string, active: boolean, now = new Date()): boolean {
    return this.db.transaction(() => {
      const done = active
        ? this.db.prepare(`UPDATE admins SET deactivated_at = NULL WHERE id = ? AND role = 'institution' AND deactivated_at IS NOT NULL`).run(accountId)
        : this.db.prepare(`UPDATE admins SET deactivated_at = ?, setup_hash = NULL, setup_expires_at = NULL WHERE id = ? AND role = 'institution' AND deactivated_at IS NULL`).run(now.toISOString(), accountId);
      if (!active) this.db.prepare('DELETE FROM admin_sessions WHERE admin_id = ?').run(accountId);
      return done.changes > 0;
    })();
  }

  /** Names of accounts by id (who recorded an outcome). */
  accountNames(ids: readonly string[]): Map<string, { name: string; email: string }> {
    const one = this.db.prepare<[string], { name: string; email: string }>('SELECT name, email FROM admins WHERE id = ?');
    const out = new Map<string, { name: string; email: string }>();
    for (const id of new Set(ids)) {
      const r = one.get(id);
      if (r) out.set(id, r);
    }
    return out;
  }

  /** Checks email + password (always one scrypt, known email or not); answers the account or null (also when deactivated). */
  async checkPassword(email: string, password: string): Promise<Admin | null> {
    const row = this.db
      .prepare<[string], AccountRow & { password_hash: string; deactivated_at: string | null }>(`SELECT ${ACCOUNT_COLUMNS}, password_hash, deactivated_at FROM admins WHERE email = ?`)
      .get(email.trim().toLowerCase());
    const ok = await verifyPin(password, row?.password_hash ?? dummy());
    return row && ok && row.deactivated_at === null ? toAccount(row) : null;
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
      .prepare<[string, string], AccountRow & { csrf: string; expires_at: string }>(
        'SELECT a.id, a.email, a.name, a.role, a.institution_id, s.csrf, s.expires_at FROM admin_sessions s JOIN admins a ON a.id = s.admin_id WHERE s.token_hash = ? AND s.expires_at > ? AND a.deactivated_at IS NULL',
      )
      .get(tokenHash(token), now.toISOString());
    return row ? { admin: toAccount(row), csrf: row.csrf, expiresAt: row.expires_at } : null;
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

/** A refused account change, naming the field it is about (the form shows it beside that field). */
export class AccountError extends Error {
  constructor(
    readonly field: 'email' | 'password' | 'institutionId',
    message: string,
    readonly reason: 'bad_email' | 'admin_email' | 'short_password' = field === 'password' ? 'short_password' : 'bad_email',
  ) {
    super(message);
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
