import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../core/api/dispatch';
import { GroupCommit } from '../../../core/store/groupCommit';
import type { Store } from '../../../core/store/openStore';
import { openSqlite } from '../../../core/store/sqlite';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, disposeTestStore } from '../../helpers/testStore';

/**
 * Issue #20: a session's door writes through the store's group commit like the entrance
 * (core/store/groupCommit.ts): the check-ins, scans and undos of every desk in one turn share one
 * transaction and one fsync; each rule runs against the state that includes the group's earlier
 * members; a refusal undoes only its own request; an answer means the write is on disk.
 */
const stores: Store[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) disposeTestStore(s);
});

const consent = { consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' } as const;

describe('session check-in under group commit', () => {
  it('many doors at once share one commit, the same person counts once, and a refusal stays alone', async () => {
    const store = createTestStore();
    stores.push(store);
    const ctx = createTestContext(store, { actorId: 'lead' });
    const tour = await callApi(ctx, 'tour:upsert', { name: 'Roadshow 2026', year: 2026 });
    const stop = await callApi(ctx, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Chicago', date: '2026-10-19', timeZone: 'America/Chicago', kind: 'joint_briefing' });
    const briefing = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'policy_briefing', title: 'Policy briefing', startTime: '10:00', endTime: '11:30', room: 'Hall A' });
    const people = [];
    for (const given of ['Ara', 'Bora', 'Chul', 'Dana']) {
      people.push(await callApi(ctx, 'checkin:registerWalkIn', { stopId: stop.id, familyName: 'Park', givenName: given, email: `${given.toLowerCase()}@example.edu`, careerStage: 'postdoc', fields: [], ...consent, checkInNow: false }));
    }
    const [ara, bora, chul, dana] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0], (typeof people)[0]];

    const flush = vi.spyOn(GroupCommit.prototype, 'flush');
    const run = vi.spyOn(GroupCommit.prototype, 'run');
    // All in one turn, as concurrent HTTP requests arrive: Ara twice, Dana by her scan code, an unknown registration.
    const answers = await Promise.all([
      dispatch('sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId }, ctx),
      dispatch('sessions:checkIn', { sessionId: briefing.id, registrationId: bora.registrationId }, ctx),
      dispatch('sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId }, ctx),
      dispatch('sessions:checkIn', { sessionId: briefing.id, registrationId: 'no-such-registration' }, ctx),
      dispatch('sessions:checkIn', { sessionId: briefing.id, registrationId: chul.registrationId }, ctx),
      dispatch('sessions:scan', { sessionId: briefing.id, token: dana.scanToken }, ctx),
    ]);
    expect(run).toHaveBeenCalledTimes(6);
    // One group: one flush wrote them all (one transaction, one commit).
    expect(flush).toHaveBeenCalledTimes(1);
    expect(answers.map((a) => (a.ok ? (a.value as { created?: boolean; kind?: string }).created ?? (a.value as { kind: string }).kind : a.error.code))).toEqual([
      true,
      true,
      false,
      'NOT_FOUND',
      true,
      'checked_in',
    ]);
    // The second answer for Ara names the check-in the earlier member of the group wrote.
    const first = answers[0]!;
    const again = answers[2]!;
    if (!first.ok || !again.ok) throw new Error('refused');
    const sessionOf = (v: unknown) => (v as { registration: { session: { checkIn: { eventId: string } | null } } }).registration.session.checkIn?.eventId;
    expect(sessionOf(again.value)).toBe(sessionOf(first.value));

    // Answered means committed: another connection (another process) reads each acknowledged session check-in once.
    const other = openSqlite(store.db.name, { readonly: true });
    try {
      const rows = other.prepare('SELECT registration_id FROM session_check_ins WHERE session_id = ? ORDER BY registration_id').all(briefing.id) as { registration_id: string }[];
      expect(rows.map((r) => r.registration_id)).toEqual([ara, bora, chul, dana].map((p) => p.registrationId).sort());
      // Each first session check-in checked the person in at the stop too, in the same group.
      const stopRows = other.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE stop_id = ?').get(stop.id) as { n: number };
      expect(stopRows.n).toBe(4);
    } finally {
      other.close();
    }

    // An undo goes through the group as well, and its rule reads the state that includes its group's earlier members.
    const [undo, undoAgain] = await Promise.all([
      dispatch('sessions:void', { sessionCheckInEventId: sessionOf(first.value)!, reason: 'wrong session', alsoStop: true }, ctx),
      dispatch('sessions:void', { sessionCheckInEventId: sessionOf(first.value)!, reason: 'wrong session', alsoStop: true }, ctx),
    ]);
    expect(undo!.ok).toBe(true);
    expect(undoAgain).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(flush).toHaveBeenCalledTimes(2);
  });
});
