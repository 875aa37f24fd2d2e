import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

describe('migration 0780 (the desk of a consultation revision)', () => {
  it('adds the desk column to an older store and keeps its revisions', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 750);
    db.exec(`INSERT INTO consultation_revisions (event_id, consultation_id, kind, base_ids, editor, content, device_id, actor_id, hlc, at)
      VALUES ('e1', 'c1', 'logged', '[]', 'Lee Seoyeon', '{}', 'dev-1', NULL, 'h1', '2025-11-14T18:30:00.000Z')`);
    expect(() => db.prepare('SELECT desk FROM consultation_revisions').all()).toThrow();
    expect(runMigrations(db, 780)).toBe(780);
    expect(db.prepare('SELECT event_id, editor, desk FROM consultation_revisions').all()).toEqual([{ event_id: 'e1', editor: 'Lee Seoyeon', desk: '' }]);
    db.close();
  });
});
