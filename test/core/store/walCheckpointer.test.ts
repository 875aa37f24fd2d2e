import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type Db } from '../../../core/store/sqlite';
import { StoreVault } from '../../../core/store/storeVault';
import { checkpointerOf, WalCheckpointer } from '../../../core/store/walCheckpointer';
import { tempDir } from '../../helpers/testStore';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const autoPages = (db: Db) => db.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('WAL checkpoint thread', () => {
  it('copies the committed pages on its own connection while the store’s automatic checkpoint is off; the close still leaves no WAL', async () => {
    const file = path.join(folder(), 'roadshow.sqlite');
    const key = randomBytes(32);
    const store = new StoreVault(file, key).open();
    const c = checkpointerOf(store.db) ?? null;
    await until(() => checkpointerOf(store.db) !== undefined, 'the thread');
    expect(c === null || checkpointerOf(store.db) === c).toBe(true);
    expect(autoPages(store.db)).toBe(0);
    const thread = checkpointerOf(store.db)!;
    const before = thread.checkpoints;
    // Grouped check-in-sized writes: each commit is durable in the WAL; the thread copies them behind.
    for (let i = 0; i < 30; i++) {
      await store.events.grouped(() => store.events.append('checked_in', { registrationId: randomUUID(), attendeeId: randomUUID(), stopId: 'stop-1', desk: `Desk ${i}` }));
    }
    await until(() => thread.checkpoints > before, 'a checkpoint');
    // What the thread reads in the WAL index: frames in the WAL (mxFrame), all of them copied (nBackfill).
    const shm = readFileSync(`${file}-shm`).subarray(0, 136);
    expect(shm.readUInt32LE(16)).toBeGreaterThan(30);
    await until(() => readFileSync(`${file}-shm`).readUInt32LE(96) === readFileSync(`${file}-shm`).readUInt32LE(16), 'every frame copied');
    const events = (store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    store.close();
    // The thread closed its connection first: the store's close was the last one, checkpointed and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = openSqlite(file, { key });
    dbs.push(again);
    expect((again.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(events);
  });

  it('gives the connection its automatic checkpoint back when it stops, and keeps it where the thread cannot open the store', async () => {
    const file = path.join(folder(), 'roadshow.sqlite');
    const key = randomBytes(32);
    const db = openSqlite(file, { key });
    dbs.push(db);
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY)');
    const thread = WalCheckpointer.start(db, file, key)!;
    expect(WalCheckpointer.start(db, file, key)).toBeNull();
    await until(() => thread.active, 'the thread');
    expect(autoPages(db)).toBe(0);
    thread.stop();
    expect(thread.active).toBe(false);
    expect(autoPages(db)).toBe(1000);
    expect(checkpointerOf(db)).toBeUndefined();

    // A wrong key: the thread cannot read the file, says so, and the connection keeps SQLite's own checkpoint.
    const wrong = WalCheckpointer.start(db, file, randomBytes(32))!;
    await new Promise((r) => setTimeout(r, 500));
    expect(wrong.active).toBe(false);
    expect(autoPages(db)).toBe(1000);
    wrong.stop();
  });

  it('is off for a memory database and with ROADSHOW_WAL_THREAD=0', () => {
    const mem = openSqlite(':memory:');
    dbs.push(mem);
    expect(WalCheckpointer.start(mem, ':memory:')).toBeNull();
    const file = path.join(folder(), 'off.sqlite');
    const db = openSqlite(file);
    dbs.push(db);
    process.env.ROADSHOW_WAL_THREAD = '0';
    try {
      expect(WalCheckpointer.start(db, file)).toBeNull();
    } finally {
      delete process.env.ROADSHOW_WAL_THREAD;
    }
  });
});
