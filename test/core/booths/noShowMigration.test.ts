import { describe, expect, it } from 'vitest';
import { migration0750 } from '../../../core/store/migrations/0750-no-show-settings';
import { MIGRATIONS, runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

describe('migration 0750 (no-show settings)', () => {
  it('adds the stop settings and keeps bookings and waitlist entries of the previous version', () => {
    const db = openSqlite(':memory:');
    const previous = MIGRATIONS[MIGRATIONS.indexOf(migration0750) - 1]!.version;
    runMigrations(db, previous);
    db.prepare("INSERT INTO bookings (booking_id, attendance, attendance_hlc) VALUES ('b1', 'no_show', 'h1')").run();
    db.prepare("INSERT INTO waitlist_entries (entry_id, offer_hlc) VALUES ('w1', '001763143200000:00000:dev')").run();
    expect(runMigrations(db, 750)).toBe(750);
    // Marks from before were made by people; offers from before fall back to their HLC's time.
    expect(db.prepare('SELECT attendance, attendance_source FROM bookings').get()).toEqual({ attendance: 'no_show', attendance_source: null });
    expect(db.prepare('SELECT offer_ms FROM waitlist_entries').get()).toEqual({ offer_ms: null });
    db.prepare("INSERT INTO stop_booth_settings (stop_id, auto_no_show_minutes, offer_expiry_minutes, set_at, hlc) VALUES ('s1', NULL, 5, 'now', 'h')").run();
    expect(db.prepare('SELECT offer_expiry_minutes FROM stop_booth_settings').get()).toEqual({ offer_expiry_minutes: 5 });
    db.close();
  });
});
