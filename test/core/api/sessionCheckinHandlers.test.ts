import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import type { StaffRole } from '../../../shared/schemas/staff';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, disposeTestStore } from '../../helpers/testStore';

/** Issue #19: session check-in — the stop's check-in with the first one, several sessions, duplicates, undo, counts. */
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

const consent = { consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' } as const;

async function stopWithSessions() {
  const store = createTestStore();
  stores.push(store);
  const ctx = createTestContext(store, { actorId: 'lead' });
  const tour = await callApi(ctx, 'tour:upsert', { name: 'Roadshow 2026', year: 2026 });
  const stop = await callApi(ctx, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Chicago', date: '2026-10-19', timeZone: 'America/Chicago', kind: 'joint_briefing' });
  const briefing = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '10:00', endTime: '11:30', room: 'Hall A', capacity: 300 });
  const ir = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'ir_round', title: 'Company IR', startTime: '14:00', endTime: '15:00', room: 'Room 2' });
  const person = async (given: string, careerStage: 'postdoc' | 'student' | 'professor') => {
    // Registered, not checked in: as a pre-registration would be.
    const r = await callApi(ctx, 'checkin:registerWalkIn', { stopId: stop.id, familyName: 'Park', givenName: given, email: `${given.toLowerCase()}@example.edu`, careerStage, fields: [], ...consent, checkInNow: false });
    return r;
  };
  const ara = await person('Ara', 'postdoc');
  const bora = await person('Bora', 'student');
  const chul = await person('Chul', 'postdoc');
  return { ctx, stop, briefing, ir, ara, bora, chul };
}

const count = (ctx: ApiContext, sql: string, ...args: string[]): number => (ctx.store.db.prepare(sql).get(...args) as { n: number }).n;
const stopCheckIns = (ctx: ApiContext, registrationId: string) => count(ctx, 'SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?', registrationId);

describe('session check-in (sessions:*)', () => {
  it('the first session check-in also checks the person in at the stop, in the same transaction; a second session does not again', async () => {
    const { ctx, briefing, ir, ara } = await stopWithSessions();
    const before = count(ctx, 'SELECT COUNT(*) AS n FROM events');
    const first = await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId });
    expect(first).toMatchObject({ created: true, stopCheckedIn: true });
    expect(first.registration.checkIn).not.toBeNull();
    expect(first.registration.session.checkIn).toMatchObject({ desk: 'Desk 1', stopCheckInEventId: first.registration.checkIn!.eventId });
    // Two events, one transaction: the stop's check-in and the session's.
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM events') - before).toBe(2);
    expect(stopCheckIns(ctx, ara.registrationId)).toBe(1);

    const second = await callApi(ctx, 'sessions:checkIn', { sessionId: ir.id, registrationId: ara.registrationId });
    expect(second).toMatchObject({ created: true, stopCheckedIn: false });
    expect(second.registration.session.checkIn!.stopCheckInEventId).toBeNull();
    expect(stopCheckIns(ctx, ara.registrationId)).toBe(1);

    // In both sessions: each session counts them once.
    const counts = await callApi(ctx, 'sessions:counts', { stopId: briefing.stopId });
    expect(counts.map((c) => [c.sessionId, c.checkedIn])).toEqual([
      [briefing.id, 1],
      [ir.id, 1],
    ]);
  });

  it('a person already checked in at the stop gets no second stop check-in', async () => {
    const { ctx, briefing, bora } = await stopWithSessions();
    await callApi(ctx, 'checkin:checkIn', { registrationId: bora.registrationId });
    const res = await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: bora.registrationId });
    expect(res).toMatchObject({ created: true, stopCheckedIn: false });
    expect(stopCheckIns(ctx, bora.registrationId)).toBe(1);
  });

  it('checks in by scanned token; the same code again is “already”; an unknown code matches no one', async () => {
    const { ctx, briefing, chul } = await stopWithSessions();
    const scan = await callApi(ctx, 'sessions:scan', { sessionId: briefing.id, token: ` ${chul.scanToken} ` });
    expect(scan).toMatchObject({ kind: 'checked_in', stopCheckedIn: true, registration: { registrationId: chul.registrationId } });
    const again = await callApi(ctx, 'sessions:scan', { sessionId: briefing.id, token: chul.scanToken });
    expect(again.kind).toBe('already');
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM session_check_ins WHERE registration_id = ?', chul.registrationId)).toBe(1);
    expect(await callApi(ctx, 'sessions:scan', { sessionId: briefing.id, token: 'NO-SUCH-CODE' })).toEqual({ kind: 'unknown', token: 'NO-SUCH-CODE' });
  });

  it('keeps a second check-in of the same person into the same session (two desks offline) and shows it as a duplicate', async () => {
    const { ctx, briefing, ara } = await stopWithSessions();
    await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId });
    // Another desk's check-in of the same person, arriving by sync: appended as that desk did.
    ctx.store.events.append('session_checked_in', { sessionId: briefing.id, registrationId: ara.registrationId, attendeeId: ara.attendee.id, stopId: briefing.stopId, desk: 'Desk 2', stopCheckInEventId: null });
    const [row] = await callApi(ctx, 'sessions:attendees', { sessionId: briefing.id });
    expect(row!.session.checkIn!.desk).toBe('Desk 1');
    expect(row!.session.duplicateCheckIns.map((d) => d.desk)).toEqual(['Desk 2']);
    const [c] = await callApi(ctx, 'sessions:counts', { stopId: briefing.stopId });
    expect(c).toMatchObject({ checkedIn: 1, duplicates: 1 });
  });

  it('undoes a session check-in with a reason, keeping the stop check-in unless asked to take it back too', async () => {
    const { ctx, briefing, ir, ara, bora } = await stopWithSessions();
    const a = await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId });
    const undone = await callApi(ctx, 'sessions:void', { sessionCheckInEventId: a.registration.session.checkIn!.eventId, reason: 'Wrong session' });
    expect(undone.session.checkIn).toBeNull();
    expect(undone.checkIn).not.toBeNull(); // still at the stop
    expect(ctx.store.db.prepare('SELECT reason, desk FROM session_check_in_voids').get()).toEqual({ reason: 'Wrong session', desk: 'Desk 1' });
    expect(await callApiError(ctx, 'sessions:void', { sessionCheckInEventId: a.registration.session.checkIn!.eventId, reason: 'again' })).toMatchObject({ code: 'CONFLICT' });
    expect(await callApiError(ctx, 'sessions:void', { sessionCheckInEventId: 'nope', reason: 'x' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await callApiError(ctx, 'sessions:void', { sessionCheckInEventId: 'x', reason: '  ' })).toMatchObject({ code: 'VALIDATION' });
    // Checked in again after the undo: a new check-in, and the stop's stays the first one.
    const again = await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId });
    expect(again).toMatchObject({ created: true, stopCheckedIn: false });

    // The wrong person scanned: both go.
    const b = await callApi(ctx, 'sessions:checkIn', { sessionId: ir.id, registrationId: bora.registrationId });
    const both = await callApi(ctx, 'sessions:void', { sessionCheckInEventId: b.registration.session.checkIn!.eventId, reason: 'Scanned the wrong badge', alsoStop: true });
    expect(both.session.checkIn).toBeNull();
    expect(both.checkIn).toBeNull();
    const history = await callApi(ctx, 'checkin:history', { attendeeId: bora.attendee.id });
    expect(history.map((h) => [h.kind, h.reason])).toEqual([
      ['check_in', null],
      ['void', 'Scanned the wrong badge'],
    ]);
  });

  it('alsoStop never undoes a stop check-in made at the entrance', async () => {
    const { ctx, briefing, chul } = await stopWithSessions();
    await callApi(ctx, 'checkin:checkIn', { registrationId: chul.registrationId });
    const c = await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: chul.registrationId });
    const after = await callApi(ctx, 'sessions:void', { sessionCheckInEventId: c.registration.session.checkIn!.eventId, reason: 'Wrong session', alsoStop: true });
    expect(after.checkIn).not.toBeNull();
  });

  it('refuses check-ins into a cancelled session with SESSION_CANCELLED, naming it; writes nothing', async () => {
    const { ctx, briefing, ara } = await stopWithSessions();
    await callApi(ctx, 'session:upsert', { ...briefing, cancelled: true });
    const before = count(ctx, 'SELECT COUNT(*) AS n FROM events');
    expect(await callApiError(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId })).toMatchObject({
      code: 'SESSION_CANCELLED',
      details: { title: 'Policy briefing', titleKo: '정책 설명회' },
    });
    expect(await callApiError(ctx, 'sessions:scan', { sessionId: briefing.id, token: ara.scanToken })).toMatchObject({ code: 'SESSION_CANCELLED' });
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM events')).toBe(before);
    expect(stopCheckIns(ctx, ara.registrationId)).toBe(0);
  });

  it('refuses an unknown session and a registration of another stop', async () => {
    const { ctx, briefing, ara } = await stopWithSessions();
    expect(await callApiError(ctx, 'sessions:checkIn', { sessionId: 'no-such-session', registrationId: ara.registrationId })).toMatchObject({ code: 'NOT_FOUND' });
    const other = await callApi(ctx, 'stop:upsert', { tourId: (await callApi(ctx, 'tours:list', {}))[0]!.id, round: '2', city: 'Austin', date: '2026-10-21', timeZone: 'America/Chicago', kind: 'company_ir' });
    const elsewhere = await callApi(ctx, 'checkin:registerWalkIn', { stopId: other.id, familyName: 'Kim', givenName: 'Dana', careerStage: 'other', fields: [], ...consent, checkInNow: false });
    expect(await callApiError(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: elsewhere.registrationId })).toMatchObject({ code: 'NOT_FOUND' });
    // A scan looks the token up at the session's stop only.
    expect((await callApi(ctx, 'sessions:scan', { sessionId: briefing.id, token: elsewhere.scanToken })).kind).toBe('unknown');
  });

  it('counts each session: people, seats, per career stage; search and the latest list show the session status', async () => {
    const { ctx, stop, briefing, ir, ara, bora, chul } = await stopWithSessions();
    for (const r of [ara, bora, chul]) await callApi(ctx, 'sessions:checkIn', { sessionId: briefing.id, registrationId: r.registrationId });
    await callApi(ctx, 'sessions:checkIn', { sessionId: ir.id, registrationId: bora.registrationId });
    const counts = await callApi(ctx, 'sessions:counts', { stopId: stop.id });
    expect(counts).toEqual([
      { sessionId: briefing.id, stopId: stop.id, checkedIn: 3, duplicates: 0, capacity: 300, byCareerStage: { postdoc: 2, student: 1 } },
      { sessionId: ir.id, stopId: stop.id, checkedIn: 1, duplicates: 0, capacity: null, byCareerStage: { student: 1 } },
    ]);
    // The stop's own counts follow: three people checked in at the stop by their session check-ins.
    expect((await callApi(ctx, 'checkin:counts', { stopId: stop.id })).checkedIn).toBe(3);

    const latest = await callApi(ctx, 'sessions:attendees', { sessionId: briefing.id });
    expect(latest.map((r) => r.attendee.givenName)).toEqual(['Chul', 'Bora', 'Ara']);
    const found = await callApi(ctx, 'sessions:search', { sessionId: ir.id, query: 'Park', limit: 10 });
    expect(Object.fromEntries(found.map((r) => [r.attendee.givenName, r.session.checkIn !== null]))).toEqual({ Ara: false, Bora: true, Chul: false });
  });

  it('needs checkin.write to check in or undo and attendees.read to search, like the stop’s door', async () => {
    const { ctx, briefing, ara } = await stopWithSessions();
    const as = (role: StaffRole): ApiContext => {
      const session = new DeskSession();
      session.signIn({ id: `staff-${role}`, name: role, role, institutionId: role === 'booth_staff' ? 'inst-kaist' : null });
      return { ...ctx, session, actorId: `staff-${role}` };
    };
    expect(await callApiError(as('booth_staff'), 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(as('booth_staff'), 'sessions:scan', { sessionId: briefing.id, token: ara.scanToken })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApi(as('booth_staff'), 'sessions:counts', { stopId: briefing.stopId })).toHaveLength(2);
    const done = await callApi(as('desk_staff'), 'sessions:checkIn', { sessionId: briefing.id, registrationId: ara.registrationId });
    expect(done.created).toBe(true);
    expect(await callApiError(as('booth_staff'), 'sessions:void', { sessionCheckInEventId: done.registration.session.checkIn!.eventId, reason: 'x' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const locked = new DeskSession();
    expect(await callApiError({ ...ctx, session: locked }, 'sessions:search', { sessionId: briefing.id, query: '' })).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
  });
});
