import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';
import { createSessionCheckinQueries } from '../../../core/store/queries/sessionCheckinQueries';

describe('migration 0730 (session check-ins)', () => {
  it('adds the session check-in tables to an older store and keeps its rows', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 720);
    db.exec(`
      INSERT INTO stop_sessions (id, stop_id, kind, title, title_ko, start_time, end_time, room, capacity, cancelled, hlc)
        VALUES ('sess-1', 'stop-1', 'policy_briefing', 'Briefing', '', '10:00', '11:00', 'A', 100, 0, 'h1');`);
    expect(() => db.prepare('SELECT * FROM session_check_ins').all()).toThrow();
    expect(runMigrations(db)).toBeGreaterThanOrEqual(730);
    expect(createSessionCheckinQueries(db).counts('stop-1')).toEqual([{ sessionId: 'sess-1', stopId: 'stop-1', checkedIn: 0, duplicates: 0, capacity: 100, byCareerStage: {} }]);
    db.close();
  });
});
