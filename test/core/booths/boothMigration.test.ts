import { describe, expect, it } from 'vitest';
import { migration0200 } from '../../../core/store/migrations/0200-create-booth-scheduling';
import { MIGRATIONS, runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

describe('migration 0200 (booth scheduling)', () => {
  it('adds the booth tables to a database at the previous version, keeping its booths', () => {
    const db = openSqlite(':memory:');
    const previous = MIGRATIONS[MIGRATIONS.indexOf(migration0200) - 1]!.version;
    runMigrations(db, previous);
    db.prepare("INSERT INTO booths (id, stop_id, institution_id, location, staff, hlc) VALUES ('b1', 's1', 'i1', 'B01', '[]', 'h')").run();
    expect(runMigrations(db, 200)).toBe(200);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['booth_plans', 'bookings', 'waitlist_entries', 'booking_conflict_resolutions']));
    expect(db.prepare('SELECT location FROM booths').get()).toEqual({ location: 'B01' });
    db.prepare("INSERT INTO bookings (booking_id) VALUES ('x')").run();
    expect(db.prepare('SELECT attendance FROM bookings').get()).toEqual({ attendance: 'pending' });
  });
});
