import type { StaffRole } from '../../shared/schemas/staff';

export interface SignedInStaff {
  id: string;
  name: string;
  role: StaffRole;
  institutionId: string | null;
}

export interface DeskSessionOptions {
  /** Minutes without an API call after which the desk locks itself. */
  lockAfterMinutes?: number;
  now?: () => number;
}

const MAX_FREE_FAILURES = 5;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;

/**
 * Who is signed in at this desk (one per app process: one laptop, one desk), when they last did
 * something, and how many wrong PINs were tried. Held in memory only: a restart locks the desk.
 */
export class DeskSession {
  staff: SignedInStaff | null = null;
  readonly lockAfterMs: number;
  private lastActivity: number;
  private readonly now: () => number;
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(opts: DeskSessionOptions = {}) {
    this.lockAfterMs = Math.max(1, opts.lockAfterMinutes ?? 10) * 60_000;
    this.now = opts.now ?? Date.now;
    this.lastActivity = this.now();
  }

  get lockAfterMinutes(): number {
    return this.lockAfterMs / 60_000;
  }

  /** Locks the desk when it has been idle too long; true when it did. */
  expireIfIdle(): boolean {
    if (this.staff && this.now() - this.lastActivity >= this.lockAfterMs) {
      this.staff = null;
      return true;
    }
    return false;
  }

  touch(): void {
    this.lastActivity = this.now();
  }

  signIn(staff: SignedInStaff): void {
    this.staff = staff;
    this.failures.delete(staff.id);
    this.failures.delete('*');
    this.touch();
  }

  lock(): void {
    this.staff = null;
  }

  /** Milliseconds until another PIN may be tried for this person (0: now). Counts per person and per desk. */
  retryAfterMs(staffId: string): number {
    const t = this.now();
    return Math.max(0, (this.failures.get(staffId)?.until ?? 0) - t, (this.failures.get('*')?.until ?? 0) - t);
  }

  recordFailure(staffId: string): void {
    for (const [key, free] of [[staffId, MAX_FREE_FAILURES], ['*', MAX_FREE_FAILURES * 3]] as const) {
      const f = this.failures.get(key) ?? { count: 0, until: 0 };
      f.count++;
      if (f.count >= free) f.until = this.now() + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (f.count - free));
      this.failures.set(key, f);
    }
  }
}
