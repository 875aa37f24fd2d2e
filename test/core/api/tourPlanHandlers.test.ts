import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { DEMO_STAFF, seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, disposeTestStore } from '../../helpers/testStore';

/**
 * Issue #18: a tour planned from nothing through the API (as HQ's dashboard and a stop lead on site
 * do), edits after the fact that never lose bookings, and planned staff choosing their own PIN.
 */
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

function emptyDesk(): ApiContext {
  const store = createTestStore();
  stores.push(store);
  return createTestContext(store, { actorId: 'hq-admin' });
}

const eventCount = (ctx: ApiContext): number => ctx.store.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
const plan = { startTime: '13:00', endTime: '15:00', slotMinutes: 30, capacity: 1, breaks: [], fields: [] };

async function plannedTour(ctx: ApiContext) {
  const tour = await callApi(ctx, 'tour:upsert', { name: 'Korea–US Roadshow 2026', nameKo: '2026 한미 로드쇼', year: 2026, startDate: '2026-10-01', endDate: '2026-11-30' });
  const stop = await callApi(ctx, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Chicago', cityKo: '시카고', venue: 'Hyatt', campus: '', date: '2026-10-19', timeZone: 'America/Chicago', kind: 'joint_briefing' });
  const kaist = await callApi(ctx, 'institution:upsert', { name: 'Korea Advanced Institute of Science and Technology', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university', programs: ['InnoCORE postdoc', 'Brain to Korea'], contactName: 'Kim', contactEmail: 'talent@kaist.example' });
  const booth = await callApi(ctx, 'booth:upsert', { stopId: stop.id, institutionId: kaist.id, location: 'B01', staff: ['Recruiter'], plan });
  return { tour, stop, kaist, booth };
}

async function bookedPerson(ctx: ApiContext, stopId: string, boothId: string, slotStart: string) {
  const walkIn = await callApi(ctx, 'checkin:registerWalkIn', { stopId, familyName: 'Lee', givenName: 'Jina', email: 'jina@example.edu', affiliation: 'UIUC', careerStage: 'postdoc', fields: ['ai'], consentScope: 'hq_stats', consentTextVersion: '2025-10-v1' });
  const registrationId = walkIn.registrationId;
  return callApi(ctx, 'booths:book', { boothId, slotStart, registrationId });
}

describe('tour planning (tour:upsert … staff:plan)', () => {
  it('plans a tour from an empty store: tour, stop, sessions, institution, booth with its plan', async () => {
    const ctx = emptyDesk();
    expect(await callApi(ctx, 'tours:list', {})).toEqual([]);
    const { tour, stop, kaist, booth } = await plannedTour(ctx);
    expect(await callApi(ctx, 'tours:list', {})).toEqual([tour]);
    expect(await callApi(ctx, 'stops:list', {})).toEqual([stop]);
    expect(await callApi(ctx, 'institutions:list', {})).toEqual([kaist]);
    expect(kaist.programs).toEqual(['InnoCORE postdoc', 'Brain to Korea']);
    expect(booth).toMatchObject({ stopId: stop.id, institutionId: kaist.id, location: 'B01', removed: false, institution: { shortName: 'KAIST' } });
    const briefing = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '10:00', endTime: '11:30', room: 'Ballroom A', capacity: 300 });
    await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'booth_hours', title: 'Booths', startTime: '13:00', endTime: '17:00', room: 'Hall' });
    expect((await callApi(ctx, 'sessions:list', { stopId: stop.id })).map((s) => [s.title, s.startTime, s.cancelled])).toEqual([
      ['Policy briefing', '10:00', false],
      ['Booths', '13:00', false],
    ]);
    const schedule = await callApi(ctx, 'booths:schedule', { stopId: stop.id });
    expect(schedule.timeZone).toBe('America/Chicago');
    // 13:00 in Chicago on 19 Oct 2026 (CDT, UTC-5).
    expect(schedule.rows[0]!.slots.map((s) => [s.start, s.localStart])).toEqual([
      ['2026-10-19T18:00:00.000Z', '13:00'],
      ['2026-10-19T18:30:00.000Z', '13:30'],
      ['2026-10-19T19:00:00.000Z', '14:00'],
      ['2026-10-19T19:30:00.000Z', '14:30'],
    ]);
    expect(briefing.capacity).toBe(300);
  });

  it('writes no event when an upsert changes nothing', async () => {
    const ctx = emptyDesk();
    const { tour, stop, kaist, booth } = await plannedTour(ctx);
    const before = eventCount(ctx);
    await callApi(ctx, 'tour:upsert', tour);
    await callApi(ctx, 'stop:upsert', stop);
    const { id: _k, ...kaistFields } = kaist;
    await callApi(ctx, 'institution:upsert', { ...kaistFields, id: kaist.id });
    await callApi(ctx, 'booth:upsert', { id: booth.id, stopId: stop.id, institutionId: kaist.id, location: 'B01', staff: ['Recruiter'], plan });
    expect(eventCount(ctx)).toBe(before);
    await callApi(ctx, 'institution:upsert', { ...kaistFields, id: kaist.id, name: 'KAIST (renamed)' });
    expect(eventCount(ctx)).toBe(before + 1);
    // Renamed everywhere it is shown: the booth names the institution by id.
    expect((await callApi(ctx, 'booths:list', { stopId: stop.id }))[0]!.institution.name).toBe('KAIST (renamed)');
  });

  it('refuses what a tour cannot hold, naming the field', async () => {
    const ctx = emptyDesk();
    const { tour, stop, kaist } = await plannedTour(ctx);
    const outside = await callApiError(ctx, 'stop:upsert', { tourId: tour.id, round: '2', city: 'Austin', date: '2026-12-05', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
    expect(outside).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: 'date' }], from: '2026-10-01', to: '2026-11-30' } });
    expect(await callApiError(ctx, 'stop:upsert', { tourId: tour.id, round: '2', city: 'Austin', date: '2026-11-05', timeZone: 'America/Austin', kind: 'campus_roadshow' })).toMatchObject({ code: 'VALIDATION' });
    expect(await callApiError(ctx, 'stop:upsert', { tourId: tour.id, round: '1', city: 'Austin', date: '2026-11-05', timeZone: 'America/Chicago', kind: 'campus_roadshow' })).toMatchObject({ details: { issues: [{ path: 'round' }] } });
    expect(await callApiError(ctx, 'stop:upsert', { tourId: 'tour-nope', round: '9', city: 'Austin', date: '2026-11-05', timeZone: 'America/Chicago', kind: 'campus_roadshow' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await callApiError(ctx, 'tour:upsert', { name: 'x', year: 2026, startDate: '2026-11-01', endDate: '2026-10-01' })).toMatchObject({ details: { issues: [{ path: 'endDate' }] } });
    expect(await callApiError(ctx, 'institution:upsert', { name: 'Other', shortName: 'kaist', kind: 'university' })).toMatchObject({ details: { issues: [{ path: 'shortName' }] } });
    await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'ir_round', title: 'IR round 1', startTime: '15:00', endTime: '16:00', room: 'Room 2' });
    expect(await callApiError(ctx, 'session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Talk', startTime: '15:30', endTime: '16:30', room: 'room 2' })).toMatchObject({ code: 'VALIDATION', details: { issues: [{ path: 'startTime' }], other: 'IR round 1' } });
    expect(await callApiError(ctx, 'session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Talk', startTime: '16:30', endTime: '16:00', room: '' })).toMatchObject({ details: { issues: [{ path: 'endTime' }] } });
    expect(await callApiError(ctx, 'booth:upsert', { stopId: stop.id, institutionId: kaist.id, plan: { ...plan, endTime: '12:00' } })).toMatchObject({ code: 'INVALID_BOOTH_PLAN' });
    expect(await callApiError(ctx, 'booth:upsert', { stopId: stop.id, institutionId: 'inst-nope' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('cancels a session by a flag: it stays listed, and its room is free again', async () => {
    const ctx = emptyDesk();
    const { stop } = await plannedTour(ctx);
    const ir = await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'ir_round', title: 'IR round 1', startTime: '15:00', endTime: '16:00', room: 'Room 2' });
    await callApi(ctx, 'session:upsert', { ...ir, cancelled: true });
    await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Talk', startTime: '15:30', endTime: '16:30', room: 'Room 2' });
    expect((await callApi(ctx, 'sessions:list', { stopId: stop.id })).map((s) => [s.title, s.cancelled])).toEqual([
      ['IR round 1', true],
      ['Talk', false],
    ]);
  });

  it('keeps the bookings of a removed booth and lists them as conflicts until a person resolves them', async () => {
    const ctx = emptyDesk();
    const { stop, kaist, booth } = await plannedTour(ctx);
    const made = await bookedPerson(ctx, stop.id, booth.id, '2026-10-19T18:30:00.000Z');
    const removed = await callApi(ctx, 'booth:remove', { boothId: booth.id });
    expect(removed).toEqual({ boothId: booth.id, bookingsKept: 1 });
    expect(await callApi(ctx, 'booths:list', { stopId: stop.id })).toEqual([]);
    const s = await callApi(ctx, 'booths:schedule', { stopId: stop.id });
    expect(s.rows.map((r) => [r.booth.id, r.booth.removed, r.slots.length])).toEqual([[booth.id, true, 0]]);
    expect(s.conflicts).toMatchObject([{ kind: 'off_plan', boothId: booth.id, conflictedBookingIds: [made.booking.bookingId] }]);
    expect(s.bookings.map((b) => b.bookingId)).toEqual([made.booking.bookingId]);
    // Nothing new at a removed booth.
    expect(await callApiError(ctx, 'booths:book', { boothId: booth.id, slotStart: '2026-10-19T18:00:00.000Z', registrationId: made.booking.registrationId })).toMatchObject({ code: 'BOOTH_REMOVED' });
    expect(await callApiError(ctx, 'booths:waitlistJoin', { boothId: booth.id, registrationId: made.booking.registrationId })).toMatchObject({ code: 'BOOTH_REMOVED' });
    // Put back (same institution): the same booth returns and the booking fits again.
    const back = await callApi(ctx, 'booth:upsert', { stopId: stop.id, institutionId: kaist.id, location: 'B02' });
    expect(back.id).toBe(booth.id);
    expect((await callApi(ctx, 'booths:schedule', { stopId: stop.id })).conflicts).toEqual([]);
  });

  it('lists a booking as a conflict when its booth’s hours are cut or the stop moves, and never deletes it', async () => {
    const ctx = emptyDesk();
    const { stop, booth } = await plannedTour(ctx);
    const late = await bookedPerson(ctx, stop.id, booth.id, '2026-10-19T19:30:00.000Z'); // 14:30 local
    await callApi(ctx, 'booths:setPlan', { boothId: booth.id, ...plan, endTime: '14:00' });
    let s = await callApi(ctx, 'booths:schedule', { stopId: stop.id });
    expect(s.conflicts.map((c) => [c.kind, c.conflictedBookingIds])).toEqual([['off_plan', [late.booking.bookingId]]]);
    await callApi(ctx, 'booths:setPlan', { boothId: booth.id, ...plan });
    expect((await callApi(ctx, 'booths:schedule', { stopId: stop.id })).conflicts).toEqual([]);
    // The stop moves to another day and zone: the booking's instant is no slot of the new plan.
    await callApi(ctx, 'stop:upsert', { ...stop, date: '2026-10-20', timeZone: 'America/New_York' });
    s = await callApi(ctx, 'booths:schedule', { stopId: stop.id });
    expect(s.timeZone).toBe('America/New_York');
    expect(s.conflicts.map((c) => c.kind)).toEqual(['off_plan']);
    expect(s.bookings.map((b) => b.bookingId)).toEqual([late.booking.bookingId]);
    await callApi(ctx, 'booths:resolveConflict', { bookingId: late.booking.bookingId, action: 'move', boothId: booth.id, slotStart: '2026-10-20T17:30:00.000Z', note: 'stop moved' });
    expect((await callApi(ctx, 'booths:schedule', { stopId: stop.id })).conflicts).toEqual([]);
  });

  it('copies another stop’s booths and plans for the institutions a stop has none of', async () => {
    const ctx = emptyDesk();
    const { tour, stop, kaist } = await plannedTour(ctx);
    const gist = await callApi(ctx, 'institution:upsert', { name: 'Gwangju Institute of Science and Technology', shortName: 'GIST', kind: 'university' });
    await callApi(ctx, 'booth:upsert', { stopId: stop.id, institutionId: gist.id, location: 'B02' });
    const nyc = await callApi(ctx, 'stop:upsert', { tourId: tour.id, round: '2', city: 'New York', date: '2026-10-22', timeZone: 'America/New_York', kind: 'joint_briefing' });
    expect(await callApi(ctx, 'booths:copyFromStop', { fromStopId: stop.id, toStopId: nyc.id })).toEqual({ boothsCreated: 2, plansCopied: 1, skipped: 0 });
    const copied = await callApi(ctx, 'booths:schedule', { stopId: nyc.id });
    expect(copied.rows.map((r) => [r.booth.institutionId, r.booth.location, r.plan?.copiedFromStopId ?? null])).toEqual([
      [gist.id, 'B02', null],
      [kaist.id, 'B01', stop.id],
    ]);
    // In New York's own time zone: 13:00 EDT.
    expect(copied.rows[1]!.slots[0]!.start).toBe('2026-10-22T17:00:00.000Z');
    expect(await callApi(ctx, 'booths:copyFromStop', { fromStopId: stop.id, toStopId: nyc.id })).toEqual({ boothsCreated: 0, plansCopied: 0, skipped: 1 });
  });
});

describe('planned staff choose their own PIN', () => {
  function deskWithStaff() {
    const store = createTestStore();
    stores.push(store);
    seedDemoStaff(store);
    const now = Date.parse('2026-10-19T15:00:00Z');
    return createTestContext(store, { session: new DeskSession({ lockAfterMinutes: 10, now: () => now }) });
  }
  const lead = DEMO_STAFF.find((s) => s.role === 'stop_lead')!;
  const hqAdmin = DEMO_STAFF.find((s) => s.role === 'hq_admin')!;

  it('HQ plans a person with a one-time code (only its hash is an event); at the desk they choose a PIN with it', async () => {
    const ctx = deskWithStaff();
    await callApi(ctx, 'auth:signIn', { staffId: hqAdmin.id, pin: hqAdmin.pin });
    const { tour, stop, kaist } = await plannedTour(ctx);
    expect(tour.id).toBeTruthy();
    const { staff, setupCode } = await callApi(ctx, 'staff:plan', { name: 'Jung Hana', role: 'booth_staff', institutionId: kaist.id, stopIds: [stop.id] });
    expect(staff).toMatchObject({ role: 'booth_staff', institutionId: kaist.id, stopIds: [stop.id], pinSet: false, active: true });
    expect(setupCode).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const log = ctx.store.db.prepare<[], { payload: string }>("SELECT payload FROM events WHERE type IN ('staff_upserted', 'staff_setup_code_set')").all().map((r) => r.payload).join('\n');
    expect(log).not.toContain(setupCode!.replace('-', ''));
    expect(log).toContain('scrypt$');

    await callApi(ctx, 'auth:lock', {});
    expect((await callApi(ctx, 'auth:status', {})).staff.find((s) => s.id === staff.id)).toMatchObject({ pinSet: false });
    expect(await callApiError(ctx, 'auth:signIn', { staffId: staff.id, pin: '123456' })).toMatchObject({ code: 'WRONG_PIN' });
    expect(await callApiError(ctx, 'auth:firstSignIn', { staffId: staff.id, setupCode: 'AAAAA-BBBBB', pin: '482913' })).toMatchObject({ code: 'WRONG_SETUP_CODE' });
    const signedIn = await callApi(ctx, 'auth:firstSignIn', { staffId: staff.id, setupCode: setupCode!.toLowerCase().replace('-', ' '), pin: '482913' });
    expect(signedIn.signedIn).toMatchObject({ id: staff.id, pinSet: true });
    expect(ctx.actorId).toBe(staff.id);
    // The code is spent: the PIN signs in from now on.
    await callApi(ctx, 'auth:lock', {});
    expect(await callApiError(ctx, 'auth:firstSignIn', { staffId: staff.id, setupCode: setupCode!, pin: '111222' })).toMatchObject({ code: 'CONFLICT' });
    expect((await callApi(ctx, 'auth:signIn', { staffId: staff.id, pin: '482913' })).signedIn?.id).toBe(staff.id);
  });

  it('a person without a code is told to ask; guessing codes is slowed down', async () => {
    const ctx = deskWithStaff();
    await callApi(ctx, 'auth:signIn', { staffId: lead.id, pin: lead.pin });
    const { staff, setupCode } = await callApi(ctx, 'staff:plan', { name: 'Desk Two', role: 'desk_staff', issueSetupCode: false });
    expect(setupCode).toBeNull();
    await callApi(ctx, 'auth:lock', {});
    expect(await callApiError(ctx, 'auth:firstSignIn', { staffId: staff.id, setupCode: 'AAAAA-BBBBB', pin: '482913' })).toMatchObject({ code: 'NO_SETUP_CODE' });
    for (let i = 0; i < 4; i++) await callApiError(ctx, 'auth:firstSignIn', { staffId: staff.id, setupCode: 'AAAAA-BBBBB', pin: '482913' });
    expect(await callApiError(ctx, 'auth:firstSignIn', { staffId: staff.id, setupCode: 'AAAAA-BBBBB', pin: '482913' })).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
  });

  it('only HQ plans the tour itself; a stop lead adapts the stop and plans desk and booth staff; desk staff neither', async () => {
    const ctx = deskWithStaff();
    await callApi(ctx, 'auth:signIn', { staffId: hqAdmin.id, pin: hqAdmin.pin });
    const { tour, stop, kaist, booth } = await plannedTour(ctx);
    await callApi(ctx, 'auth:signIn', { staffId: lead.id, pin: lead.pin });
    expect(await callApiError(ctx, 'tour:upsert', { ...tour, name: 'Mine' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'stop:upsert', { ...stop, city: 'Elsewhere' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'institution:upsert', { ...kaist, name: 'Mine' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'tourplan:template', { language: 'ko' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await callApi(ctx, 'booths:setPlan', { boothId: booth.id, ...plan, endTime: '16:00' });
    await callApi(ctx, 'session:upsert', { stopId: stop.id, kind: 'campus_talk', title: 'Added on site', startTime: '17:00', endTime: '18:00', room: '' });
    expect((await callApi(ctx, 'staff:plan', { name: 'Volunteer', role: 'desk_staff', stopIds: [stop.id] })).setupCode).toBeTruthy();
    expect(await callApiError(ctx, 'staff:plan', { name: 'Another lead', role: 'stop_lead' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const desk = DEMO_STAFF.find((s) => s.role === 'desk_staff')!;
    await callApi(ctx, 'auth:signIn', { staffId: desk.id, pin: desk.pin });
    expect(await callApiError(ctx, 'booth:upsert', { stopId: stop.id, institutionId: kaist.id })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'booth:remove', { boothId: booth.id })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'session:upsert', { stopId: stop.id, kind: 'other', title: 'x', startTime: '09:00', endTime: '10:00' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'staff:plan', { name: 'x', role: 'desk_staff' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect((await callApi(ctx, 'sessions:list', { stopId: stop.id })).map((s) => s.title)).toEqual(['Added on site']);
  });
});
