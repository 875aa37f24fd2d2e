import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { createConflictQueries } from '../../../core/store/queries/conflictQueries';
import { openSqlite } from '../../../core/store/sqlite';
import { seededRandom } from '../../../core/domain/seededRandom';

const plan = (db: ReturnType<typeof openSqlite>, sql: string, ...args: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('; ');

/** The double check-in derivation as it read before migration 0900 (by check_ins_stop). */
const DOUBLES_BEFORE = `
  WITH live AS (
    SELECT c.* FROM check_ins c WHERE c.stop_id = ? AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id)
  ), ranked AS (
    SELECT live.*, ROW_NUMBER() OVER (PARTITION BY registration_id ORDER BY hlc) AS n,
           FIRST_VALUE(desk) OVER (PARTITION BY registration_id ORDER BY hlc) AS first_desk,
           FIRST_VALUE(at) OVER (PARTITION BY registration_id ORDER BY hlc) AS first_at
    FROM live
  )
  SELECT r.registration_id, r.event_id, r.desk, r.at, r.first_desk, r.first_at FROM ranked r WHERE r.n > 1 ORDER BY r.hlc`;

describe('migration 0900 (fewer indexes written by each check-in)', () => {
  it('drops the log’s type and stop indexes and check_ins’ stop index; the reads that used them take another index', () => {
    const db = openSqlite(':memory:');
    runMigrations(db, 790);
    const indexes = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('events_type', 'events_stop', 'check_ins_stop') ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(indexes()).toEqual(['check_ins_stop', 'events_stop', 'events_type']);
    const changedSince = "SELECT COUNT(*) AS n FROM events WHERE local_seq > ? AND type IN ('attendee_registered', 'attendee_updated')";
    expect(plan(db, changedSince, 0)).toMatch(/events_type/);
    expect(runMigrations(db)).toBeGreaterThanOrEqual(900);
    expect(indexes()).toEqual([]);
    // The search cache's "what changed since" reads the newest events by local_seq, not every event of a type.
    expect(plan(db, changedSince, 0)).toMatch(/SEARCH events USING INDEX events_local_seq \(local_seq>\?\)/);
    // The double check-ins start from the registrations checked in more than once (covering index), then look each up.
    const doubles = plan(db, 'WITH several AS (SELECT registration_id FROM check_ins GROUP BY registration_id HAVING COUNT(*) > 1) SELECT c.* FROM several s JOIN check_ins c ON c.registration_id = s.registration_id WHERE c.stop_id = ?', 's');
    expect(doubles).toMatch(/SCAN check_ins USING COVERING INDEX check_ins_registration/);
    expect(doubles).toMatch(/SEARCH c USING INDEX check_ins_registration \(registration_id=\?\)/);
    db.close();
  });

  it('the double check-ins are those the stop index gave, whatever the check-ins and undos', () => {
    const before = openSqlite(':memory:');
    runMigrations(before, 790);
    const after = openSqlite(':memory:');
    runMigrations(after);
    const rnd = seededRandom(900);
    const stops = ['stop-a', 'stop-b', 'stop-c'];
    for (const db of [before, after]) {
      db.prepare("INSERT INTO tours (id, name, name_ko, year, hlc) VALUES ('t', 'Tour', '', 2026, 'h')").run();
      for (const [i, s] of stops.entries()) {
        db.prepare("INSERT INTO stops (id, tour_id, round, city, city_ko, venue, campus, date, time_zone, kind, hlc) VALUES (?, 't', ?, 'City', '', '', '', '2026-10-19', 'UTC', 'joint_briefing', 'h')").run(s, String(i + 1));
      }
    }
    const insertCheckIn = 'INSERT INTO check_ins (event_id, registration_id, attendee_id, stop_id, device_id, desk, actor_id, hlc, at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)';
    const insertVoid = "INSERT INTO check_in_voids (event_id, check_in_event_id, reason, device_id, actor_id, hlc, at) VALUES (?, ?, 'x', 'd', NULL, ?, '2026-10-19T10:00:00.000Z')";
    let n = 0;
    for (let r = 0; r < 300; r++) {
      const stop = stops[Math.floor(rnd() * stops.length)]!;
      const times = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < times; k++) {
        const id = `ev-${String(n++).padStart(5, '0')}`;
        const hlc = `h${String(Math.floor(rnd() * 100000)).padStart(6, '0')}`;
        // Now and then a check-in of the registration names another stop (a hand-made or corrupted event): both reads must agree on it too.
        const at = rnd() < 0.05 ? stops[(stops.indexOf(stop) + 1) % stops.length]! : stop;
        for (const db of [before, after]) db.prepare(insertCheckIn).run(id, `reg-${r}`, `att-${r}`, at, 'd', `Desk ${k}`, hlc, `2026-10-19T0${k}:00:00.000Z`);
        if (rnd() < 0.2) for (const db of [before, after]) db.prepare(insertVoid).run(`void-${id}`, id, `${hlc}z`);
      }
    }
    const q = createConflictQueries(after);
    let doubles = 0;
    for (const stop of stops) {
      const expected = (before.prepare(DOUBLES_BEFORE).all(stop) as { registration_id: string; event_id: string; desk: string; at: string; first_desk: string; first_at: string }[]).map((d) => ({
        registrationId: d.registration_id,
        first: { at: d.first_at, desk: d.first_desk },
        second: { at: d.at, desk: d.desk, eventId: d.event_id },
      }));
      const got = q.list(stop).filter((c) => c.kind === 'double_check_in').map((c) => (c.kind === 'double_check_in' ? { registrationId: c.registrationId, first: c.first, second: c.second } : null));
      expect(got).toEqual(expected);
      doubles += expected.length;
    }
    expect(doubles).toBeGreaterThan(50);
    before.close();
    after.close();
  });
});
