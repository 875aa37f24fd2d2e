import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyFile } from '../../core/host/keyFile';
import { openSqlite } from '../../core/store/sqlite';
import { startBrowserMode, type BrowserModeApp } from '../helpers/browser';
import { tempDir } from '../helpers/testStore';

const apps: BrowserModeApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.stop();
});

function client(app: BrowserModeApp) {
  const url = new URL(app.openUrl);
  const token = /token=([\w-]+)/.exec(url.hash)![1]!;
  return async (channel: string, input: unknown): Promise<{ ok: boolean; value?: any; error?: { code: string } }> => {
    const res = await fetch(`${url.origin}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
    return res.json() as never;
  };
}

describe('crash safety of the real browser-mode host', () => {
  it('keeps every acknowledged check-in after a SIGKILL in the middle of a burst, and the store passes integrity_check', async () => {
    const dataDir = tempDir('roadshow-crash-');
    const first = await startBrowserMode({ dataDir });
    apps.push(first);
    const call = client(first);
    // The host listens before its store is open (docs/architecture.md, rule 11): the first answer means it is.
    expect((await call('app:info', {})).ok).toBe(true);
    const key = readKeyFile(path.join(dataDir, 'roadshow.key'));
    const storeFile = path.join(dataDir, 'roadshow.sqlite');

    const peek = openSqlite(storeFile, { key, readonly: true });
    const regs = (peek.prepare('SELECT id FROM registrations WHERE id NOT IN (SELECT registration_id FROM check_ins) ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    peek.close();
    expect(regs.length).toBeGreaterThan(150);

    // A burst: 8 check-ins in flight at all times; SIGKILL once 60 are acknowledged.
    const acked: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < regs.length) {
        const id = regs[next++]!;
        try {
          const res = await call('checkin:checkIn', { registrationId: id });
          if (res.ok && res.value.created) acked.push(id);
          else if (!res.ok) throw new Error(`refused: ${res.error?.code}`);
        } catch (err) {
          if (!killed) throw err;
          return; // the connection died with the process: not acknowledged
        }
        if (acked.length >= 60 && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await new Promise<void>((resolve) => (first.process.exitCode !== null || first.process.signalCode !== null ? resolve() : first.process.once('exit', () => resolve())));
    expect(first.process.signalCode).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(60);
    expect(next).toBeLessThan(regs.length); // killed mid-burst, not after it

    // Restart on the same folder (WAL recovery), then check through the API and in the file.
    const second = await startBrowserMode({ dataDir });
    apps.push(second);
    const call2 = client(second);
    for (const id of acked) {
      const res = await call2('checkin:checkIn', { registrationId: id });
      expect(res.ok).toBe(true);
      expect(res.value.created, `check-in of ${id} was acknowledged but is gone`).toBe(false);
    }
    await second.stop();
    const db = openSqlite(storeFile, { key, readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const held = new Set((db.prepare('SELECT registration_id FROM check_ins').all() as { registration_id: string }[]).map((r) => r.registration_id));
    expect(acked.filter((id) => !held.has(id))).toEqual([]);
    // Every check-in event has its projection row and vice versa (no half-written transaction).
    const events = db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'checked_in'").get() as { n: number };
    const rows = db.prepare('SELECT COUNT(*) AS n FROM check_ins').get() as { n: number };
    expect(rows.n).toBe(events.n);
    db.close();
  });
  it('keeps every check-in acknowledged to 64 concurrent clients under group commit after a SIGKILL, with duplicates and unknown registrations refused alone', async () => {
    const dataDir = tempDir('roadshow-crash-');
    const first = await startBrowserMode({ dataDir });
    apps.push(first);
    const call = client(first);
    // The host listens before its store is open (docs/architecture.md, rule 11): the first answer means it is.
    expect((await call('app:info', {})).ok).toBe(true);
    const key = readKeyFile(path.join(dataDir, 'roadshow.key'));
    const storeFile = path.join(dataDir, 'roadshow.sqlite');

    const peek = openSqlite(storeFile, { key, readonly: true });
    const regs = (peek.prepare('SELECT id FROM registrations WHERE id NOT IN (SELECT registration_id FROM check_ins) ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    const checkInsBefore = (peek.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'checked_in'").get() as { n: number }).n;
    peek.close();
    expect(regs.length).toBeGreaterThan(250);

    // 64 clients at once: the requests that arrive while a commit is in flight share the next group.
    // Every 7th request repeats a registration another client just sent (possibly in the same group),
    // every 11th names none: those must be answered alone (already / NOT_FOUND), the others not failed.
    const created = new Map<string, number>();
    const answeredAgain: string[] = [];
    let unknownRefused = 0;
    let next = 0;
    let sent = 0;
    let killed = false;
    const acked = () => created.size;
    const worker = async () => {
      while (!killed && next < regs.length) {
        const n = sent++;
        const id = n % 11 === 10 ? `no-such-registration-${n}` : n % 7 === 6 && next > 0 ? regs[next - 1]! : regs[next++]!;
        try {
          const res = await call('checkin:checkIn', { registrationId: id });
          if (res.ok && res.value.created) created.set(id, (created.get(id) ?? 0) + 1);
          else if (res.ok) answeredAgain.push(id);
          else if (res.error?.code === 'NOT_FOUND' && id.startsWith('no-such-')) unknownRefused++;
          else throw new Error(`refused: ${res.error?.code}`);
        } catch (err) {
          if (!killed) throw err;
          return; // the connection died with the process: not acknowledged
        }
        if (acked() >= 200 && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    await new Promise<void>((resolve) => (first.process.exitCode !== null || first.process.signalCode !== null ? resolve() : first.process.once('exit', () => resolve())));
    expect(first.process.signalCode).toBe('SIGKILL');
    expect(acked()).toBeGreaterThanOrEqual(200);
    expect(next).toBeLessThan(regs.length); // killed mid-burst, not after it
    expect(unknownRefused).toBeGreaterThan(0);
    expect(answeredAgain.length).toBeGreaterThan(0);
    // One "created" per person, however many clients sent them at once.
    expect([...created.values()].filter((n) => n > 1)).toEqual([]);
    // Every "already checked in" answer names someone whose check-in was acknowledged to another client.
    expect(answeredAgain.filter((id) => !created.has(id))).toEqual([]);

    const second = await startBrowserMode({ dataDir });
    apps.push(second);
    const call2 = client(second);
    for (const id of created.keys()) {
      const res = await call2('checkin:checkIn', { registrationId: id });
      expect(res.ok).toBe(true);
      expect(res.value.created, `check-in of ${id} was acknowledged but is gone`).toBe(false);
    }
    await second.stop();
    const db = openSqlite(storeFile, { key, readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const perRegistration = new Map((db.prepare("SELECT json_extract(payload, '$.registrationId') AS id, COUNT(*) AS n FROM events WHERE type = 'checked_in' GROUP BY 1").all() as { id: string; n: number }[]).map((r) => [r.id, r.n]));
    expect([...created.keys()].filter((id) => perRegistration.get(id) !== 1)).toEqual([]);
    // Nothing kept that no one was told about beyond the groups in flight at the kill (at most one per client),
    // and every check-in event has its projection row and vice versa (no half-written group).
    const events = db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'checked_in'").get() as { n: number };
    expect(events.n - checkInsBefore - created.size).toBeLessThanOrEqual(64);
    const rows = db.prepare('SELECT COUNT(*) AS n FROM check_ins').get() as { n: number };
    expect(rows.n).toBe(events.n);
    db.close();
  });
});
