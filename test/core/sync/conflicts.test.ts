import { describe, expect, it } from 'vitest';
import { rowToEnvelope, type StoredEventRow } from '../../../core/store/eventStore';
import { openStore } from '../../../core/store/openStore';
import { countConflicts } from '../../../core/sync/conflicts';
import { ConsultationContent } from '../../../shared/schemas/consultations';
import { callApi } from '../../helpers/callApi';
import { createTestContext, DEMO_STOP } from '../../helpers/testStore';
import { at, boothFixture, KAIST } from '../booths/boothFixture';

/** A second laptop holding the same starting events as `source`, with its own device id. */
function replicaOf(source: ReturnType<typeof openStore>, deviceId: string) {
  const copy = openStore(':memory:', { deviceId });
  copy.events.ingest(source.db.prepare('SELECT * FROM events').all().map((r) => rowToEnvelope(r as StoredEventRow)));
  return copy;
}

describe('conflicts counted in the sync summary', () => {
  it('counts a booking that over-fills a slot once the other laptop’s claim arrives', async () => {
    const { store: a, regs } = await boothFixture({ capacity: 1 });
    const b = replicaOf(a, 'laptop-b');
    await callApi(createTestContext(a, { actorId: 'staff-a' }), 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[0]!.id });
    await callApi(createTestContext(b, { actorId: 'staff-b' }), 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[1]!.id });
    const pulled = b.events.eventsOfDevice('laptop-b', 0, 100);
    expect(countConflicts(a.db, [])).toBe(0);
    a.events.ingest(pulled);
    expect(countConflicts(a.db, pulled)).toBe(1);
  });

  it('counts a consultation edited on two laptops from the same revision', () => {
    const a = openStore(':memory:', { deviceId: 'laptop-a' });
    const content = ConsultationContent.parse({ staffName: 'KAIST recruiter', notes: 'first' });
    const logged = a.events.append('consultation_logged', {
      consultationId: 'c-1',
      stopId: DEMO_STOP,
      institutionId: 'inst-kaist',
      boothId: null,
      bookingId: null,
      attendeeId: null,
      registrationId: null,
      visitorLabel: 'visitor',
      content,
    });
    const b = replicaOf(a, 'laptop-b');
    a.events.append('consultation_edited', { consultationId: 'c-1', baseRevisionId: logged.eventId, editor: 'A', content: { ...content, notes: 'edit on A' } });
    b.events.append('consultation_edited', { consultationId: 'c-1', baseRevisionId: logged.eventId, editor: 'B', content: { ...content, notes: 'edit on B' } });
    const pulled = b.events.eventsOfDevice('laptop-b', 0, 100);
    a.events.ingest(pulled);
    expect(countConflicts(a.db, pulled)).toBe(1);
  });
});
