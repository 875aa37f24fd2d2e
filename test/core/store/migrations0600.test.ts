import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

describe('migrations 0600 (attendee merges) and 0610 (device keys)', () => {
  it('add their tables to a database at 0500 without touching its rows', () => {
    const db = openSqlite(':memory:');
    expect(runMigrations(db, 500)).toBe(500);
    db.prepare("INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc, search_text) VALUES ('a', 'Kim', 'Minjun', '', '', '', 'postdoc', '[]', '{}', 'h', '')").run();
    expect(runMigrations(db, 600)).toBe(600);
    db.prepare("INSERT INTO attendee_merges (event_id, from_id, into_id, reason, actor_id, hlc, at) VALUES ('e', 'b', 'a', 'email', NULL, 'h', '2025-10-20T00:00:00.000Z')").run();
    db.prepare("INSERT INTO attendee_canonical (attendee_id, canonical_id) VALUES ('b', 'a')").run();
    expect(runMigrations(db, 610)).toBe(610);
    db.prepare("INSERT INTO device_keys (device_id, public_key, event_id, hlc) VALUES ('d', 'k', 'e2', 'h')").run();
    expect(db.prepare('SELECT family_name FROM attendees').get()).toEqual({ family_name: 'Kim' });
    expect(db.prepare('SELECT canonical_id FROM attendee_canonical WHERE attendee_id = ?').get('b')).toEqual({ canonical_id: 'a' });
    expect(() => db.prepare("INSERT INTO attendee_merges (event_id, from_id, into_id, reason, hlc, at) VALUES ('e', 'x', 'y', '', 'h', 't')").run()).toThrow(/UNIQUE/);
  });
});
