import type { Store } from '../../core/store/openStore';
import { rowToEnvelope, type StoredEventRow } from '../../core/store/eventStore';
import { ConsultationContent } from '../../shared/schemas/consultations';
import { at, boothFixture, KAIST } from '../core/booths/boothFixture';
import { callApi } from './callApi';
import { createTestContext, createTestStore, DEMO_STOP } from './testStore';

export interface ConflictScenario {
  /** Two laptops of the demo stop that made the same decisions apart, then exchanged their events. */
  a: Store;
  b: Store;
  /** The person checked in at both desks. */
  doubleRegistrationId: string;
  /** GIST's consultation edited on both laptops from the same revision (KAIST's booth staff may not touch it). */
  consultationId: string;
}

const all = (s: Store) => s.db.prepare('SELECT * FROM events ORDER BY rowid').all().map((r) => rowToEnvelope(r as StoredEventRow));

/**
 * One of each conflict HQ lists (issue #19): a double check-in, a slot over-filled by two desks
 * (capacity 1: the later booking is the conflicted one) and a consultation with two heads.
 * `order` says in which order each laptop receives the other's events (the list must not care).
 */
export async function conflictScenario(opts: { reverse?: boolean } = {}): Promise<ConflictScenario> {
  const { store: a, regs } = await boothFixture({ capacity: 1 });
  const b = createTestStore({ deviceId: 'laptop-b' });
  b.events.ingest(all(a));
  const ca = createTestContext(a, { actorId: 'staff-a' });
  const cb = createTestContext(b, { actorId: 'staff-b' });
  const free = a.db
    .prepare<[string], { id: string }>('SELECT id FROM registrations r WHERE stop_id = ? AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) ORDER BY id LIMIT 3')
    .all(DEMO_STOP)
    .map((r) => r.id);
  const doubleRegistrationId = free[0]!;
  await callApi(ca, 'checkin:checkIn', { registrationId: doubleRegistrationId });
  await callApi(cb, 'checkin:checkIn', { registrationId: doubleRegistrationId });
  await callApi(ca, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[0]!.id });
  await callApi(cb, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[1]!.id });
  const content = ConsultationContent.parse({ staffName: 'GIST recruiter', notes: 'first' });
  const logged = await callApi(ca, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-gist', visitorLabel: 'Visitor at GIST', content });
  b.events.ingest(all(a).filter((e) => e.type === 'consultation_logged'));
  await callApi(ca, 'consultations:edit', { consultationId: logged.consultationId, baseRevisionId: logged.headRevisionIds[0]!, editor: 'A', content: { ...content, notes: 'edit on A' } });
  await callApi(cb, 'consultations:edit', { consultationId: logged.consultationId, baseRevisionId: logged.headRevisionIds[0]!, editor: 'B', content: { ...content, notes: 'edit on B' } });
  const fromA = all(a);
  const fromB = all(b);
  a.events.ingest(opts.reverse ? [...fromB].reverse() : fromB);
  b.events.ingest(opts.reverse ? [...fromA].reverse() : fromA);
  return { a, b, doubleRegistrationId, consultationId: logged.consultationId };
}
