import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDemoData } from '../../../core/demo/demoData';
import { buildDemoEvents } from '../../../core/demo/seedDemo';
import { openStore } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { createTestStore, DEMO_STOP, RESOURCES_DIR } from '../../helpers/testStore';

const count = (store: ReturnType<typeof openStore>, table: string) =>
  (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

const demoEvents = buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 40, seed: 7 });

describe('event store', () => {
  it('writes an event and its projection together, with a device sequence and HLC', () => {
    const store = createTestStore();
    const e = store.events.append('attendee_registered', { attendeeId: 'a1', familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'mk@mit.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] });
    expect(e.deviceSeq).toBe(1);
    expect(e.hlc.endsWith(store.deviceId)).toBe(true);
    expect(count(store, 'events')).toBe(1);
    expect(store.db.prepare('SELECT name_ko, email FROM attendees WHERE id = ?').get('a1')).toEqual({ name_ko: '김민준', email: 'mk@mit.edu' });
    const e2 = store.events.append('attendee_updated', { attendeeId: 'a1', affiliation: 'Harvard' });
    expect(e2.deviceSeq).toBe(2);
    expect(e2.hlc > e.hlc).toBe(true);
  });

  it('leaves nothing behind when a transaction fails half-way', () => {
    const store = createTestStore();
    expect(() =>
      store.events.transaction(() => {
        store.events.append('attendee_registered', { attendeeId: 'a1', familyName: 'Lee', givenName: 'Jimin', nameKo: '', email: '', affiliation: '', careerStage: 'student', fields: [] });
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(count(store, 'events')).toBe(0);
    expect(count(store, 'attendees')).toBe(0);
    // The device sequence did not advance either: no gap in what this laptop will push.
    expect(store.events.append('attendee_updated', { attendeeId: 'a1', affiliation: 'x' }).deviceSeq).toBe(1);
  });

  it('refuses an invalid payload and writes nothing', () => {
    const store = createTestStore();
    expect(() => store.events.append('checked_in', { registrationId: '', attendeeId: 'a', stopId: 's', desk: 'd' })).toThrow(/Invalid checked_in/);
    expect(count(store, 'events')).toBe(0);
  });

  it('ingests the same batch twice without doubling anything', () => {
    const store = createTestStore();
    const first = store.events.ingest(demoEvents);
    const hash = store.events.projectionHash();
    const second = store.events.ingest(demoEvents);
    expect(first.added).toBe(demoEvents.length);
    expect(second).toEqual({ added: 0, duplicates: demoEvents.length, deferred: 0 });
    expect(store.events.projectionHash()).toBe(hash);
    expect(count(store, 'events')).toBe(demoEvents.length);
  });

  it('stores events of a newer schema without projecting them, and projects them once known', () => {
    const store = createTestStore();
    const future: EventEnvelope = { ...demoEvents[0]!, eventId: '01900000-0000-7000-8000-000000000001', deviceId: 'future', deviceSeq: 1, type: 'hologram_scheduled', schemaVersion: 9 };
    expect(store.events.ingest([future])).toEqual({ added: 1, duplicates: 0, deferred: 1 });
    expect(store.db.prepare('SELECT projected FROM events WHERE device_id = ?').get('future')).toEqual({ projected: 0 });
    expect(store.events.projectDeferred()).toBe(0); // still unknown to this build
  });

  it('gives the same projections for any delivery order (convergence)', () => {
    const reference = createTestStore();
    reference.events.ingest(demoEvents);
    const expected = reference.events.projectionHash();
    fc.assert(
      fc.property(fc.shuffledSubarray(demoEvents, { minLength: demoEvents.length, maxLength: demoEvents.length }), fc.integer({ min: 1, max: 50 }), (order, chunk) => {
        const store = openStore(':memory:', { deviceId: 'replica' });
        for (let i = 0; i < order.length; i += chunk) store.events.ingest(order.slice(i, i + chunk));
        const hash = store.events.projectionHash();
        store.close();
        return hash === expected;
      }),
      { numRuns: 25, seed: 42 },
    );
  });

  it('rebuilds the projections from the log to the same state', () => {
    const store = createTestStore({ demo: true, attendees: 60 });
    const before = store.events.projectionHash();
    store.db.prepare('DELETE FROM check_ins').run();
    expect(store.events.projectionHash()).not.toBe(before);
    store.events.rebuildProjections();
    expect(store.events.projectionHash()).toBe(before);
  });

  it('keeps the device id and a forward-moving clock across restarts', () => {
    const first = createTestStore();
    const file = first.db.name;
    const e1 = first.events.append('attendee_updated', { attendeeId: 'x', affiliation: 'a' });
    first.close();
    const again = openStore(file, { now: () => 0 }); // a wall clock that went back to 1970
    expect(again.deviceId).toBe(first.deviceId);
    const e2 = again.events.append('attendee_updated', { attendeeId: 'x', affiliation: 'b' });
    expect(e2.hlc > e1.hlc).toBe(true);
    expect(e2.deviceSeq).toBe(2);
    expect(again.db.prepare('SELECT affiliation FROM attendees WHERE id = ?').get('x')).toEqual({ affiliation: 'b' });
  });

  it('uses WAL and full synchronous writes on disk', () => {
    const store = createTestStore();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('seeds the demo with the 2025 tour', () => {
    const store = createTestStore({ demo: true, attendees: 400 });
    expect(count(store, 'stops')).toBe(11);
    expect(count(store, 'institutions')).toBeGreaterThanOrEqual(15);
    expect(count(store, 'attendees')).toBe(400);
    const hangul = (store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE name_ko <> ''").get() as { n: number }).n;
    const latin = (store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE family_name <> ''").get() as { n: number }).n;
    expect(hangul).toBeGreaterThan(100);
    expect(latin).toBeGreaterThan(200);
    const checkedIn = (store.db.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE stop_id = ?').get(DEMO_STOP) as { n: number }).n;
    expect(checkedIn).toBeGreaterThan(0);
  });
});
