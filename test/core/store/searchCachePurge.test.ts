import { describe, expect, it } from 'vitest';
import { ALL_ATTENDEES, createSearchCache } from '../../../core/store/searchCache';
import { createTestStore, DEMO_STOP } from '../../helpers/testStore';

describe('search cache after a stop purge', () => {
  it('forgets people the purge removed from the tables (a purge names nobody, so it reloads)', () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    const cache = createSearchCache(store.db);
    const id = '0193a1b2-0000-7000-8000-0000000000aa';
    store.events.append('attendee_registered', { attendeeId: id, familyName: 'Purgeable', givenName: 'Walker', nameKo: '', email: 'walker@example.edu', affiliation: 'MIT', careerStage: 'student', fields: [] });
    expect(cache.index(ALL_ATTENDEES).has(id)).toBe(true);
    // What a purge does to the tables, then its record in the log.
    store.events.transaction(() => {
      store.db.prepare('DELETE FROM attendees WHERE id = ?').run(id);
      store.events.append('stop_personal_data_purged', { stopId: DEMO_STOP, eventCount: 1, digest: 'a'.repeat(64), attendeesPurged: 1 });
    });
    expect(cache.index(ALL_ATTENDEES).has(id)).toBe(false);
    expect(cache.index(ALL_ATTENDEES).search('Purgeable')).toEqual([]);
    store.close();
  });
});
