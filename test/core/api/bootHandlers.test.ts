import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { dispatch } from '../../../core/api/dispatch';
import { DEMO_STAFF, seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';

/** Issue #20: `app:boot` answers the first screen's reads in one call, each exactly as its own call would. */
describe('app:boot (the first screen’s reads in one call)', () => {
  let store: Store;
  let ctx: ApiContext;
  beforeEach(async () => {
    store = createTestStore({ demo: true, attendees: 30 });
    seedDemoStaff(store);
    ctx = createTestContext(store, { session: new DeskSession() });
  });
  afterEach(() => disposeTestStore(store));

  const signIn = async (staffId: string) => {
    const staff = DEMO_STAFF.find((s) => s.id === staffId)!;
    await callApi(ctx, 'auth:signIn', { staffId, pin: staff.pin });
  };

  it('answers, for a desk that may check people in at its stop, the lock check, settings, stops, tours and the check-in screen’s reads, each as its own call', async () => {
    await signIn('staff-demo-desk');
    const lead = createTestContext(store, { session: new DeskSession() });
    await callApi(lead, 'auth:signIn', { staffId: 'staff-demo-lead', pin: '111111' });
    await callApi(lead, 'settings:update', { currentStopId: DEMO_STOP });
    const { calls } = await callApi(ctx, 'app:boot', {});
    expect(calls.map((c) => `${c.channel}\n${JSON.stringify(c.input)}`)).toEqual([
      'auth:status\n{}',
      'settings:get\n{}',
      'app:info\n{}',
      'stops:list\n{}',
      'tours:list\n{}',
      `checkin:counts\n{"stopId":"${DEMO_STOP}"}`,
      `checkin:search\n{"stopId":"${DEMO_STOP}","query":"","limit":20}`,
      `attendees:flagged\n{"stopId":"${DEMO_STOP}"}`,
      `sessions:list\n{"stopId":"${DEMO_STOP}"}`,
    ]);
    for (const c of calls) {
      expect(c.result).toMatchObject({ ok: true });
      expect(JSON.parse(JSON.stringify(c.result))).toEqual(JSON.parse(JSON.stringify(await dispatch(c.channel, c.input, ctx))));
    }
  });

  it('on a locked desk answers only the lock screen’s reads (the others refused as their own calls are), and nothing of the stop', async () => {
    const { calls } = await callApi(ctx, 'app:boot', {});
    expect(calls.map((c) => c.channel)).toEqual(['auth:status', 'settings:get', 'app:info', 'stops:list', 'tours:list']);
    expect(calls.find((c) => c.channel === 'stops:list')!.result).toMatchObject({ ok: false, error: { code: 'SIGN_IN_REQUIRED' } });
    expect(calls.find((c) => c.channel === 'auth:status')!.result).toMatchObject({ ok: true, value: { signedIn: null } });
  });

  it('reads nothing of the check-in screen for someone without it (booth staff)', async () => {
    await signIn('staff-demo-booth');
    const { calls } = await callApi(ctx, 'app:boot', {});
    expect(calls.map((c) => c.channel)).not.toContain('checkin:counts');
  });

  it('takes no input: anything else is refused', async () => {
    expect((await callApiError(ctx, 'app:boot', { stopId: DEMO_STOP })).code).toBe('VALIDATION');
  });
});
