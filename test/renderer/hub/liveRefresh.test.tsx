import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../core/api/dispatch';
import { hubServiceOf } from '../../../core/api/hubHandlers';
import { createApiClient, setApiClient } from '../../../renderer/api/apiClient';
import { CheckInScreen } from '../../../renderer/screens/CheckInScreen';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { getEmptyCheckinState, useCheckinStore } from '../../../renderer/state/checkinStore';
import { getEmptyHubState, useHubStore } from '../../../renderer/state/hubStore';
import { useLiveRefresh } from '../../../renderer/state/useLiveRefresh';
import type { HubStatus } from '../../../shared/ipc/hubContract';
import type { Stop } from '../../../shared/schemas/masterData';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useHubStore.setState(getEmptyHubState());
  useCheckinStore.setState(getEmptyCheckinState());
});
afterEach(() => setApiClient(null));

const status = (over: Partial<HubStatus>): HubStatus => ({
  hubUrl: 'https://192.168.1.20:8470',
  certFingerprint: null,
  enrolled: true,
  auto: true,
  online: true,
  running: false,
  unsynced: 0,
  receivedSinceStart: 0,
  logPosition: 10,
  lastSuccess: null,
  lastRun: null,
  upstream: null,
  ...over,
});

/** A fake API answering only hub:status, from a value the test changes. */
function fakeHub(initial: HubStatus) {
  const state = { current: initial, calls: 0 };
  setApiClient(
    createApiClient({
      invoke: async (channel) => {
        if (channel !== 'hub:status') throw new Error(`unexpected ${channel}`);
        state.calls++;
        return { ok: true, value: state.current };
      },
    }),
  );
  return state;
}

function Probe({ onChange, ms }: { onChange: () => void; ms: number }) {
  useLiveRefresh(onChange, ms);
  return null;
}

describe('useLiveRefresh', () => {
  it('calls back when the log position moves, not on the first reading nor while it stays', async () => {
    const hub = fakeHub(status({ logPosition: 10 }));
    let changes = 0;
    render(<Probe onChange={() => changes++} ms={10} />);
    await waitFor(() => expect(hub.calls).toBeGreaterThan(3));
    expect(changes).toBe(0);
    hub.current = status({ logPosition: 14, receivedSinceStart: 4 });
    await waitFor(() => expect(changes).toBe(1));
    const calls = hub.calls;
    await waitFor(() => expect(hub.calls).toBeGreaterThan(calls + 3));
    expect(changes).toBe(1);
  });

  it('reads the status once and then polls nothing while no hub is set up', async () => {
    const hub = fakeHub(status({ hubUrl: null, enrolled: false, auto: false, online: null }));
    const { unmount } = render(<Probe onChange={() => undefined} ms={10} />);
    await waitFor(() => expect(useHubStore.getState().status).not.toBeNull());
    // Twenty intervals later there was still only the first reading.
    await new Promise((r) => setTimeout(r, 200));
    expect(hub.calls).toBe(1);
    unmount();
  });
});

describe('check-in screen with a venue hub', () => {
  it('shows a check-in that landed underneath it (another desk’s, synced in) without any action here', async () => {
    const ctx = createTestContext(createTestStore({ demo: true, attendees: 40 }));
    const stop = ctx.store.db.prepare('SELECT id, tour_id AS tourId, round, city, city_ko AS cityKo, venue, campus, date, time_zone AS timeZone, kind FROM stops WHERE id = ?').get(DEMO_STOP) as Stop;
    // A hub address is set (no network needed for that): the screen now watches the log position.
    await hubServiceOf(ctx).connect({ url: 'https://192.168.1.20:8470' });
    const p = ctx.store.db
      .prepare(
        `SELECT r.id, a.email FROM registrations r JOIN attendees a ON a.id = r.attendee_id
         WHERE r.stop_id = ? AND a.email <> '' AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) ORDER BY r.id LIMIT 1`,
      )
      .get(DEMO_STOP) as { id: string; email: string };
    const user = userEvent.setup();
    renderWithApp(<CheckInScreen stop={stop} />, { ctx, language: 'en' });
    const counts = await screen.findByRole('group', { name: 'Counts for this stop' });
    const before = Number(/: (\d+)$/.exec(within(counts).getByLabelText(/^Checked in: /).getAttribute('aria-label')!)![1]);
    await user.type(screen.getByRole('textbox', { name: 'Search attendees' }), p.email);
    const results = screen.getByRole('list', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('listitem')).toHaveLength(1));
    expect(within(results).getByRole('button', { name: /^Check in/ })).toBeInTheDocument();

    // The check-in is written straight into the store, as a sync from the hub would.
    const res = await dispatch('checkin:checkIn', { registrationId: p.id }, ctx);
    expect(res.ok).toBe(true);

    // The counts poll runs every 10 s; the live refresh (every 2 s while a hub is set up) gets there first.
    await waitFor(() => expect(within(counts).getByLabelText(`Checked in: ${before + 1}`)).toBeInTheDocument(), { timeout: 8_000 });
    await waitFor(() => expect(within(results).queryByRole('button', { name: /^Check in/ })).toBeNull());
    expect(within(results).getByRole('button', { name: /^Undo/ })).toBeInTheDocument();
  });
});
