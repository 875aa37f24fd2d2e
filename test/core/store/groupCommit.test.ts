import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit, type GroupFlush } from '../../../core/store/groupCommit';
import { openSqlite, type Db } from '../../../core/store/sqlite';
import { createTestStore, disposeTestStore, tempDir } from '../../helpers/testStore';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A WAL file with one table, and a second connection to it (what another process would see). */
function files(): { db: Db; other: Db } {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, 'g.sqlite');
  const db = openSqlite(file);
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const other = openSqlite(file);
  dbs.push(db, other);
  return { db, other };
}

const rows = (db: Db) => (db.prepare('SELECT k, v FROM t ORDER BY k').all() as { k: string; v: number }[]).map((r) => `${r.k}=${r.v}`);

describe('group commit', () => {
  it('writes every member queued in one turn in one transaction, and answers each once the commit returned', async () => {
    const { db, other } = files();
    const flushes: GroupFlush[] = [];
    const group = new GroupCommit(db, (f) => flushes.push(f));
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const seenByOther: string[][] = [];
    const answers = Array.from({ length: 20 }, (_, i) =>
      group.run(() => {
        insert.run(`k${String(i).padStart(2, '0')}`, i);
        // Inside the group: the other connection sees nothing of it yet (not committed).
        seenByOther.push(rows(other));
        return i;
      }),
    );
    // Nothing runs before the end of the turn.
    expect(rows(db)).toEqual([]);
    const values = await Promise.all(answers);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(flushes).toEqual([{ members: 20, failed: 0, aborted: false }]);
    expect(seenByOther.every((r) => r.length === 0)).toBe(true);
    // Answered: committed, so another connection (another process) reads all of it.
    expect(rows(other)).toHaveLength(20);
  });

  it('refuses only the member that threw (its writes undone), and commits the rest of its group', async () => {
    const { db, other } = files();
    const flushes: GroupFlush[] = [];
    const group = new GroupCommit(db, (f) => flushes.push(f));
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const a = group.run(() => insert.run('a', 1).changes);
    const b = group.run(() => {
      insert.run('b', 2);
      throw new Error('rule broken');
    });
    // A constraint error from SQLite itself is one member's failure too.
    const c = group.run(() => insert.run('a', 3).changes);
    const d = group.run(() => insert.run('d', 4).changes);
    const settled = await Promise.allSettled([a, b, c, d]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'rule broken' });
    expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(flushes).toEqual([{ members: 4, failed: 2, aborted: false }]);
    expect(rows(other)).toEqual(['a=1', 'd=4']);
  });

  it('runs each member against the state that includes the earlier members of its group', async () => {
    const { db } = files();
    const group = new GroupCommit(db);
    const get = db.prepare<[string], { v: number }>('SELECT v FROM t WHERE k = ?');
    const upsert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v');
    // Five "check-ins" of the same key in one group: only the first finds it absent.
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        group.run(() => {
          const before = get.get('x');
          upsert.run('x', (before?.v ?? 0) + 1);
          return before ? 'already' : 'created';
        }),
      ),
    );
    expect(answers).toEqual(['created', 'already', 'already', 'already', 'already']);
    expect(get.get('x')?.v).toBe(5);
  });

  it('refuses every member when the transaction cannot be taken, and keeps nothing of the group', async () => {
    const { db, other } = files();
    const flushes: GroupFlush[] = [];
    const group = new GroupCommit(db, (f) => flushes.push(f));
    // Another connection holds the write lock, and this one does not wait for it.
    db.pragma('busy_timeout = 0');
    other.prepare('BEGIN IMMEDIATE').run();
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const settled = await Promise.allSettled([group.run(() => insert.run('a', 1)), group.run(() => insert.run('b', 2))]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    expect(flushes).toEqual([{ members: 2, failed: 2, aborted: true }]);
    other.prepare('ROLLBACK').run();
    expect(db.inTransaction).toBe(false);
    expect(rows(db)).toEqual([]);
    // The next group goes through.
    await group.run(() => insert.run('c', 3));
    expect(rows(other)).toEqual(['c=3']);
  });

  it('a group of one (no savepoint) that throws keeps nothing, and the next group writes as usual', async () => {
    const { db, other } = files();
    const flushes: GroupFlush[] = [];
    const group = new GroupCommit(db, (f) => flushes.push(f));
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    await expect(
      group.run(() => {
        insert.run('a', 1);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(db.inTransaction).toBe(false);
    expect(rows(db)).toEqual([]);
    expect(flushes).toEqual([{ members: 1, failed: 1, aborted: false }]);
    await expect(group.run(() => insert.run('b', 2).changes)).resolves.toBe(1);
    expect(rows(other)).toEqual(['b=2']);
  });

  it('refuses an asynchronous member without keeping its writes', async () => {
    const { db } = files();
    const group = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    await expect(
      group.run(() => {
        insert.run('a', 1);
        return Promise.resolve(1);
      }),
    ).rejects.toThrow(/synchronous/);
    expect(rows(db)).toEqual([]);
  });

  it('writes the queued members when the store closes instead of dropping them (EventStore.grouped)', async () => {
    const store = createTestStore();
    const file = store.db.name;
    const answer = store.events.grouped(() => store.events.append('tour_upserted', { id: 'tour-x', name: 'X', year: 2026 }));
    dirs.push(path.dirname(file));
    // Closed in the same turn the write was queued in: close() commits the queued group first.
    store.close();
    const written = await answer;
    const db = openSqlite(file, { readonly: true });
    dbs.push(db);
    expect(db.prepare('SELECT event_id FROM events WHERE event_id = ?').get(written.eventId)).toBeTruthy();
  });

  it('keeps the events of the members that passed and the log gap-free when a member throws mid-append (EventStore.grouped)', async () => {
    const store = createTestStore();
    try {
      const ok1 = store.events.grouped(() => store.events.append('tour_upserted', { id: 'tour-a', name: 'A', year: 2026 }));
      const bad = store.events.grouped(() => {
        store.events.append('tour_upserted', { id: 'tour-b', name: 'B', year: 2026 });
        throw new Error('refused after its append');
      });
      const ok2 = store.events.grouped(() => store.events.append('tour_upserted', { id: 'tour-c', name: 'C', year: 2026 }));
      const settled = await Promise.allSettled([ok1, bad, ok2]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const events = store.db.prepare("SELECT device_seq, local_seq, payload FROM events WHERE device_id = ? AND type = 'tour_upserted' ORDER BY device_seq").all(store.deviceId) as { device_seq: number; local_seq: number; payload: string }[];
      expect(events.map((e) => (JSON.parse(e.payload) as { id: string }).id)).toEqual(['tour-a', 'tour-c']);
      // The device's sequence has no hole where the refused member's event was undone (a push is gap-checked).
      expect(events[1]!.device_seq).toBe(events[0]!.device_seq + 1);
      expect(store.db.prepare('SELECT id FROM tours ORDER BY id').all()).toEqual([{ id: 'tour-a' }, { id: 'tour-c' }]);
    } finally {
      disposeTestStore(store);
    }
  });
});
