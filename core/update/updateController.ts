import { AppError } from '../../shared/errors';
import type { UpdateDelivery, UpdateErrorKind, UpdateOffReason, UpdateStatus } from '../../shared/ipc/updateContract';

/**
 * What the app knows about updating itself, and when it asks the feed. The Electron shell
 * (electron/main/updater.ts) adapts electron-updater to `UpdaterPort` and forwards its events to
 * `handle`; everything that decides lives here, under plain Node and unit tests.
 */

/** What the updater says, in electron-updater's order: checking → available → progress… → downloaded, or an error. */
export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'notAvailable' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string };

/** The updater itself (electron-updater's autoUpdater behind a thin adapter). Results arrive as events. */
export interface UpdaterPort {
  check(): Promise<unknown>;
  download(): Promise<unknown>;
  quitAndInstall(): void;
}

/** What the API reads and calls (ApiContext.updates); absent in browser mode. */
export interface UpdateHost {
  status(): UpdateStatus;
  checkNow(): Promise<UpdateStatus>;
  install(): void;
}

/** The feed the build baked into the app (resources/app-update.yml), as far as the policy needs it. */
export interface FeedInfo {
  provider: string;
  /** Windows: the certificate's publisher names an update must be signed by (written by electron-builder when signed). */
  publisherName?: string | string[] | null;
}

export type UpdatePolicy = { off: UpdateOffReason } | { delivery: UpdateDelivery };

/**
 * Whether this copy updates itself, and how. An update is installed only where its code signature is checked
 * before it runs: Windows with a publisher name (electron-updater refuses an installer not signed by it),
 * macOS (Squirrel.Mac refuses an app whose signature does not satisfy the running app's designated
 * requirement). Linux packages (AppImage, deb) carry no signature electron-updater could check, and an
 * unsigned Windows build has no publisher to compare: there a new version is announced, not installed.
 */
export function decideUpdatePolicy(opts: { platform: NodeJS.Platform; packaged: boolean; feed: FeedInfo | null }): UpdatePolicy {
  if (!opts.packaged) return { off: 'notPackaged' };
  if (!opts.feed) return { off: 'noFeed' };
  if (opts.platform === 'darwin') return { delivery: 'install' };
  if (opts.platform === 'win32') {
    const names = ([] as (string | null | undefined)[]).concat(opts.feed.publisherName).filter((n): n is string => typeof n === 'string' && n.trim() !== '');
    return { delivery: names.length > 0 ? 'install' : 'notify' };
  }
  return { delivery: 'notify' };
}

export function classifyUpdateError(message: string): UpdateErrorKind {
  if (/ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|ERR_NETWORK|ERR_CONNECTION|ERR_TIMED_OUT|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|socket hang up/i.test(message)) return 'offline';
  if (/sha512 checksum mismatch|checksum/i.test(message)) return 'checksum';
  if (/signature|not signed|codesign|code sign|publisher/i.test(message)) return 'signature';
  return 'other';
}

export function initialUpdateStatus(currentVersion: string, policy: UpdatePolicy): UpdateStatus {
  return {
    phase: 'off' in policy ? 'off' : 'idle',
    offReason: 'off' in policy ? policy.off : null,
    delivery: 'delivery' in policy ? policy.delivery : null,
    currentVersion,
    availableVersion: null,
    percent: null,
    lastCheckedAt: null,
    errorKind: null,
    error: null,
  };
}

/** Browser mode's answer: the desktop app manages updates. */
export const browserModeUpdateStatus = (currentVersion: string): UpdateStatus => initialUpdateStatus(currentVersion, { off: 'browserMode' });

/**
 * The next status after an updater event. A downloaded update stays announced whatever later checks say
 * (offline at the next venue, the same version again) until a newer one is downloaded.
 */
export function reduceUpdateStatus(s: UpdateStatus, e: UpdaterEvent, now: string): UpdateStatus {
  if (s.phase === 'off') return s;
  const clean = { errorKind: null, error: null };
  switch (e.type) {
    case 'checking':
      return s.phase === 'ready' || s.phase === 'downloading' ? s : { ...s, ...clean, phase: 'checking' };
    case 'available':
      // Once one is downloaded, the app stops asking until it restarts into it.
      if (s.phase === 'ready') return { ...s, lastCheckedAt: now };
      return { ...s, ...clean, phase: s.delivery === 'install' ? 'downloading' : 'available', availableVersion: e.version, percent: s.delivery === 'install' ? 0 : null, lastCheckedAt: now };
    case 'notAvailable':
      return s.phase === 'ready' ? { ...s, lastCheckedAt: now } : { ...s, ...clean, phase: 'idle', availableVersion: null, percent: null, lastCheckedAt: now };
    case 'progress':
      return s.phase === 'downloading' ? { ...s, percent: Math.max(0, Math.min(100, Math.round(e.percent))) } : s;
    case 'downloaded':
      return { ...s, ...clean, phase: 'ready', availableVersion: e.version, percent: 100 };
    case 'error':
      if (s.phase === 'ready') return s;
      return { ...s, phase: 'error', percent: null, errorKind: classifyUpdateError(e.message), error: e.message.split('\n')[0]!.slice(0, 500) };
  }
}

export interface UpdateControllerOptions {
  port: UpdaterPort;
  policy: UpdatePolicy;
  currentVersion: string;
  now?: () => Date;
  /** First check after start (the window is up, the venue's network settled), then every `intervalMs`. */
  firstCheckMs?: number;
  intervalMs?: number;
  setTimer?: (fn: () => void, ms: number) => () => void;
  log?: (message: string) => void;
}

export const FIRST_CHECK_MS = 60_000;
export const CHECK_INTERVAL_MS = 4 * 60 * 60_000;

const defaultTimer = (fn: () => void, ms: number): (() => void) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

export class UpdateController implements UpdateHost {
  private current: UpdateStatus;
  private cancelTimer: (() => void) | null = null;
  private readonly opts: Required<Omit<UpdateControllerOptions, 'log'>> & Pick<UpdateControllerOptions, 'log'>;

  constructor(opts: UpdateControllerOptions) {
    this.opts = { now: () => new Date(), firstCheckMs: FIRST_CHECK_MS, intervalMs: CHECK_INTERVAL_MS, setTimer: defaultTimer, ...opts };
    this.current = initialUpdateStatus(opts.currentVersion, opts.policy);
  }

  status(): UpdateStatus {
    return this.current;
  }

  /** Starts the schedule: nothing happens for a copy that does not update itself. */
  start(): void {
    if (this.current.phase === 'off' || this.cancelTimer) return;
    this.schedule(this.opts.firstCheckMs);
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** An event of the updater: the new status, and the download where this copy installs updates. */
  handle(e: UpdaterEvent): void {
    const before = this.current;
    this.current = reduceUpdateStatus(before, e, this.opts.now().toISOString());
    if (e.type === 'error') this.opts.log?.(`[update] ${e.message.split('\n')[0]}`);
    if (e.type === 'available' && this.current.phase === 'downloading' && before.phase !== 'downloading') {
      this.opts.port.download().catch((err: unknown) => this.handle({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
    }
  }

  async checkNow(): Promise<UpdateStatus> {
    if (this.current.phase === 'off') throw new AppError('UPDATES_UNAVAILABLE', `This copy does not update itself (${this.current.offReason}).`, { reason: this.current.offReason });
    if (this.current.phase !== 'checking' && this.current.phase !== 'downloading' && this.current.phase !== 'ready') await this.runCheck();
    return this.current;
  }

  install(): void {
    if (this.current.phase !== 'ready') throw new AppError('UPDATE_NOT_READY', 'No update has been downloaded yet.');
    this.stop();
    this.opts.port.quitAndInstall();
  }

  private schedule(ms: number): void {
    this.cancelTimer = this.opts.setTimer(() => {
      this.cancelTimer = null;
      const phase = this.current.phase;
      const check = phase === 'checking' || phase === 'downloading' || phase === 'ready' ? Promise.resolve() : this.runCheck();
      void check.finally(() => {
        if (this.current.phase !== 'ready') this.schedule(this.opts.intervalMs);
      });
    }, ms);
  }

  private async runCheck(): Promise<void> {
    this.handle({ type: 'checking' });
    try {
      await this.opts.port.check();
      // An updater that answered without an event (nothing to compare against) found nothing.
      if (this.current.phase === 'checking') this.handle({ type: 'notAvailable' });
    } catch (err) {
      this.handle({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }
}
