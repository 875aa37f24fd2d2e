import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

const plan = (db: ReturnType<typeof openSqlite>, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');

const COLUMNS = 'event_id, registration_id, attendee_id, stop_id, device_id, desk, actor_id, hlc, at';

describe('migration 0910 (check_ins WITHOUT ROWID)', () => {
  it('keeps every check-in, its columns and its index; the reads keep their plans', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 900);
    const insert = db.prepare(`INSERT INTO check_ins (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < 500; i++) {
      insert.run(`ev-${String(1000 - i).padStart(4, '0')}`, `reg-${i % 170}`, `att-${i % 170}`, `stop-${i % 3}`, 'dev-a', `Desk ${i % 4}`, i % 5 ? 'staff-1' : null, `h${String(i).padStart(5, '0')}`, `2026-10-19T10:${String(i % 60).padStart(2, '0')}:00.000Z`);
    }
    const all = () => db.prepare(`SELECT ${COLUMNS} FROM check_ins ORDER BY event_id`).all();
    const columns = () => (db.prepare('PRAGMA table_info(check_ins)').all() as { name: string; type: string; notnull: number; pk: number }[]).map((c) => [c.name, c.type, c.notnull, c.pk]);
    const before = all();
    const beforeColumns = columns();
    expect(runMigrations(db)).toBeGreaterThanOrEqual(910);
    expect(all()).toEqual(before);
    expect(columns()).toEqual(beforeColumns);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'check_ins'").get() as { sql: string }).sql;
    expect(sql).toMatch(/WITHOUT ROWID/);
    expect(sql).toMatch(/STRICT/);
    // One B-tree for the rows and their key, one index: no autoindex on event_id any more.
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'check_ins' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['check_ins_registration']);
    // The projection's insert stays idempotent by event id.
    const again = db.prepare(`INSERT OR IGNORE INTO check_ins (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run('ev-1000', 'reg-x', 'att-x', 'stop-x', 'dev-b', 'D', null, 'h', 'at');
    expect(again.changes).toBe(0);
    // Reads by registration use the index, reads by event id the key.
    expect(plan(db, 'SELECT * FROM check_ins WHERE registration_id = ? ORDER BY hlc', 'reg-1')).toMatch(/USING INDEX check_ins_registration \(registration_id=\?\)/);
    expect(plan(db, 'SELECT registration_id FROM check_ins WHERE event_id = ?', 'ev-1')).toMatch(/USING PRIMARY KEY \(event_id=\?\)/);
    expect(plan(db, 'SELECT registration_id FROM check_ins GROUP BY registration_id HAVING COUNT(*) > 1')).toMatch(/COVERING INDEX check_ins_registration/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
