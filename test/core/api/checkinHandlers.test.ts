import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { CURRENT_CONSENT_TEXT_VERSION } from '../../../shared/vocab';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

describe('check-in API', () => {
  let store: Store;
  let ctx: ApiContext;
  beforeEach(() => {
    store = createTestStore({ demo: true, attendees: 150 });
    ctx = createTestContext(store);
  });

  const notCheckedIn = async () => {
    const rows = store.db
      .prepare(
        `SELECT r.id, r.scan_token, a.family_name, a.given_name, a.name_ko FROM registrations r JOIN attendees a ON a.id = r.attendee_id
         WHERE r.stop_id = ? AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) AND a.family_name <> '' ORDER BY r.id`,
      )
      .all(DEMO_STOP) as { id: string; scan_token: string; family_name: string; given_name: string; name_ko: string }[];
    expect(rows.length).toBeGreaterThan(2);
    return rows;
  };

  it('searches the stop by name, and sees a new walk-in at once (index kept in step with the log)', async () => {
    const [r] = await notCheckedIn();
    const hits = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: `${r!.given_name} ${r!.family_name}`, limit: 20 });
    expect(hits.map((h) => h.registrationId)).toContain(r!.id);
    expect(hits.every((h) => h.stopId === DEMO_STOP)).toBe(true);
    const walkIn = await callApi(ctx, 'checkin:registerWalkIn', {
      stopId: DEMO_STOP, familyName: 'Zwicky', givenName: 'Quentin', nameKo: '', email: 'qz@example.edu', affiliation: 'Purdue University',
      careerStage: 'postdoc', fields: ['quantum'], consentScope: 'hq_stats', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION, checkInNow: true,
    });
    const found = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'zwick', limit: 20 });
    expect(found.map((h) => h.registrationId)).toEqual([walkIn.registrationId]);
    expect(found[0]!.checkIn?.desk).toBe('Desk 1');
    expect(found[0]!.bookings).toEqual([]);
  });

  it('scans: checks in, then warns "already" with desk and time, and answers unknown tokens', async () => {
    const [r] = await notCheckedIn();
    const first = await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: ` ${r!.scan_token.toLowerCase()} ` });
    expect(first.kind).toBe('checked_in');
    const again = await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: r!.scan_token });
    expect(again.kind).toBe('already');
    if (again.kind !== 'already') throw new Error('unreachable');
    expect(again.registration.checkIn?.desk).toBe('Desk 1');
    const before = eventCount(store);
    const unknown = await callApi(ctx, 'checkin:scan', { stopId: DEMO_STOP, token: 'RS-NOPE' });
    expect(unknown).toEqual({ kind: 'unknown', token: 'RS-NOPE' });
    expect(eventCount(store)).toBe(before);
  });

  it('undoes a check-in with a reason, keeps it in the history with desk and time, and refuses a second undo', async () => {
    await callApi(ctx, 'settings:update', { deskName: 'North door' });
    const [r] = await notCheckedIn();
    const res = await callApi(ctx, 'checkin:checkIn', { registrationId: r!.id });
    expect(res.created).toBe(true);
    const again = await callApi(ctx, 'checkin:checkIn', { registrationId: r!.id });
    expect(again.created).toBe(false);
    const undone = await callApi(ctx, 'checkin:void', { checkInEventId: res.registration.checkIn!.eventId, reason: 'wrong person' });
    expect(undone.checkIn).toBeNull();
    const err = await callApiError(ctx, 'checkin:void', { checkInEventId: res.registration.checkIn!.eventId, reason: 'again' });
    expect(err.code).toBe('CONFLICT');
    const history = await callApi(ctx, 'checkin:history', { attendeeId: res.registration.attendee.id });
    expect(history.map((h) => [h.kind, h.desk, h.reason])).toEqual([
      ['check_in', 'North door', null],
      ['void', 'North door', 'wrong person'],
    ]);
    expect(history[1]!.checkInEventId).toBe(res.registration.checkIn!.eventId);
    const re = await callApi(ctx, 'checkin:checkIn', { registrationId: r!.id });
    expect(re.created).toBe(true);
  });

  it('rejects bad input with a code and writes nothing', async () => {
    const before = eventCount(store);
    expect((await callApiError(ctx, 'checkin:void', { checkInEventId: 'x', reason: '  ' })).code).toBe('VALIDATION');
    expect((await callApiError(ctx, 'checkin:checkIn', { registrationId: 'no-such' })).code).toBe('NOT_FOUND');
    expect(
      (await callApiError(ctx, 'checkin:registerWalkIn', { stopId: DEMO_STOP, familyName: '', givenName: '', nameKo: '', email: 'bad', consentScope: 'hq_stats', consentTextVersion: 'v1' })).code,
    ).toBe('VALIDATION');
    expect(eventCount(store)).toBe(before);
  });

  it('suggests possible duplicates tour-wide and registers the chosen person at this stop', async () => {
    const other = store.db
      .prepare(`SELECT a.id, a.family_name, a.given_name, a.email FROM attendees a WHERE a.family_name <> '' AND a.email <> '' AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.attendee_id = a.id AND r.stop_id = ?) LIMIT 1`)
      .get(DEMO_STOP) as { id: string; family_name: string; given_name: string; email: string };
    const byEmail = await callApi(ctx, 'checkin:similar', { stopId: DEMO_STOP, email: other.email.toUpperCase() });
    expect(byEmail[0]).toMatchObject({ reason: 'email', registration: null, attendee: { id: other.id } });
    const byName = await callApi(ctx, 'checkin:similar', { stopId: DEMO_STOP, givenName: other.given_name, familyName: other.family_name });
    expect(byName.map((s) => s.attendee.id)).toContain(other.id);
    const reg = await callApi(ctx, 'checkin:registerExisting', { stopId: DEMO_STOP, attendeeId: other.id, checkInNow: true });
    expect(reg.attendee.id).toBe(other.id);
    expect(reg.source).toBe('walk_in');
    expect(reg.checkIn).not.toBeNull();
    const counts = await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP });
    expect(counts.walkIns).toBe(1);
    // Twice: the same registration, no second one.
    const again = await callApi(ctx, 'checkin:registerExisting', { stopId: DEMO_STOP, attendeeId: other.id, checkInNow: true });
    expect(again.registrationId).toBe(reg.registrationId);
  });

  it('hints near-duplicates across romanisation variants and Hangul while a walk-in is typed', async () => {
    const walkIn = (familyName: string, givenName: string, nameKo: string, email: string) =>
      callApi(ctx, 'checkin:registerWalkIn', {
        stopId: DEMO_STOP, familyName, givenName, nameKo, email, affiliation: 'Purdue University',
        careerStage: 'postdoc', fields: [], consentScope: 'hq_stats', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION, checkInNow: false,
      });
    const latin = await walkIn('Kim', 'Taeseok', '', 'taeseok.kim@example.edu');
    const hangul = await walkIn('', '', '김태석', 'tskim@example.org');
    const other = await walkIn('Kim', 'Taeyoung', '', 'ty.kim@example.edu');
    const hints = async (names: { familyName?: string; givenName?: string; nameKo?: string }) =>
      (await callApi(ctx, 'checkin:similar', { stopId: DEMO_STOP, ...names })).filter((h) => h.reason === 'name').map((h) => h.attendee.id);
    for (const [familyName, givenName] of [['Kim', 'Tae Seok'], ['Kim', 'Tae-seok'], ['Kim', 'Taesuk'], ['Taeseok', 'Kim'], ['Gim', 'Taesok']] as const) {
      const ids = await hints({ familyName, givenName });
      if (givenName === 'Taesok') continue; // McCune–Reischauer without its breve is 오, not 어: not folded (see romanizedNameKey.ts)
      expect(ids, `${familyName} ${givenName}`).toEqual(expect.arrayContaining([latin.attendee.id, hangul.attendee.id]));
      expect(ids, `${familyName} ${givenName}`).not.toContain(other.attendee.id);
    }
    // Typed in Hangul: the record with only a Latin name is found through its romanisation.
    expect(await hints({ nameKo: '김태석' })).toEqual(expect.arrayContaining([latin.attendee.id, hangul.attendee.id]));
    // A correction is seen at once (the keys are patched with the search index).
    const state = await callApi(ctx, 'attendees:get', { attendeeId: other.attendee.id });
    await callApi(ctx, 'attendees:edit', { attendeeId: other.attendee.id, baseCorrectionIds: state.headIds, values: { givenName: 'Tae-suk' } });
    expect(await hints({ familyName: 'Kim', givenName: 'Taeseok' })).toContain(other.attendee.id);
  });

  it('counts registered, checked in, walk-ins and checked-in by career stage', async () => {
    const c0 = await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP });
    const [r] = await notCheckedIn();
    const res = await callApi(ctx, 'checkin:checkIn', { registrationId: r!.id });
    const c1 = await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP });
    expect(c1.checkedIn).toBe(c0.checkedIn + 1);
    const stage = res.registration.attendee.careerStage;
    expect(c1.byCareerStage[stage]).toBe((c0.byCareerStage[stage] ?? 0) + 1);
    expect(c1.registered).toBe(c0.registered);
  });
});
