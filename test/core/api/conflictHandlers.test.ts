import { afterEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import { conflictData } from '../../../hq/server/dashboard/dashboardData';
import type { StaffRole } from '../../../shared/schemas/staff';
import { callApi, callApiError } from '../../helpers/callApi';
import { conflictScenario } from '../../helpers/conflictScenario';
import { createTestContext, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

function as(store: Store, role: StaffRole, institutionId: string | null = null): ApiContext {
  const session = new DeskSession();
  session.signIn({ id: `staff-${role}`, name: `Test ${role}`, role, institutionId });
  return createTestContext(store, { session, actorId: `staff-${role}` });
}

const strip = <T extends { resolvable: boolean }>(xs: T[]) => xs.map(({ resolvable: _r, ...rest }) => rest);

describe('the desk’s conflict list (issue #19)', () => {
  it('is the list HQ’s dashboard shows, the same on both laptops whatever order the events came in', async () => {
    const s = await conflictScenario();
    const r = await conflictScenario({ reverse: true });
    stores.push(s.a, s.b, r.a, r.b);
    const desk = await callApi(createTestContext(s.a), 'conflicts:list', { stopId: DEMO_STOP });
    expect(desk.map((c) => c.kind).sort()).toEqual(['booking', 'consultation', 'double_check_in']);
    // HQ runs the same derivation over its projection store: the same entries, with the stop attached.
    const hq = conflictData(s.a).map(({ stop, ...rest }) => {
      expect(stop.id).toBe(rest.stopId);
      return rest;
    });
    expect(strip(desk)).toEqual(hq);
    expect(strip(await callApi(createTestContext(s.b), 'conflicts:list', {}))).toEqual(hq);
    // Another run with the events delivered backwards: same shape of list (ids differ between runs).
    const shape = (xs: { kind: string }[]) => xs.map((c) => c.kind);
    expect(shape(await callApi(createTestContext(r.a), 'conflicts:list', {}))).toEqual(shape(desk));
    expect(await callApi(createTestContext(r.a), 'conflicts:list', {})).toEqual(await callApi(createTestContext(r.b), 'conflicts:list', {}));
  });

  it('marks what each role may resolve and refuses the rest; booth staff see only their institution’s consultations', async () => {
    const s = await conflictScenario();
    stores.push(s.a, s.b);
    const kinds = (xs: { kind: string; resolvable: boolean }[]) => Object.fromEntries(xs.map((c) => [c.kind, c.resolvable]));
    expect(kinds(await callApi(as(s.a, 'desk_staff'), 'conflicts:list', { stopId: DEMO_STOP }))).toEqual({ double_check_in: true, booking: false, consultation: false });
    expect(kinds(await callApi(as(s.a, 'stop_lead'), 'conflicts:list', { stopId: DEMO_STOP }))).toEqual({ double_check_in: true, booking: true, consultation: true });
    // KAIST's booth staff do not see GIST's consultation; GIST's do, and may resolve it.
    expect(kinds(await callApi(as(s.a, 'booth_staff', 'inst-kaist'), 'conflicts:list', { stopId: DEMO_STOP }))).toEqual({ double_check_in: false, booking: false });
    expect(kinds(await callApi(as(s.a, 'booth_staff', 'inst-gist'), 'conflicts:list', { stopId: DEMO_STOP }))).toMatchObject({ consultation: true });

    const list = await callApi(as(s.a, 'stop_lead'), 'conflicts:list', { stopId: DEMO_STOP });
    const dbl = list.find((c) => c.kind === 'double_check_in')!;
    const booking = list.find((c) => c.kind === 'booking')!;
    if (dbl.kind !== 'double_check_in' || booking.kind !== 'booking') throw new Error('unreachable');
    expect(await callApiError(as(s.a, 'desk_staff'), 'conflicts:resolve', { kind: 'booking', bookingId: booking.bookingId, action: 'cancel' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(as(s.a, 'desk_staff'), 'conflicts:resolve', { kind: 'consultation', consultationId: s.consultationId })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(as(s.a, 'booth_staff', 'inst-kaist'), 'conflicts:resolve', { kind: 'consultation', consultationId: s.consultationId })).toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApiError(as(s.a, 'booth_staff', 'inst-kaist'), 'conflicts:resolve', { kind: 'double_check_in', checkInEventId: dbl.second.eventId, reason: 'dup' })).toMatchObject({ code: 'FORBIDDEN_ROLE' });

    // Each allowed role resolves its kind with HQ's actions; the list empties.
    await callApi(as(s.a, 'desk_staff'), 'conflicts:resolve', { kind: 'double_check_in', checkInEventId: dbl.second.eventId, reason: 'Duplicate check-in, resolved at the desk' });
    expect(s.a.db.prepare('SELECT reason FROM check_in_voids').all()).toEqual([{ reason: 'Duplicate check-in, resolved at the desk' }]);
    await callApi(as(s.a, 'stop_lead'), 'conflicts:resolve', { kind: 'booking', bookingId: booking.bookingId, action: 'cancel' });
    await callApi(as(s.a, 'booth_staff', 'inst-gist'), 'conflicts:resolve', { kind: 'consultation', consultationId: s.consultationId });
    expect(await callApi(as(s.a, 'stop_lead'), 'conflicts:list', { stopId: DEMO_STOP })).toEqual([]);
    expect(conflictData(s.a)).toEqual([]);
    // The second laptop gets the decisions by sync and lists nothing either.
    s.b.events.ingest(s.a.events.eventsOfDevice(s.a.deviceId, 0, 1_000_000));
    expect(await callApi(createTestContext(s.b), 'conflicts:list', {})).toEqual([]);
  });
});
