import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

const plan = (db: ReturnType<typeof openSqlite>, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');
const schemaOf = (db: ReturnType<typeof openSqlite>, table: string) =>
  (db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info('${table}') ORDER BY cid`).all() as unknown[]);
const indexesOf = (db: ReturnType<typeof openSqlite>, table: string) =>
  (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").all(table) as unknown[]);

describe('migration 0911 (people and registrations keyed by id)', () => {
  it('keeps every row, column and index, and a look-up by id reads the table itself', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 900);
    const insA = db.prepare("INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc) VALUES (?, 'Kim', ?, '김', ?, 'KAIST', 'phd', '[\"ai\"]', '', 'h')");
    const insR = db.prepare("INSERT INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc) VALUES (?, ?, 'stop-a', 'import', ?, 'h')");
    // Ids in no particular order (walk-ins from other desks are random UUIDs).
    for (let i = 0; i < 50; i++) {
      const a = `a-${(i * 37) % 101}`;
      insA.run(a, `G${i}`, i % 3 === 0 ? '' : `g${i}@x.org`);
      insR.run(`r-${(i * 53) % 97}`, a, `TOK-${i}`);
    }
    const before = {
      attendees: db.prepare('SELECT * FROM attendees ORDER BY id').all(),
      registrations: db.prepare('SELECT * FROM registrations ORDER BY id').all(),
      schema: [schemaOf(db, 'attendees'), schemaOf(db, 'registrations')],
      indexes: [indexesOf(db, 'attendees'), indexesOf(db, 'registrations')],
    };
    expect(plan(db, 'SELECT * FROM registrations WHERE id = ?', 'r-1')).toMatch(/sqlite_autoindex_registrations_1/);
    expect(runMigrations(db)).toBeGreaterThanOrEqual(911);
    expect(db.prepare('SELECT * FROM attendees ORDER BY id').all()).toEqual(before.attendees);
    expect(db.prepare('SELECT * FROM registrations ORDER BY id').all()).toEqual(before.registrations);
    expect([schemaOf(db, 'attendees'), schemaOf(db, 'registrations')]).toEqual(before.schema);
    expect([indexesOf(db, 'attendees'), indexesOf(db, 'registrations')]).toEqual(before.indexes);
    const withoutRowid = (t: string) => /WITHOUT ROWID/.test((db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(t) as { sql: string }).sql);
    expect(withoutRowid('attendees') && withoutRowid('registrations')).toBe(true);
    // One B-tree per look-up by id (the table's own key), no separate index of the id.
    expect(plan(db, 'SELECT * FROM registrations WHERE id = ?', 'r-1')).toBe('SEARCH registrations USING PRIMARY KEY (id=?)');
    expect(plan(db, 'SELECT * FROM attendees WHERE id = ?', 'a-1')).toBe('SEARCH attendees USING PRIMARY KEY (id=?)');
    // The other look-ups keep their indexes; the ids stay unique.
    expect(plan(db, "SELECT * FROM registrations WHERE stop_id = ? AND scan_token = ?", 's', 't')).toMatch(/registrations_(token|stop)/);
    expect(plan(db, "SELECT id FROM attendees WHERE email = ? COLLATE NOCASE AND email <> ''", 'x')).toMatch(/attendees_email/);
    expect(() => insR.run('r-0', 'a-0', 'T')).toThrow(/UNIQUE/);
    expect(() => insA.run('a-0', 'G', '')).toThrow(/UNIQUE/);
    db.close();
  });
});
