import { describe, expect, it } from 'vitest';
import { migration0700 } from '../../../core/store/migrations/0700-compact-field-hlcs';
import { createTestStore } from '../../helpers/testStore';

const FIELDS = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields'];

describe('migration 0700 (compact field_hlcs)', () => {
  it('rewrites rows written before it to what the projection writes now, and nothing else', () => {
    const store = createTestStore();
    const a = '0193a1b2-0000-7000-8000-00000000000a';
    const b = '0193a1b2-0000-7000-8000-00000000000b';
    store.events.append('attendee_registered', { attendeeId: a, familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'mk@mit.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] });
    store.events.append('attendee_registered', { attendeeId: b, familyName: 'Lee', givenName: 'Ann', nameKo: '', email: '', affiliation: 'UIUC', careerStage: 'student', fields: [] });
    store.events.append('attendee_updated', { attendeeId: b, affiliation: 'Purdue' });
    const rows = () => store.db.prepare('SELECT id, field_hlcs, created_hlc FROM attendees ORDER BY id').all() as { id: string; field_hlcs: string; created_hlc: string }[];
    const [ra, rb] = rows();
    expect(ra!.field_hlcs).toBe('');
    expect(JSON.parse(rb!.field_hlcs)).toMatchObject({ familyName: rb!.created_hlc });
    expect(JSON.parse(rb!.field_hlcs).affiliation > rb!.created_hlc).toBe(true);
    const now = store.events.projectionHash();

    // As an older build stored the untouched person: seven copies of the creating HLC.
    store.db.prepare(`UPDATE attendees SET field_hlcs = json_object(${FIELDS.map((f) => `'${f}', created_hlc`).join(', ')}) WHERE id = ?`).run(a);
    expect(store.events.projectionHash()).not.toBe(now);
    migration0700.up(store.db);
    expect(rows()).toEqual([ra, rb]);
    expect(store.events.projectionHash()).toBe(now);
    store.events.rebuildProjections();
    expect(store.events.projectionHash()).toBe(now);
    store.close();
  });
});
