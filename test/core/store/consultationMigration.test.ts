import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';

const tables = (db: ReturnType<typeof openSqlite>) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migration 0300 (consultations)', () => {
  it('adds the consultation tables to a database of the previous version and keeps its data', () => {
    const previous = MIGRATIONS.filter((m) => m.version < 300).at(-1)!.version;
    const db = openSqlite(':memory:');
    expect(runMigrations(db, previous)).toBe(previous);
    expect(tables(db)).not.toContain('consultations');
    db.prepare("INSERT INTO consents (id, attendee_id, scope, institution_id, text_version, given_at, hlc) VALUES ('c1', 'a1', 'all_institutions', NULL, 'v1', '2025-11-14T15:00:00.000Z', 'h')").run();
    runMigrations(db, 300);
    expect(db.pragma('user_version', { simple: true })).toBe(300);
    expect(tables(db)).toEqual(expect.arrayContaining(['consultations', 'consultation_revisions', 'consultation_current']));
    expect(db.prepare('SELECT scope FROM consents').get()).toEqual({ scope: 'all_institutions' });
    db.prepare(
      "INSERT INTO consultations (id, stop_id, institution_id, booth_id, booking_id, attendee_id, registration_id, visitor_label, logged_event_id, hlc, at) VALUES ('k1', 's', 'i', NULL, NULL, 'a1', NULL, '', 'e1', 'h', '2025-11-14T15:00:00.000Z')",
    ).run();
    expect(db.prepare('SELECT attendee_id FROM consultations').get()).toEqual({ attendee_id: 'a1' });
  });
});
