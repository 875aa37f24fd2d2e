import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { DeskSession } from '../../../core/security/deskSession';
import { DEMO_STAFF, seedDemoStaff } from '../../../core/security/demoStaff';
import type { Store } from '../../../core/store/openStore';
import { AdminStore } from '../../../hq/server/admin/adminStore';
import { matchData } from '../../../hq/server/dashboard/dashboardData';
import { CURRENT_CONSENT_TEXT_VERSION } from '../../../shared/vocab';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

const LEAD = DEMO_STAFF.find((s) => s.role === 'stop_lead')!;
const DESK = DEMO_STAFF.find((s) => s.role === 'desk_staff')!;
const BOOTH = DEMO_STAFF.find((s) => s.role === 'booth_staff')!;

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

/** A desk laptop on the demo data, its own clock, a signed-in staff member and a desk name. */
async function laptop(deviceId: string, staff = LEAD, deskName = 'Desk 1'): Promise<{ store: Store; ctx: ApiContext }> {
  let t = Date.parse('2025-11-14T15:00:00Z');
  const store = createTestStore({ demo: true, attendees: 30, deviceId, now: () => (t += 1000) });
  stores.push(store);
  seedDemoStaff(store);
  const session = new DeskSession();
  session.signIn({ id: staff.id, name: staff.name, role: staff.role, institutionId: staff.institutionId });
  const ctx = createTestContext(store, { session, actorId: staff.id });
  const lead = new DeskSession();
  lead.signIn({ id: LEAD.id, name: LEAD.name, role: LEAD.role, institutionId: null });
  await callApi(createTestContext(store, { session: lead, actorId: LEAD.id }), 'settings:update', { deskName });
  return { store, ctx };
}

const firstAttendee = (s: Store) =>
  (s.db.prepare('SELECT r.attendee_id AS id FROM registrations r WHERE r.stop_id = ? ORDER BY r.id LIMIT 1').get(DEMO_STOP) as { id: string }).id;
const own = (s: Store) => s.events.eventsOfDevice(s.deviceId, 0, 10_000);
const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

describe('attendees:edit and attendees:history', () => {
  it('corrects a misspelt name and email, records who, where and before/after, and search finds the new name at once', async () => {
    const { store, ctx } = await laptop('desk-a', LEAD, 'Front desk 2');
    const id = firstAttendee(store);
    const before = await callApi(ctx, 'attendees:get', { attendeeId: id });
    // Warm the desk's search index first: the correction must show without a rebuild.
    await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Zyxwvut', limit: 5 });
    const after = await callApi(ctx, 'attendees:edit', {
      attendeeId: id,
      baseCorrectionIds: before.headIds,
      values: { ...before.attendee, familyName: 'Zyxwvut', email: 'zyx.corrected@example.edu', fields: ['quantum', 'ai', 'ai'] },
    });
    expect(after.attendee).toMatchObject({ familyName: 'Zyxwvut', email: 'zyx.corrected@example.edu', fields: ['ai', 'quantum'] });
    expect(after.headIds).toHaveLength(1);
    expect(after.conflicts).toEqual([]);

    const found = await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'Zyxwvut', limit: 5 });
    expect(found.map((r) => r.attendee.id)).toEqual([id]);
    expect(await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'zyx.corrected', limit: 5 })).toHaveLength(1);

    const history = await callApi(ctx, 'attendees:history', { attendeeId: id });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ kind: 'corrected', staffName: 'Kim Minji', desk: 'Front desk 2', deviceId: 'desk-a', inConflict: false });
    const fields = history[0]!.changes.map((c) => c.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['email', 'familyName']));
    expect(fields).not.toContain('givenName');
    expect(history[0]!.changes.find((c) => c.field === 'familyName')).toEqual({ field: 'familyName', before: before.attendee.familyName, after: 'Zyxwvut' });

    // The badge is made from the corrected row.
    const reg = found[0]!;
    const badges = await callApi(ctx, 'badges:data', { stopId: DEMO_STOP, layout: 'a6', registrationIds: [reg.registrationId] });
    expect(badges.badges[0]!.latinName).toContain('Zyxwvut');
  });

  it('refuses bad input with a clear code and writes nothing', async () => {
    const { store, ctx } = await laptop('desk-a');
    const id = firstAttendee(store);
    const s = await callApi(ctx, 'attendees:get', { attendeeId: id });
    const n = eventCount(store);
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { email: 'not-an-email' } })).toMatchObject({ code: 'VALIDATION' });
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { careerStage: 'astronaut' } })).toMatchObject({ code: 'VALIDATION' });
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { familyName: '', givenName: ' ', nameKo: '' } })).toMatchObject({
      code: 'VALIDATION',
      details: { field: 'name' },
    });
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: 'nobody', baseCorrectionIds: [], values: { affiliation: 'X' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: ['some-other-correction'], values: { affiliation: 'X' } })).toMatchObject({ code: 'ATTENDEE_CHANGED' });
    // Saving what is already there writes nothing.
    await callApi(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: s.attendee });
    expect(eventCount(store)).toBe(n);
    // A second edit made on an old view of the person is refused as stale.
    const first = await callApi(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { affiliation: 'MIT' } });
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { affiliation: 'Harvard' } })).toMatchObject({ code: 'ATTENDEE_CHANGED' });
    const second = await callApi(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: first.headIds, values: { affiliation: 'Harvard' } });
    expect(second.attendee.affiliation).toBe('Harvard');
  });

  it('lets desk staff and stop leads edit, booth staff only read', async () => {
    const { store, ctx } = await laptop('desk-a', BOOTH);
    const id = firstAttendee(store);
    const s = await callApi(ctx, 'attendees:get', { attendeeId: id });
    expect(await callApiError(ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { affiliation: 'X' } })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const desk = new DeskSession();
    desk.signIn({ id: DESK.id, name: DESK.name, role: DESK.role, institutionId: null });
    const deskCtx = createTestContext(store, { session: desk, actorId: DESK.id });
    await callApi(deskCtx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { affiliation: 'Caltech' } });
    expect((await callApi(ctx, 'attendees:history', { attendeeId: id }))[0]).toMatchObject({ staffName: 'Park Jiwoo' });
  });
});

describe('concurrent corrections from two desks', () => {
  async function twoDesks() {
    const a = await laptop('desk-a', LEAD, 'Desk A');
    const b = await laptop('desk-b', DESK, 'Desk B');
    const id = firstAttendee(a.store);
    const sa = await callApi(a.ctx, 'attendees:get', { attendeeId: id });
    const sb = await callApi(b.ctx, 'attendees:get', { attendeeId: id });
    return { a, b, id, sa, sb };
  }

  it('keeps both, flags the field two desks set differently, refuses edits until resolved, and the resolution clears it everywhere', async () => {
    const { a, b, id, sa, sb } = await twoDesks();
    await callApi(a.ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: sa.headIds, values: { email: 'from.a@example.edu', affiliation: 'MIT' } });
    await callApi(b.ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: sb.headIds, values: { email: 'from.b@example.edu', nameKo: '김민준' } });
    a.store.events.ingest(own(b.store));
    b.store.events.ingest(own(a.store));
    const onA = await callApi(a.ctx, 'attendees:get', { attendeeId: id });
    const onB = await callApi(b.ctx, 'attendees:get', { attendeeId: id });
    expect(onA).toEqual(onB);
    expect(onA.headIds).toHaveLength(2);
    // Only email clashes; the other fields each desk fixed both stand.
    expect(onA.conflicts.map((c) => c.field)).toEqual(['email']);
    expect(onA.attendee).toMatchObject({ affiliation: 'MIT', nameKo: '김민준' });
    expect(onA.conflicts[0]!.versions.map((v) => [v.value, v.staffName, v.desk]).sort()).toEqual([
      ['from.a@example.edu', 'Kim Minji', 'Desk A'],
      ['from.b@example.edu', 'Park Jiwoo', 'Desk B'],
    ]);
    const history = await callApi(a.ctx, 'attendees:history', { attendeeId: id });
    expect(history.map((h) => h.inConflict)).toEqual([true, true]);
    expect(await callApi(a.ctx, 'attendees:flagged', { stopId: DEMO_STOP })).toMatchObject([{ attendee: { id }, fields: ['email'] }]);

    expect(await callApiError(a.ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: onA.headIds, values: { affiliation: 'X' } })).toMatchObject({ code: 'ATTENDEE_IN_CONFLICT' });
    expect(await callApiError(a.ctx, 'attendees:resolve', { attendeeId: id, resolvedCorrectionIds: onA.headIds, values: { affiliation: 'X' } })).toMatchObject({
      code: 'VALIDATION',
      details: { fields: ['email'] },
    });
    const resolved = await callApi(a.ctx, 'attendees:resolve', { attendeeId: id, resolvedCorrectionIds: onA.headIds, values: { email: 'from.b@example.edu' } });
    expect(resolved.conflicts).toEqual([]);
    expect(resolved.attendee.email).toBe('from.b@example.edu');
    b.store.events.ingest(own(a.store));
    expect(await callApi(b.ctx, 'attendees:get', { attendeeId: id })).toEqual(resolved);
    expect(await callApi(b.ctx, 'attendees:flagged', { stopId: DEMO_STOP })).toEqual([]);
    expect((await callApi(b.ctx, 'attendees:history', { attendeeId: id }))[0]).toMatchObject({ kind: 'resolved', staffName: 'Kim Minji', inConflict: false });
  });

  it('does not flag two desks that set the same value, or different fields', async () => {
    const { a, b, id, sa, sb } = await twoDesks();
    await callApi(a.ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: sa.headIds, values: { email: 'same@example.edu' } });
    await callApi(b.ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: sb.headIds, values: { email: 'same@example.edu', affiliation: 'Yale' } });
    a.store.events.ingest(own(b.store));
    const s = await callApi(a.ctx, 'attendees:get', { attendeeId: id });
    expect(s.conflicts).toEqual([]);
    expect(s.headIds).toHaveLength(2);
    // The next edit names both heads and joins them.
    const next = await callApi(a.ctx, 'attendees:edit', { attendeeId: id, baseCorrectionIds: s.headIds, values: { givenName: 'Joined' } });
    expect(next.headIds).toHaveLength(1);
  });
});

describe('exports', () => {
  it('the follow-up list shows a walk-in’s confirmed Latin name, and the corrected one after a fix', async () => {
    const { ctx } = await laptop('desk-a');
    // The desk confirmed the suggestion for 최서운 (Choi / Seoun): the walk-in is saved with it.
    const reg = await callApi(ctx, 'checkin:registerWalkIn', {
      stopId: DEMO_STOP, familyName: 'Choi', givenName: 'Seoun', nameKo: '최서운', email: '', careerStage: 'postdoc', fields: [],
      consentScope: 'all_institutions', consentTextVersion: CURRENT_CONSENT_TEXT_VERSION,
    });
    await callApi(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId: 'inst-kaist', registrationId: reg.registrationId, content: { staffName: 'Park Jiwoo' } });
    const csv = async () => {
      const out = await callApi(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-kaist', stopId: DEMO_STOP, format: 'csv', language: 'en' });
      return Buffer.from(out.base64, 'base64').toString('utf8');
    };
    expect(await csv()).toMatch(/Choi.*Seoun.*최서운/);
    const s = await callApi(ctx, 'attendees:get', { attendeeId: reg.attendee.id });
    await callApi(ctx, 'attendees:edit', { attendeeId: reg.attendee.id, baseCorrectionIds: s.headIds, values: { givenName: 'Seoyun', nameKo: '최서윤' } });
    const after = await csv();
    expect(after).toMatch(/Choi.*Seoyun.*최서윤/);
    expect(after).not.toContain('최서운');
  });
});

describe('HQ person matching', () => {
  it('uses the corrected email and name', async () => {
    const { store, ctx } = await laptop('desk-a');
    const admin = new AdminStore(path.join(path.dirname(store.db.name), 'admin.sqlite'));
    const [x, y] = store.db
      .prepare("SELECT id, email FROM attendees WHERE email <> '' AND email NOT IN (SELECT email FROM attendees GROUP BY email HAVING COUNT(*) > 1) ORDER BY id LIMIT 2")
      .all() as { id: string; email: string }[];
    const pairs = () => matchData(store, admin, 'en').map((p) => [p.from.id, p.into.id].sort().join('|'));
    const key = [x!.id, y!.id].sort().join('|');
    expect(pairs()).not.toContain(key);
    const s = await callApi(ctx, 'attendees:get', { attendeeId: y!.id });
    await callApi(ctx, 'attendees:edit', { attendeeId: y!.id, baseCorrectionIds: s.headIds, values: { email: x!.email.toUpperCase() } });
    const proposal = matchData(store, admin, 'en').find((p) => [p.from.id, p.into.id].sort().join('|') === key);
    expect(proposal?.rules).toContain('email');
    expect([proposal!.from.email.toLowerCase(), proposal!.into.email.toLowerCase()]).toEqual([x!.email.toLowerCase(), x!.email.toLowerCase()]);
  });
});
