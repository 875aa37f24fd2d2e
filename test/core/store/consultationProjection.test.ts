import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/openStore';
import type { EventEnvelope } from '../../../shared/events/envelope';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

/**
 * Two laptops edit the same consultation offline from the same base revision; their events meet
 * later, in either order. Both edits are kept, the consultation is flagged, every node computes
 * the same state, and a person's resolution (an event) clears the flag everywhere.
 */
function laptop(deviceId: string, startMs: number): Store {
  let t = startMs;
  return createTestStore({ demo: true, attendees: 30, deviceId, now: () => (t += 1000) });
}
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const conflictOf = (s: Store, id: string) =>
  (s.db.prepare('SELECT conflict, current_revision_id, head_ids FROM consultation_current WHERE consultation_id = ?').get(id) as {
    conflict: number;
    current_revision_id: string;
    head_ids: string;
  });

async function scenario() {
  const a = laptop('laptop-a', Date.parse('2025-11-14T15:00:00Z'));
  const b = laptop('laptop-b', Date.parse('2025-11-14T15:00:00Z'));
  const ctxA = createTestContext(a);
  const ctxB = createTestContext(b);
  const reg = a.db.prepare('SELECT id AS registrationId FROM registrations WHERE stop_id = ? ORDER BY id LIMIT 1').get(DEMO_STOP) as { registrationId: string };
  const logged = await callApi(ctxA, 'consultations:log', {
    stopId: DEMO_STOP,
    institutionId: 'inst-kaist',
    registrationId: reg.registrationId,
    content: { staffName: 'Park Jiwoo', fields: ['ai'], notes: 'Interested in LLM group', interestLevel: 'medium' },
  });
  // Laptop B receives the logged consultation (sync), then both edit offline from the same base.
  b.events.ingest(own(a));
  const base = logged.currentRevisionId;
  const editA = await callApi(ctxA, 'consultations:edit', {
    consultationId: logged.consultationId,
    baseRevisionId: base,
    editor: 'Park Jiwoo',
    content: { ...logged.content, interestLevel: 'high', followUpAction: 'Send InnoCORE call', followUpStatus: 'open' },
  });
  const editB = await callApi(ctxB, 'consultations:edit', {
    consultationId: logged.consultationId,
    baseRevisionId: base,
    editor: 'Lee Seojin',
    content: { ...logged.content, notes: 'Interested in LLM group; visiting Daejeon in March' },
  });
  const aEvents = own(a);
  const bEvents = own(b);
  return { a, b, ctxA, ctxB, logged, editA, editB, aEvents, bEvents, base };
}

describe('consultation edits across laptops', () => {
  it('keeps both concurrent edits, flags the conflict, and converges in both delivery orders', async () => {
    const { a, b, logged, editA, editB, aEvents, bEvents } = await scenario();
    const id = logged.consultationId;
    expect(conflictOf(a, id).conflict).toBe(0);

    // Deliver each laptop's events to the other: A gets B's after its own, B gets A's after its own.
    a.events.ingest(bEvents);
    b.events.ingest(aEvents);
    // And to two fresh replicas, in opposite orders.
    const r1 = laptop('hq-1', 0);
    const r2 = laptop('hq-2', 0);
    r1.events.ingest([...aEvents, ...bEvents]);
    r2.events.ingest([...bEvents].reverse());
    r2.events.ingest([...aEvents].reverse());

    const hashes = [a, b, r1, r2].map((s) => s.events.projectionHash());
    expect(new Set(hashes).size).toBe(1);
    for (const s of [a, b, r1, r2]) {
      const c = conflictOf(s, id);
      expect(c.conflict).toBe(1);
      expect((JSON.parse(c.head_ids) as string[]).sort()).toEqual([editA.currentRevisionId, editB.currentRevisionId].sort());
    }
    const detail = await callApi(createTestContext(a), 'consultations:get', { consultationId: id });
    expect(detail.conflict).toBe(true);
    expect(detail.history.map((h) => [h.kind, h.editor, h.head])).toEqual(
      expect.arrayContaining([
        ['logged', 'Park Jiwoo', false],
        ['edited', 'Park Jiwoo', true],
        ['edited', 'Lee Seojin', true],
      ]),
    );
    const byB = detail.history.find((h) => h.editor === 'Lee Seojin')!;
    expect(byB.changed).toEqual(['notes']);
    expect(byB.deviceId).toBe('laptop-b');
    expect(detail.history.find((h) => h.kind === 'edited' && h.editor === 'Park Jiwoo')!.changed).toEqual(['interestLevel', 'followUpAction', 'followUpStatus']);
  });

  it('gives the same state for any delivery order of both laptops’ events (property)', async () => {
    const { aEvents, bEvents } = await scenario();
    const all: EventEnvelope[] = [...new Map([...aEvents, ...bEvents].map((e) => [e.eventId, e])).values()];
    const ref = openStore(':memory:', { deviceId: 'ref' });
    ref.events.ingest(all);
    const expected = ref.events.projectionHash();
    const ids = (ref.db.prepare('SELECT conflict FROM consultation_current').all() as { conflict: number }[]).map((r) => r.conflict);
    expect(ids).toEqual([1]);
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const s = openStore(':memory:', { deviceId: 'replica' });
        for (const e of order) s.events.ingest([e]);
        const h = s.events.projectionHash();
        s.close();
        return h === expected;
      }),
      { numRuns: 15, seed: 6 },
    );
  });

  it('refuses a plain edit while conflicted, and a resolution (an event) clears the flag everywhere', async () => {
    const { a, b, ctxA, logged, aEvents, bEvents, editA, editB } = await scenario();
    a.events.ingest(bEvents);
    const id = logged.consultationId;
    const conflicted = await callApi(ctxA, 'consultations:get', { consultationId: id });
    const err = await callApi(ctxA, 'consultations:edit', { consultationId: id, baseRevisionId: conflicted.currentRevisionId, editor: 'X', content: conflicted.content }).catch((e: { shape: unknown }) => e.shape);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    // A resolution must name exactly the open heads.
    const stale = await callApi(ctxA, 'consultations:resolve', { consultationId: id, revisionIds: [editA.currentRevisionId, logged.currentRevisionId], editor: 'Kim', content: editA.content }).catch((e: { shape: unknown }) => e.shape);
    expect(stale).toMatchObject({ code: 'STALE_REVISION' });
    const merged = { ...editA.content, notes: editB.content.notes };
    const resolved = await callApi(ctxA, 'consultations:resolve', { consultationId: id, revisionIds: [editA.currentRevisionId, editB.currentRevisionId], editor: 'Kim Hana', content: merged });
    expect(resolved.conflict).toBe(false);
    expect(resolved.content.notes).toContain('Daejeon');
    expect(resolved.content.interestLevel).toBe('high');
    expect(resolved.history.at(-1)).toMatchObject({ kind: 'resolved', editor: 'Kim Hana', head: true });
    b.events.ingest(aEvents);
    b.events.ingest(a.events.eventsOfDevice('laptop-a', aEvents.length, 100));
    expect(b.events.projectionHash()).toBe(a.events.projectionHash());
    expect(conflictOf(b, id).conflict).toBe(0);
  });

  it('rebuilding the projections from the log gives the same tables', async () => {
    const { a, bEvents } = await scenario();
    a.events.ingest(bEvents);
    const before = a.events.projectionHash();
    a.events.rebuildProjections();
    expect(a.events.projectionHash()).toBe(before);
  });
});
