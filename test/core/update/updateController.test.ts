import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { UpdateStatus } from '../../../shared/ipc/updateContract';
import {
  UpdateController,
  browserModeUpdateStatus,
  classifyUpdateError,
  decideUpdatePolicy,
  initialUpdateStatus,
  reduceUpdateStatus,
  type UpdaterEvent,
  type UpdaterPort,
} from '../../../core/update/updateController';

const NOW = '2026-03-02T09:00:00.000Z';

/** A stand-in for electron-updater: records calls; a check answers with the events the test queued. */
function fakePort(answer: UpdaterEvent[] = []) {
  const calls: string[] = [];
  let controller: UpdateController | null = null;
  const port: UpdaterPort = {
    check: async () => {
      calls.push('check');
      for (const e of answer) controller?.handle(e);
    },
    download: async () => {
      calls.push('download');
    },
    quitAndInstall: () => calls.push('quitAndInstall'),
  };
  return { port, calls, attach: (c: UpdateController) => (controller = c), setAnswer: (a: UpdaterEvent[]) => (answer = a) };
}

/** Timers the test fires by hand: no waiting, no timing assertions. */
function manualTimers() {
  const pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  return {
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, cancelled: false };
      pending.push(t);
      return () => void (t.cancelled = true);
    },
    live: () => pending.filter((t) => !t.cancelled),
    fireNext: async () => {
      const t = pending.find((x) => !x.cancelled)!;
      t.cancelled = true;
      t.fn();
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('update policy', () => {
  const feed = { provider: 'generic' };
  it('installs only where a code signature is checked, announces elsewhere, and is off without a package or feed', () => {
    expect(decideUpdatePolicy({ platform: 'darwin', packaged: true, feed })).toEqual({ delivery: 'install' });
    expect(decideUpdatePolicy({ platform: 'win32', packaged: true, feed: { provider: 'generic', publisherName: ['Roadshow Desk Org'] } })).toEqual({ delivery: 'install' });
    expect(decideUpdatePolicy({ platform: 'win32', packaged: true, feed: { provider: 'generic', publisherName: 'Roadshow Desk Org' } })).toEqual({ delivery: 'install' });
    // An unsigned Windows build has no publisher to compare the update's signature with.
    expect(decideUpdatePolicy({ platform: 'win32', packaged: true, feed })).toEqual({ delivery: 'notify' });
    expect(decideUpdatePolicy({ platform: 'win32', packaged: true, feed: { provider: 'generic', publisherName: [' '] } })).toEqual({ delivery: 'notify' });
    expect(decideUpdatePolicy({ platform: 'linux', packaged: true, feed })).toEqual({ delivery: 'notify' });
    expect(decideUpdatePolicy({ platform: 'darwin', packaged: false, feed })).toEqual({ off: 'notPackaged' });
    expect(decideUpdatePolicy({ platform: 'darwin', packaged: true, feed: null })).toEqual({ off: 'noFeed' });
  });

  it('sorts the updater’s failures into what the person is told', () => {
    expect(classifyUpdateError('net::ERR_INTERNET_DISCONNECTED')).toBe('offline');
    expect(classifyUpdateError('getaddrinfo ENOTFOUND updates.example.org')).toBe('offline');
    expect(classifyUpdateError('New version 0.2.0 is not signed by the application owner: publisherNames: Roadshow')).toBe('signature');
    expect(classifyUpdateError('Code signature at URL file:///… did not pass validation: code failed to satisfy specified code requirement(s)')).toBe('signature');
    expect(classifyUpdateError('sha512 checksum mismatch, expected abc, got def')).toBe('checksum');
    expect(classifyUpdateError('Cannot parse releases feed')).toBe('other');
  });
});

describe('update status', () => {
  const install = initialUpdateStatus('0.1.0', { delivery: 'install' });
  const notify = initialUpdateStatus('0.1.0', { delivery: 'notify' });
  const run = (s: UpdateStatus, events: UpdaterEvent[]) => events.reduce((acc, e) => reduceUpdateStatus(acc, e, NOW), s);

  it('goes checking → downloading → ready where updates install, and every status fits the contract', () => {
    const steps = [install];
    for (const e of [{ type: 'checking' }, { type: 'available', version: '0.2.0' }, { type: 'progress', percent: 41.6 }, { type: 'downloaded', version: '0.2.0' }] as UpdaterEvent[]) steps.push(reduceUpdateStatus(steps.at(-1)!, e, NOW));
    expect(steps.map((s) => s.phase)).toEqual(['idle', 'checking', 'downloading', 'downloading', 'ready']);
    expect(steps[3]).toMatchObject({ availableVersion: '0.2.0', percent: 42 });
    expect(steps[4]).toMatchObject({ availableVersion: '0.2.0', percent: 100, lastCheckedAt: NOW });
    for (const s of steps) expect(UpdateStatus.parse(s)).toEqual(s);
    expect(UpdateStatus.parse(browserModeUpdateStatus('0.1.0'))).toMatchObject({ phase: 'off', offReason: 'browserMode' });
  });

  it('only announces where updates are installed by hand', () => {
    expect(run(notify, [{ type: 'checking' }, { type: 'available', version: '0.2.0' }])).toMatchObject({ phase: 'available', availableVersion: '0.2.0', percent: null });
  });

  it('keeps a downloaded update announced whatever later checks and failures say', () => {
    const ready = run(install, [{ type: 'available', version: '0.2.0' }, { type: 'downloaded', version: '0.2.0' }]);
    for (const e of [{ type: 'checking' }, { type: 'notAvailable' }, { type: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' }, { type: 'available', version: '0.2.0' }] as UpdaterEvent[]) {
      expect(reduceUpdateStatus(ready, e, NOW)).toMatchObject({ phase: 'ready', availableVersion: '0.2.0' });
    }
  });

  it('reports a failed download with its kind, keeps the version, and clears it on the next good answer', () => {
    const failed = run(install, [{ type: 'available', version: '0.2.0' }, { type: 'error', message: 'sha512 checksum mismatch\n  at stack' }]);
    expect(failed).toMatchObject({ phase: 'error', errorKind: 'checksum', error: 'sha512 checksum mismatch', availableVersion: '0.2.0' });
    expect(run(failed, [{ type: 'checking' }, { type: 'notAvailable' }])).toMatchObject({ phase: 'idle', errorKind: null, error: null, availableVersion: null });
  });

  it('never moves when this copy does not update itself', () => {
    const off = initialUpdateStatus('0.1.0', { off: 'noFeed' });
    expect(run(off, [{ type: 'checking' }, { type: 'available', version: '9.9.9' }])).toBe(off);
  });
});

describe('update controller', () => {
  it('checks a minute after start and then every few hours, downloads what it installs, and restarts only when ready', async () => {
    const timers = manualTimers();
    const fake = fakePort([{ type: 'checking' }, { type: 'notAvailable' }]);
    const c = new UpdateController({ port: fake.port, policy: { delivery: 'install' }, currentVersion: '0.1.0', setTimer: timers.setTimer, now: () => new Date(NOW) });
    fake.attach(c);
    c.start();
    c.start(); // idempotent
    expect(timers.live().map((t) => t.ms)).toEqual([60_000]);
    expect(() => c.install()).toThrow(AppError);

    await timers.fireNext();
    expect(fake.calls).toEqual(['check']);
    expect(c.status()).toMatchObject({ phase: 'idle', lastCheckedAt: NOW });
    expect(timers.live().map((t) => t.ms)).toEqual([4 * 60 * 60_000]);

    fake.setAnswer([{ type: 'checking' }, { type: 'available', version: '0.2.0' }]);
    await timers.fireNext();
    expect(fake.calls).toEqual(['check', 'check', 'download']);
    expect(c.status().phase).toBe('downloading');
    // While it downloads, the schedule does not ask again.
    await timers.fireNext();
    expect(fake.calls).toEqual(['check', 'check', 'download']);

    c.handle({ type: 'downloaded', version: '0.2.0' });
    await timers.fireNext();
    expect(timers.live()).toEqual([]); // ready: no more checks until the restart
    c.install();
    expect(fake.calls.at(-1)).toBe('quitAndInstall');
  });

  it('does not download where it only announces, and "check now" reports the answer', async () => {
    const fake = fakePort([{ type: 'checking' }, { type: 'available', version: '0.2.0' }]);
    const c = new UpdateController({ port: fake.port, policy: { delivery: 'notify' }, currentVersion: '0.1.0', setTimer: manualTimers().setTimer });
    fake.attach(c);
    await expect(c.checkNow()).resolves.toMatchObject({ phase: 'available', availableVersion: '0.2.0' });
    expect(fake.calls).toEqual(['check']);
    expect(() => c.install()).toThrow(expect.objectContaining({ code: 'UPDATE_NOT_READY' }));
  });

  it('turns a failed check into an error status, and an answer without events into "up to date"', async () => {
    const port: UpdaterPort = { check: () => Promise.reject(new Error('getaddrinfo ENOTFOUND updates.example.org')), download: async () => undefined, quitAndInstall: () => undefined };
    const c = new UpdateController({ port, policy: { delivery: 'install' }, currentVersion: '0.1.0', setTimer: manualTimers().setTimer });
    await expect(c.checkNow()).resolves.toMatchObject({ phase: 'error', errorKind: 'offline' });
    const quiet = new UpdateController({ port: { ...port, check: async () => null }, policy: { delivery: 'install' }, currentVersion: '0.1.0', setTimer: manualTimers().setTimer });
    await expect(quiet.checkNow()).resolves.toMatchObject({ phase: 'idle' });
  });

  it('schedules nothing and refuses a check when the copy does not update itself', async () => {
    const timers = manualTimers();
    const fake = fakePort();
    const c = new UpdateController({ port: fake.port, policy: { off: 'notPackaged' }, currentVersion: '0.1.0', setTimer: timers.setTimer });
    c.start();
    expect(timers.live()).toEqual([]);
    await expect(c.checkNow()).rejects.toMatchObject({ code: 'UPDATES_UNAVAILABLE' });
    expect(fake.calls).toEqual([]);
  });
});
