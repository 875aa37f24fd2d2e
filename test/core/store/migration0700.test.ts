import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations/index';
import { openSqlite } from '../../../core/store/sqlite';
import { createTestStore } from '../../helpers/testStore';

const FIELDS = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields'];
const COLUMNS = 'id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc';

describe('migration 0700 (lean attendee rows)', () => {
  it('turns rows an older build wrote into exactly the rows the projection writes now, and drops search_text', () => {
    // What this build's projection writes for a person never edited and one edited later.
    const store = createTestStore();
    const a = '0193a1b2-0000-7000-8000-00000000000a';
    const b = '0193a1b2-0000-7000-8000-00000000000b';
    store.events.append('attendee_registered', { attendeeId: a, familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'mk@mit.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] });
    store.events.append('attendee_registered', { attendeeId: b, familyName: 'Lee', givenName: 'Ann', nameKo: '', email: '', affiliation: 'UIUC', careerStage: 'student', fields: [] });
    store.events.append('attendee_updated', { attendeeId: b, affiliation: 'Purdue' });
    type Row = { field_hlcs: string; created_hlc: string } & Record<string, string>;
    const now = store.db.prepare(`SELECT ${COLUMNS} FROM attendees ORDER BY id`).all() as Row[];
    expect(now[0]!.field_hlcs).toBe('');
    const bHlcs = JSON.parse(now[1]!.field_hlcs) as Record<string, string>;
    expect(bHlcs.familyName).toBe(now[1]!.created_hlc);
    expect(bHlcs.affiliation! > now[1]!.created_hlc).toBe(true);
    store.close();

    // The same people as a build before 0700 stored them: seven copies of the creating HLC, and search_text.
    const db = openSqlite(':memory:');
    runMigrations(db, 610);
    const insert = db.prepare(`INSERT INTO attendees (${COLUMNS}, search_text) VALUES (@id, @family_name, @given_name, @name_ko, @email, @affiliation, @career_stage, @fields, @field_hlcs, @created_hlc, 'old text')`);
    insert.run({ ...now[0], field_hlcs: JSON.stringify(Object.fromEntries(FIELDS.sort().map((f) => [f, now[0]!.created_hlc]))) });
    insert.run(now[1]);
    expect(runMigrations(db)).toBeGreaterThanOrEqual(700);
    expect(db.prepare(`SELECT ${COLUMNS} FROM attendees ORDER BY id`).all()).toEqual(now);
    expect((db.prepare('PRAGMA table_info(attendees)').all() as { name: string }[]).map((c) => c.name)).not.toContain('search_text');
  });
});
