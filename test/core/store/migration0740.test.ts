import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

describe('migration 0740 (attendee corrections)', () => {
  it('adds the correction tables to an older store and keeps its people', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 720);
    db.exec(`INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc)
      VALUES ('a1', 'Kim', 'Minji', '김민지', 'mj@example.edu', 'MIT', 'postdoc', '[]', '', 'h1')`);
    expect(() => db.prepare('SELECT * FROM attendee_corrections').all()).toThrow();
    expect(runMigrations(db)).toBeGreaterThanOrEqual(740);
    expect(db.prepare('SELECT * FROM attendee_corrections').all()).toEqual([]);
    expect(db.prepare('SELECT * FROM attendee_correction_state').all()).toEqual([]);
    expect(db.prepare('SELECT family_name FROM attendees').all()).toEqual([{ family_name: 'Kim' }]);
    db.close();
  });
});
