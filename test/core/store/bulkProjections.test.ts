/**
 * Issue #20: the sync pull's set-wise projection handlers (`bulk` in attendeeProjection.ts, many
 * rows per statement) leave exactly the rows the per-event handlers leave, for the awkward cases
 * too: a person this store holds already, the same person registered twice in one call, a
 * registration re-sent with an older or a newer HLC, a check-in or consent delivered twice.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/openStore';
import { ingestBulk } from '../../../core/store/pulledEvents';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { createTestStore, disposeTestStore } from '../../helpers/testStore';

const STOP = 'stop-03-new-york';
const stamp = (ms: number, node: string) => `${String(1_764_000_000_000 + ms).padStart(15, '0')}:00000:${node}`;
const seqs = new Map<string, number>();
const envelope = (type: string, payload: Record<string, unknown>, ms: number, device: string): EventEnvelope => {
  const seq = (seqs.get(device) ?? 0) + 1;
  seqs.set(device, seq);
  return { eventId: randomUUID(), deviceId: device, deviceSeq: seq, hlc: stamp(ms, device), type, schemaVersion: 1, actorId: null, stopId: STOP, recordedAt: '2026-11-25T10:00:00.000Z', payload };
};
const person = (attendeeId: string, givenName: string, extra: Record<string, unknown> = {}) => ({
  attendeeId, familyName: 'Kim', givenName, nameKo: '김민준', email: '', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai', 'bio'], ...extra,
});
const rowsOf = (s: Store, table: string) => s.db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();

describe('bulk projection handlers', () => {
  it('give the same rows as the per-event handlers, for new and known people, repeats and older or newer copies', () => {
    const events: EventEnvelope[] = [];
    // Many walk-ins (more than one statement's rows), each registered, consented, registered at the stop, checked in.
    for (let i = 0; i < 130; i++) {
      const attendeeId = `att-${i}`;
      events.push(
        envelope('attendee_registered', person(attendeeId, `P${i}`), i, 'dev-a'),
        envelope('consent_recorded', { consentId: `con-${i}`, attendeeId, scope: 'hq_stats', institutionId: null, textVersion: '2025-1', ...(i % 7 === 0 ? { wording: 'Form question' } : {}) }, i, 'dev-a'),
        envelope('registration_created', { registrationId: `reg-${i}`, attendeeId, stopId: STOP, source: 'walk_in', scanToken: `RS-${i}` }, i, 'dev-a'),
        envelope('checked_in', { registrationId: `reg-${i}`, attendeeId, stopId: STOP, desk: 'Desk 1' }, i, 'dev-a'),
      );
    }
    // The same person registered again by another desk, earlier and later; an update before its registration.
    events.push(envelope('attendee_registered', person('att-3', 'Again later', { email: 'three@kist.re.kr' }), 500, 'dev-b'));
    events.push(envelope('attendee_registered', person('att-4', 'Again earlier'), -5, 'dev-b'));
    events.push(envelope('attendee_updated', { attendeeId: 'att-200', affiliation: 'GIST' }, 900, 'dev-b'));
    events.push(envelope('attendee_registered', person('att-200', 'Late'), 100, 'dev-c'));
    // A registration moved by a newer event, and an older copy that must not win.
    events.push(envelope('registration_created', { registrationId: 'reg-5', attendeeId: 'att-6', stopId: STOP, source: 'import', scanToken: 'RS-5b' }, 800, 'dev-c'));
    events.push(envelope('registration_created', { registrationId: 'reg-6', attendeeId: 'att-7', stopId: STOP, source: 'import', scanToken: 'RS-6b' }, -10, 'dev-c'));
    // A person this store already holds (registered before the pull), and a second check-in of one registration.
    const known = envelope('attendee_registered', person('att-10', 'Known', { affiliation: 'KAIST' }), 50, 'dev-d');
    events.push(envelope('checked_in', { registrationId: 'reg-8', attendeeId: 'att-8', stopId: STOP, desk: 'Desk 2' }, 300, 'dev-c'));

    const reference = createTestStore();
    const bulk = createTestStore();
    try {
      reference.events.ingest([known]);
      bulk.events.ingest([known]);
      for (const e of events) reference.events.ingest([e]);
      const report = ingestBulk(bulk, events.map((envelope) => ({ envelope })));
      expect(report.added).toBe(events.length);
      for (const table of ['attendees', 'registrations', 'check_ins', 'consents']) expect(rowsOf(bulk, table), table).toEqual(rowsOf(reference, table));
      expect(bulk.events.projectionHash()).toBe(reference.events.projectionHash());
      // Again, in another order: nothing changes (idempotent), and a fresh store in reverse order agrees.
      ingestBulk(bulk, [...events].reverse().map((envelope) => ({ envelope })));
      expect(bulk.events.projectionHash()).toBe(reference.events.projectionHash());
      const reversed = createTestStore();
      try {
        reversed.events.ingest([known]);
        ingestBulk(reversed, [...events].reverse().map((envelope) => ({ envelope })));
        expect(reversed.events.projectionHash()).toBe(reference.events.projectionHash());
      } finally {
        disposeTestStore(reversed);
      }
    } finally {
      disposeTestStore(reference);
      disposeTestStore(bulk);
    }
  });
});
