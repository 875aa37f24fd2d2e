import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

const tables = (db: ReturnType<typeof openSqlite>) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  it('bring an empty database to the latest version', () => {
    const db = openSqlite(':memory:');
    expect(runMigrations(db)).toBe(LATEST_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['events', 'settings', 'stops', 'institutions', 'booths', 'attendees', 'registrations', 'check_ins', 'check_in_voids', 'consents']));
    expect(runMigrations(db)).toBe(LATEST_VERSION); // idempotent
  });

  it('are numbered in increasing steps', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('stop at a target version and resume from it', () => {
    const db = openSqlite(':memory:');
    expect(runMigrations(db, 20)).toBe(20);
    expect(tables(db)).not.toContain('attendees');
    db.prepare("INSERT INTO stops (id, tour_id, round, city, city_ko, venue, campus, date, time_zone, kind, hlc) VALUES ('s', 't', '1', 'Boston', '', '', '', '2025-10-20', 'America/New_York', 'joint_briefing', 'x')").run();
    expect(runMigrations(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT city FROM stops').get()).toEqual({ city: 'Boston' });
  });

  it('roll back a migration that fails, leaving the previous version', () => {
    const db = openSqlite(':memory:');
    const broken = [...MIGRATIONS.slice(0, 1), { version: 15, name: 'broken', up: (d: typeof db) => void d.exec('CREATE TABLE half (x); SELECT * FROM no_such_table;') }];
    expect(() => runMigrations(db, 15, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(tables(db)).not.toContain('half');
  });

  it('refuse migrations out of order', () => {
    const db = openSqlite(':memory:');
    expect(() => runMigrations(db, 30, [MIGRATIONS[1]!, MIGRATIONS[0]!])).toThrow(/out of order/);
  });
});
