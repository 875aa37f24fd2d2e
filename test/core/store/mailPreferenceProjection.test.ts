import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/openStore';
import { createTestStore, disposeTestStore } from '../../helpers/testStore';

const stores: Store[] = [];
const store = (deviceId: string): Store => {
  const s = createTestStore({ deviceId });
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

const tables = (s: Store) => ({
  unsubscribes: s.db.prepare('SELECT event_id, attendee_id, stop_id, via FROM attendee_unsubscribes ORDER BY event_id').all(),
  languages: s.db.prepare('SELECT attendee_id, language, hlc FROM attendee_languages ORDER BY attendee_id').all(),
});

describe('attendee mail preferences projection (migration 0860)', () => {
  it('gives the same tables in any delivery order: unsubscribes are facts, the language the last writer by HLC', () => {
    const a = store('desk-a');
    a.events.append('attendee_language_set', { attendeeId: 'att-1', language: 'ko' });
    a.events.append('attendee_language_set', { attendeeId: 'att-1', language: 'en' });
    a.events.append('attendee_unsubscribed', { attendeeId: 'att-2', stopId: 'stop-1', via: 'one_click' });
    a.events.append('attendee_unsubscribed', { attendeeId: 'att-2', stopId: null, via: 'link' });
    const events = a.events.eventsOfDevice('desk-a', 0, 100);
    expect(events).toHaveLength(4);

    const forward = store('hq');
    forward.events.ingest(events);
    const backward = store('hq');
    backward.events.ingest([...events].reverse());
    expect(tables(forward)).toEqual(tables(a));
    expect(tables(backward)).toEqual(tables(a));
    expect(tables(a).languages).toMatchObject([{ attendee_id: 'att-1', language: 'en' }]);
    expect(tables(a).unsubscribes).toHaveLength(2);
  });
});
