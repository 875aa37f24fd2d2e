import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

describe('migration 0710 (email index in the lookup’s collation)', () => {
  it('lets the walk-in email lookup (any case) search the index instead of scanning every attendee', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 700);
    const insert = db.prepare("INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc) VALUES (?, 'Kim', 'Minjun', '', ?, 'MIT', 'postdoc', '[]', '', 'h')");
    insert.run('a1', 'Minjun.Kim@MIT.edu');
    insert.run('a2', '');
    const lookup = "SELECT id FROM attendees WHERE email = ? COLLATE NOCASE AND email <> '' LIMIT 5";
    const plan = () => (db.prepare(`EXPLAIN QUERY PLAN ${lookup}`).all('x') as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan()).toMatch(/^SCAN/);
    expect(runMigrations(db)).toBeGreaterThanOrEqual(710);
    // Covering since migration 0911 (the index holds the table's key, the id).
    expect(plan()).toMatch(/SEARCH attendees USING (COVERING )?INDEX attendees_email \(email=\?\)/);
    expect(db.prepare(lookup).all('minjun.kim@mit.edu')).toEqual([{ id: 'a1' }]);
  });
});
