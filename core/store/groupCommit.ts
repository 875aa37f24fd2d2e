import type { Db } from './sqlite';

interface Member {
  fn: () => unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** What a group's flush did (tests and benches read it through `onFlush`). */
export interface GroupFlush {
  /** Members run in this group's transaction. */
  members: number;
  /** Of those, members whose work threw (rolled back to their savepoint; the others committed). */
  failed: number;
  /** The group's transaction itself failed (nothing of it was kept; every member was refused). */
  aborted: boolean;
}

/**
 * Group commit: many small writes, one transaction and one fsync.
 *
 * `run(fn)` does not write at once: it queues `fn` and answers a promise. At the end of the current
 * turn of the event loop (`setImmediate`), every queued `fn` runs in ONE write transaction, each in
 * its own savepoint, and the transaction commits (one fsync with `synchronous = FULL`); only then
 * are the promises settled. So:
 * - a caller is answered only after its write is durable (the commit returned);
 * - the writes that arrived while a commit was in flight are gathered into the next group: better-sqlite3
 *   commits on the host's thread, so requests pile up in the sockets during the fsync, are read and
 *   queued in the next turn, and share its single commit;
 * - each `fn` runs against the state that includes the earlier members of its group (same
 *   connection, same transaction): a rule such as "already checked in" stays exact;
 * - a member that throws is rolled back to its savepoint and refused alone; the rest of its group
 *   commits. If the transaction itself fails (BEGIN or COMMIT: disk full, I/O error, lock timeout),
 *   nothing of the group is kept and every member is refused with that error.
 *
 * The transaction is open only inside the synchronous flush: no other code on this connection runs
 * while it is open, so it never catches another writer's statements. `fn` must be synchronous.
 */
export class GroupCommit {
  private queue: Member[] = [];
  private scheduled = false;
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  private readonly savepoint;
  private readonly release;
  private readonly rollbackTo;

  constructor(
    private readonly db: Db,
    private readonly onFlush?: (f: GroupFlush) => void,
  ) {
    // IMMEDIATE: the write lock up front, as EventStore.transaction takes it (the import worker writes through its own connection).
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT group_member');
    this.release = db.prepare('RELEASE group_member');
    this.rollbackTo = db.prepare('ROLLBACK TO group_member');
  }

  /** Queues `fn` for this turn's group; resolves with its value once the group's commit returned. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes the members queued so far now (the store closes, or a test wants the group done). */
  flush(): void {
    this.scheduled = false;
    const members = this.queue;
    if (members.length === 0) return;
    this.queue = [];
    if (!this.db.open) {
      for (const m of members) m.reject(new Error('The store closed before the write'));
      return;
    }
    if (this.db.inTransaction) {
      // Called from inside another transaction of this connection: its outcome is not ours to
      // promise. The group waits for the next turn, when that transaction is over.
      this.queue = members.concat(this.queue);
      this.scheduled = true;
      setImmediate(() => this.flush());
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    let failed = 0;
    try {
      this.begin.run();
      // A group of one (a lone desk) needs no savepoint: its refusal undoes the whole transaction.
      const lone = members.length === 1;
      for (const m of members) {
        if (!lone) this.savepoint.run();
        try {
          const value = m.fn();
          if (value instanceof Promise) throw new Error('A grouped write must be synchronous');
          if (!lone) this.release.run();
          outcomes.push({ ok: true, value });
        } catch (err) {
          if (lone) {
            if (this.db.inTransaction) this.rollback.run();
          } else {
            // Undo this member only. If SQLite already rolled the whole transaction back (I/O error,
            // disk full), ROLLBACK TO throws: the group fails as a whole below.
            this.rollbackTo.run();
            this.release.run();
          }
          failed++;
          outcomes.push({ ok: false, value: err });
        }
      }
      if (!lone || failed === 0) this.commit.run();
    } catch (err) {
      if (this.db.inTransaction) {
        try {
          this.rollback.run();
        } catch {
          // The transaction is gone already.
        }
      }
      for (const m of members) m.reject(err);
      this.onFlush?.({ members: members.length, failed: members.length, aborted: true });
      return;
    }
    members.forEach((m, i) => {
      const o = outcomes[i]!;
      if (o.ok) m.resolve(o.value);
      else m.reject(o.value);
    });
    this.onFlush?.({ members: members.length, failed, aborted: false });
  }
}
