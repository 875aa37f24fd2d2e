import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { CHANNEL_RULES, ROLE_PERMISSIONS, ruleFor } from '../../../core/api/authorization';
import { DEMO_STAFF, seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { hashPin, verifyPin } from '../../../core/security/pinHash';
import { CHANNELS } from '../../../shared/contract';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';

const PIN = Object.fromEntries(DEMO_STAFF.map((s) => [s.role, s.pin])) as Record<string, string>;
const ID = Object.fromEntries(DEMO_STAFF.map((s) => [s.role, s.id])) as Record<string, string>;

function desk(opts: { demo?: boolean; staff?: boolean } = {}) {
  let now = Date.parse('2025-11-14T15:00:00Z');
  const store = createTestStore({ demo: opts.demo ?? true, attendees: 120 });
  if (opts.staff ?? true) seedDemoStaff(store);
  const session = new DeskSession({ lockAfterMinutes: 10, now: () => now });
  const ctx = createTestContext(store, { session });
  return { ctx, advance: (ms: number) => (now += ms) };
}

/** A registration at the demo stop nobody has checked in yet (read straight from the store). */
const openRegistration = (ctx: ApiContext): string =>
  (ctx.store.db.prepare('SELECT id FROM registrations WHERE stop_id = ? AND id NOT IN (SELECT registration_id FROM check_ins) ORDER BY id LIMIT 1').get(DEMO_STOP) as { id: string }).id;

const signIn = (ctx: ApiContext, role: string) => callApi(ctx, 'auth:signIn', { staffId: ID[role]!, pin: PIN[role]! });

describe('staff sign-in and roles', () => {
  it('a locked desk answers only the lock-screen calls', async () => {
    const { ctx } = desk();
    const status = await callApi(ctx, 'auth:status', {});
    expect(status).toMatchObject({ enforced: true, signedIn: null, needsSetup: false, demo: true });
    expect(status.staff.map((s) => s.id)).toEqual(expect.arrayContaining(Object.values(ID)));
    expect(JSON.stringify(status)).not.toContain('scrypt');
    await callApi(ctx, 'app:info', {});
    await callApi(ctx, 'settings:get', {});
    expect((await callApi(ctx, 'settings:update', { language: 'en' })).language).toBe('en');
    expect(await callApiError(ctx, 'settings:update', { currentStopId: 'stop-01-boston' })).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
    expect(await callApiError(ctx, 'checkin:search', { stopId: DEMO_STOP, query: '' })).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
    expect(await callApiError(ctx, 'stops:list', {})).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
  });

  it('signs in with the right PIN only, and slows down guessing', async () => {
    const { ctx, advance } = desk();
    expect(await callApiError(ctx, 'auth:signIn', { staffId: ID.desk_staff!, pin: '000000' })).toMatchObject({ code: 'WRONG_PIN' });
    expect(await callApiError(ctx, 'auth:signIn', { staffId: 'staff-nobody', pin: '222222' })).toMatchObject({ code: 'WRONG_PIN' });
    for (let i = 0; i < 4; i++) await callApiError(ctx, 'auth:signIn', { staffId: ID.desk_staff!, pin: '123456' });
    // Five wrong tries: even the right PIN waits.
    const locked = await callApiError(ctx, 'auth:signIn', { staffId: ID.desk_staff!, pin: PIN.desk_staff! });
    expect(locked).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect(locked.details?.seconds).toBeGreaterThan(0);
    advance(31_000);
    const status = await signIn(ctx, 'desk_staff');
    expect(status.signedIn).toMatchObject({ id: ID.desk_staff, role: 'desk_staff' });
    expect(ctx.actorId).toBe(ID.desk_staff);
  });

  it('attributes every event to the signed-in person', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'desk_staff');
    await callApi(ctx, 'checkin:checkIn', { registrationId: openRegistration(ctx) });
    const ev = ctx.store.db.prepare("SELECT actor_id FROM events WHERE type = 'checked_in' ORDER BY local_seq DESC LIMIT 1").get() as { actor_id: string };
    expect(ev.actor_id).toBe(ID.desk_staff);
  });

  it('locks itself after the idle minutes', async () => {
    const { ctx, advance } = desk();
    await signIn(ctx, 'stop_lead');
    advance(9 * 60_000);
    await callApi(ctx, 'stops:list', {}); // activity resets the timer
    advance(9 * 60_000);
    await callApi(ctx, 'stops:list', {});
    advance(10 * 60_000);
    expect(await callApiError(ctx, 'stops:list', {})).toMatchObject({ code: 'SIGN_IN_REQUIRED' });
    expect(ctx.actorId).toBeNull();
    expect((await callApi(ctx, 'auth:status', {})).signedIn).toBeNull();
  });

  it('desk staff check people in but cannot manage staff or configure the desk', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'desk_staff');
    await callApi(ctx, 'checkin:counts', { stopId: DEMO_STOP });
    expect(await callApiError(ctx, 'staff:list', {})).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'backup:create', {})).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'settings:update', { deskName: 'Hacked' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect((await callApi(ctx, 'settings:update', { language: 'en' })).language).toBe('en');
  });

  it('booth staff see only their own institution and cannot check people in', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'stop_lead');
    const log = (institutionId: string, visitorLabel: string) =>
      callApi(ctx, 'consultations:log', { stopId: DEMO_STOP, institutionId, visitorLabel, content: { staffName: 'Lead' } });
    const gist = await log('inst-gist', 'GIST visitor');
    await log('inst-kaist', 'KAIST visitor');
    await callApi(ctx, 'auth:lock', {});
    await signIn(ctx, 'booth_staff');
    expect(await callApiError(ctx, 'consultations:get', { consultationId: gist.consultationId })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await callApi(ctx, 'checkin:search', { stopId: DEMO_STOP, query: 'kim', limit: 5 });
    expect(await callApiError(ctx, 'checkin:checkIn', { registrationId: openRegistration(ctx) })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'consultations:list', { stopId: DEMO_STOP, institutionId: 'inst-gist' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const scoped = await callApi(ctx, 'consultations:list', { stopId: DEMO_STOP });
    expect(scoped.items.map((c) => c.institutionId)).toEqual(['inst-kaist']);
    expect(await callApiError(ctx, 'consultations:exportFollowUps', { institutionId: 'inst-gist', format: 'csv' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    const own = await callApi(ctx, 'consultations:list', { stopId: DEMO_STOP, institutionId: 'inst-kaist' });
    expect(own.items.length).toBe(1);
    expect(own.items.every((c) => c.institutionId === 'inst-kaist')).toBe(true);
  });

  it('a stop lead manages desk and booth staff; only HQ admins make stop leads', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'stop_lead');
    const made = await callApi(ctx, 'staff:create', { name: 'New Desk', role: 'desk_staff', pin: '456789' });
    expect(made).toMatchObject({ role: 'desk_staff', active: true, institutionId: null });
    expect(await callApiError(ctx, 'staff:create', { name: 'Boss', role: 'stop_lead', pin: '456789' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(ctx, 'staff:create', { name: 'Booth', role: 'booth_staff', pin: '456789' })).toMatchObject({ code: 'VALIDATION' });
    expect(await callApiError(ctx, 'staff:create', { name: 'Short', role: 'desk_staff', pin: '1234' })).toMatchObject({ code: 'VALIDATION' });
    const payload = (ctx.store.db.prepare("SELECT payload FROM events WHERE type = 'staff_created' ORDER BY local_seq DESC LIMIT 1").get() as { payload: string }).payload;
    expect(payload).not.toContain('456789');
    expect(await callApiError(ctx, 'staff:deactivate', { staffId: ID.hq_admin! })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect((await callApi(ctx, 'staff:deactivate', { staffId: made.id })).active).toBe(false);
    await callApi(ctx, 'auth:lock', {});
    expect(await callApiError(ctx, 'auth:signIn', { staffId: made.id, pin: '456789' })).toMatchObject({ code: 'WRONG_PIN' });
    await signIn(ctx, 'hq_admin');
    expect((await callApi(ctx, 'staff:create', { name: 'Lead 2', role: 'stop_lead', pin: '765432' })).role).toBe('stop_lead');
  });

  it('changing one’s own PIN needs the current PIN', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'desk_staff');
    expect(await callApiError(ctx, 'staff:setPin', { staffId: ID.desk_staff!, pin: '555555', currentPin: '000000' })).toMatchObject({ code: 'WRONG_PIN' });
    await callApi(ctx, 'staff:setPin', { staffId: ID.desk_staff!, pin: '555555', currentPin: PIN.desk_staff! });
    expect(await callApiError(ctx, 'staff:setPin', { staffId: ID.booth_staff!, pin: '555555' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await callApi(ctx, 'auth:lock', {});
    expect((await callApi(ctx, 'auth:signIn', { staffId: ID.desk_staff!, pin: '555555' })).signedIn?.id).toBe(ID.desk_staff);
  });

  it('the first start without staff asks for the stop lead, once', async () => {
    const { ctx } = desk({ demo: false, staff: false });
    expect(await callApi(ctx, 'auth:status', {})).toMatchObject({ needsSetup: true, demo: false, signedIn: null });
    const s = await callApi(ctx, 'auth:setup', { name: 'Yoon Seo-ah', pin: '864209' });
    expect(s.signedIn).toMatchObject({ name: 'Yoon Seo-ah', role: 'stop_lead' });
    expect(await callApiError(ctx, 'auth:setup', { name: 'Intruder', pin: '000000' })).toMatchObject({ code: 'CONFLICT' });
  });

  it('staff travel as events: another desk can sign them in, whatever the delivery order', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'stop_lead');
    const made = await callApi(ctx, 'staff:create', { name: 'Synced', role: 'desk_staff', pin: '246810' });
    await callApi(ctx, 'staff:setPin', { staffId: made.id, pin: '135790' });
    const events = ctx.store.events.eventsOfDevice(ctx.store.deviceId, 0, 100);
    const other = desk({ demo: false, staff: false });
    other.ctx.store.events.ingest([...events].reverse());
    expect((await callApi(other.ctx, 'auth:signIn', { staffId: made.id, pin: '135790' })).signedIn?.name).toBe('Synced');
    const third = desk({ demo: false, staff: false });
    third.ctx.store.events.ingest(events);
    const hash = (c: ApiContext) => c.store.db.prepare('SELECT * FROM staff_pins ORDER BY staff_id').all();
    expect(hash(third.ctx)).toEqual(hash(other.ctx));
  });

  it('a USB bundle (every event, consultation notes included) is exported by a lead only (issue #17)', async () => {
    const { ctx } = desk();
    await signIn(ctx, 'desk_staff');
    expect(await callApiError(ctx, 'bundle:export', { scope: 'all' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await signIn(ctx, 'booth_staff');
    expect(await callApiError(ctx, 'bundle:export', { scope: 'all' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    await signIn(ctx, 'stop_lead');
    expect((await callApi(ctx, 'bundle:export', { scope: 'all' })).count).toBeGreaterThan(0);
  });

  it('hashes PINs with scrypt and a salt; verification is exact', async () => {
    const a = hashPin('123456');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hashPin('123456')).not.toBe(a);
    expect(await verifyPin('123456', a)).toBe(true);
    expect(await verifyPin('123457', a)).toBe(false);
    expect(await verifyPin('123456', 'scrypt$1$1$1$x$y')).toBe(false);
    expect(await verifyPin('123456', 'garbage')).toBe(false);
  });

  it('every channel has a rule, and only lock-screen channels are public', () => {
    const publicOnes = CHANNELS.filter((c) => ruleFor(c).permission === 'public').sort();
    // app:boot: the lock screen's reads in one call, each authorised as its own channel (core/api/bootHandlers.ts).
    expect(publicOnes).toEqual(['app:boot', 'app:info', 'auth:firstSignIn', 'auth:lock', 'auth:setup', 'auth:signIn', 'auth:status', 'settings:get', 'settings:update']);
    expect(ROLE_PERMISSIONS.booth_staff.has('checkin.write')).toBe(false);
    expect(ROLE_PERMISSIONS.desk_staff.has('staff.manage')).toBe(false);
  });
});

describe('authorization rules', () => {
  it('name every channel of the contract explicitly (a new channel gets a rule on purpose, not by default)', () => {
    expect(CHANNELS.filter((c) => !(c in CHANNEL_RULES))).toEqual([]);
  });
});
