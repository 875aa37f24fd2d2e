import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { dispatch } from '../../../core/api/dispatch';
import type { Store } from '../../../core/store/openStore';
import { createRegistrationQueries } from '../../../core/store/queries/registrationQueries';
import { openSqlite } from '../../../core/store/sqlite';
import type { DeskView } from '../../../shared/ipc/checkinContract';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

type Answer = { ok: true; value: { registration: DeskView; created: boolean } } | { ok: false; error: { code: string } };

/**
 * Check-ins of many desk clients at once go through the store's group commit (core/store/groupCommit.ts):
 * one transaction per turn of the event loop. The rules of a check-in stay exact inside a group.
 */
describe('check-ins under group commit', () => {
  let store: Store;
  let ctx: ApiContext;
  beforeEach(() => {
    store = createTestStore({ demo: true, attendees: 150 });
    ctx = createTestContext(store);
  });
  afterEach(() => disposeTestStore(store));

  const open = () =>
    store.db.prepare('SELECT id, stop_id, scan_token FROM registrations r WHERE NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) ORDER BY id').all() as { id: string; stop_id: string; scan_token: string }[];
  const checkIn = (registrationId: string) => dispatch('checkin:checkIn', { registrationId }, ctx) as Promise<Answer>;
  const countOf = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

  it('checks in many people at once, the same person once, and refuses an unknown one alone', async () => {
    const regs = open().slice(0, 40);
    expect(regs.length).toBe(40);
    const eventsBefore = countOf("SELECT COUNT(*) AS n FROM events WHERE type = 'checked_in'");
    // All sent in the same turn, as concurrent HTTP requests are: one group. Each of the first ten twice.
    const calls = [...regs.map((r) => checkIn(r.id)), ...regs.slice(0, 10).map((r) => checkIn(r.id)), checkIn('no-such-registration')];
    const answers = await Promise.all(calls);
    const first = answers.slice(0, 40);
    const again = answers.slice(40, 50);
    expect(first.every((a) => a.ok && a.value.created)).toBe(true);
    expect(again.every((a) => a.ok && !a.value.created)).toBe(true);
    expect(answers[50]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The second answer names the first check-in: the one the earlier member of the group wrote.
    again.forEach((a, i) => {
      const created = first[i]!;
      if (!a.ok || !created.ok) throw new Error('unexpected refusal');
      expect(a.value.registration.checkIn?.eventId).toBe(created.value.registration.checkIn?.eventId);
      expect(a.value.registration.duplicateCheckIns).toEqual([]);
    });
    expect(countOf("SELECT COUNT(*) AS n FROM events WHERE type = 'checked_in'")).toBe(eventsBefore + 40);
    expect(countOf('SELECT COUNT(*) AS n FROM check_ins')).toBe(countOf("SELECT COUNT(*) AS n FROM events WHERE type = 'checked_in'"));
    // Answered means committed: another connection (another process) reads every acknowledged check-in.
    const other = openSqlite(store.db.name, { readonly: true });
    try {
      const held = new Set((other.prepare('SELECT registration_id FROM check_ins').all() as { registration_id: string }[]).map((r) => r.registration_id));
      expect(regs.filter((r) => !held.has(r.id))).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('answers the registration exactly as reading it back gives it, after a voided earlier check-in too', async () => {
    const [a, b] = open();
    // b was checked in and the check-in voided: a new check-in is its only live one.
    const firstB = await checkIn(b!.id);
    if (!firstB.ok) throw new Error('refused');
    const voided = await dispatch('checkin:void', { checkInEventId: firstB.value.registration.checkIn!.eventId, reason: 'wrong person' }, ctx);
    expect(voided.ok).toBe(true);
    const [ra, rb] = await Promise.all([checkIn(a!.id), checkIn(b!.id)]);
    const q = createRegistrationQueries(store.db);
    for (const [answer, id] of [[ra, a!.id], [rb, b!.id]] as const) {
      if (!answer.ok) throw new Error('refused');
      expect(answer.value.created).toBe(true);
      expect(answer.value.registration).toEqual(q.byId(id));
    }
  });

  it('scans and undoes in the same group as check-ins, each with its own rule', async () => {
    const [a, b, c] = open();
    const done = await checkIn(c!.id);
    if (!done.ok) throw new Error('refused');
    const eventId = done.value.registration.checkIn!.eventId;
    const [scanA, scanA2, unknown, voidC, voidC2, checkB] = await Promise.all([
      dispatch('checkin:scan', { stopId: a!.stop_id, token: a!.scan_token }, ctx),
      dispatch('checkin:scan', { stopId: a!.stop_id, token: ` ${a!.scan_token} ` }, ctx),
      dispatch('checkin:scan', { stopId: DEMO_STOP, token: 'NOPE-123' }, ctx),
      dispatch('checkin:void', { checkInEventId: eventId, reason: 'mistake' }, ctx),
      dispatch('checkin:void', { checkInEventId: eventId, reason: 'mistake again' }, ctx),
      checkIn(b!.id),
    ]);
    expect(scanA).toMatchObject({ ok: true, value: { kind: 'checked_in' } });
    expect(scanA2).toMatchObject({ ok: true, value: { kind: 'already' } });
    expect(unknown).toMatchObject({ ok: true, value: { kind: 'unknown', token: 'NOPE-123' } });
    expect(voidC).toMatchObject({ ok: true, value: { checkIn: null } });
    expect(voidC2).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(checkB).toMatchObject({ ok: true, value: { created: true } });
    expect(countOf(`SELECT COUNT(*) AS n FROM check_in_voids WHERE check_in_event_id = '${eventId}'`)).toBe(1);
  });

  it('writes the check-in to the store the request arrived at, whatever the context holds when its group runs', async () => {
    const [a] = open();
    const other = createTestStore({ demo: true, attendees: 10 });
    try {
      const answer = checkIn(a!.id);
      // A restore swaps ctx.store within the same turn, before the group runs.
      ctx.store = other;
      expect(await answer).toMatchObject({ ok: true, value: { created: true } });
      expect(countOf(`SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = '${a!.id}'`)).toBe(1);
    } finally {
      ctx.store = store;
      disposeTestStore(other);
    }
  });
});
