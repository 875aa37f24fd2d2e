import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createStaffQueries } from '../../../core/store/queries/staffQueries';

describe('migration 0720 (tour planning)', () => {
  it('keeps the rows of an older store and gives them the new fields’ defaults', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 710);
    db.exec(`
      INSERT INTO tours (id, name, name_ko, year, hlc) VALUES ('tour-2025', 'Roadshow', '로드쇼', 2025, 'h1');
      INSERT INTO stops (id, tour_id, round, city, city_ko, venue, campus, date, time_zone, kind, hlc)
        VALUES ('stop-1', 'tour-2025', '1', 'Boston', '보스턴', '', '', '2025-10-20', 'America/New_York', 'joint_briefing', 'h2');
      INSERT INTO institutions (id, name, name_ko, short_name, kind, hlc) VALUES ('inst-kaist', 'KAIST', '', 'KAIST', 'university', 'h3');
      INSERT INTO booths (id, stop_id, institution_id, location, staff, hlc) VALUES ('booth-1', 'stop-1', 'inst-kaist', 'B01', '[]', 'h4');
      INSERT INTO staff (id, name, role, institution_id, hlc) VALUES ('staff-1', 'Kim', 'stop_lead', NULL, 'h5');
      INSERT INTO staff_pins (staff_id, pin_hash, hlc) VALUES ('staff-1', 'scrypt$x', 'h5');`);
    expect(() => db.prepare('SELECT * FROM stop_sessions').all()).toThrow();
    expect(runMigrations(db)).toBeGreaterThanOrEqual(720);
    const m = createMasterDataQueries(db);
    expect(m.tour()).toEqual({ id: 'tour-2025', name: 'Roadshow', nameKo: '로드쇼', year: 2025, startDate: null, endDate: null });
    expect(m.institutions()[0]).toMatchObject({ programs: [], contactName: '', contactEmail: '' });
    expect(m.booths('stop-1')).toMatchObject([{ id: 'booth-1', removed: false }]);
    expect(m.sessions('stop-1')).toEqual([]);
    expect(createStaffQueries(db).list()).toMatchObject([{ id: 'staff-1', stopIds: [], pinSet: true }]);
  });
});
