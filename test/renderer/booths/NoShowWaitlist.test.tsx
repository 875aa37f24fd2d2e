import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { formatCountdown } from '../../../renderer/components/OfferCountdown';
import { formatName } from '../../../renderer/i18n/formatName';
import { BoothsScreen } from '../../../renderer/screens/BoothsScreen';
import { getEmptyBoothState, useBoothStore } from '../../../renderer/state/boothStore';
import { getEmptyNoShowState, useNoShowStore } from '../../../renderer/state/noShowStore';
import type { Stop } from '../../../shared/schemas/masterData';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const KAIST = `booth-${DEMO_STOP}-inst-kaist`;
const at = (min: number) => new Date(Date.parse('2025-11-14T18:00:00.000Z') + min * 60_000).toISOString();

/** One clock for core and the screen, moved by the test (no real waiting). */
let now = Date.parse(at(10));
const clock = () => now;
let store: Store;
let ctx: ApiContext;
let stop: Stop;
let names: string[];

beforeEach(async () => {
  useBoothStore.setState(getEmptyBoothState());
  useNoShowStore.setState(getEmptyNoShowState());
  now = Date.parse(at(-10));
  store = createTestStore({ demo: true, attendees: 60, now: clock });
  ctx = createTestContext(store);
  stop = (await callApi(ctx, 'stops:list', {})).find((s) => s.id === DEMO_STOP)!;
  await callApi(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '13:00', endTime: '14:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
  const regs = store.db
    .prepare<[string], { id: string; family_name: string; given_name: string; name_ko: string }>(
      "SELECT r.id, a.family_name, a.given_name, a.name_ko FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = ? AND a.family_name <> '' ORDER BY r.id LIMIT 3",
    )
    .all(DEMO_STOP);
  names = regs.map((r) => formatName({ familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko }));
  await callApi(ctx, 'noshow:setSettings', { stopId: DEMO_STOP, autoNoShowMinutes: null, offerExpiryMinutes: 5 });
  await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[0]!.id });
  await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[1]!.id });
  await callApi(ctx, 'booths:waitlistJoin', { boothId: KAIST, registrationId: regs[2]!.id });
  now = Date.parse(at(10));
});
afterEach(() => {
  vi.useRealTimers();
  disposeTestStore(store);
});

/**
 * From here on the screen's one-second ticks are driven by the test (only intervals are faked, after
 * the dialog is open: Testing Library's own polling runs on real timers until then).
 */
function fakeTicks() {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
}

async function advance(ms: number) {
  now += ms;
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
}

describe('countdown of a waitlist offer', () => {
  it('formats minutes and seconds, rounding up', () => {
    expect(formatCountdown(300_000)).toBe('05:00');
    expect(formatCountdown(299_001)).toBe('05:00');
    expect(formatCountdown(299_000)).toBe('04:59');
    expect(formatCountdown(999)).toBe('00:01');
    expect(formatCountdown(-5000)).toBe('00:00');
  });

  it('marks a no-show by hand, counts the offer down each second, marks it expired and shows the next person’s offer', async () => {
    const user = userEvent.setup();
    renderWithApp(<BoothsScreen stop={stop} clock={clock} />, { ctx });
    expect(await screen.findByTestId('noshow-rules')).toHaveTextContent('No-shows are marked by hand · offers expire after 5 min');
    await user.click(await screen.findByRole('button', { name: /^KAIST 13:30–13:45/ }));
    const dialog = await screen.findByRole('dialog');
    fakeTicks();
    await user.click(within(dialog).getByRole('button', { name: `Mark ${names[0]} no-show` }));
    expect(await within(dialog).findByText(/offered to/)).toHaveTextContent(`A place freed at KAIST, 13:30: offered to ${names[1]}, first on the waitlist.`);
    const waitlist = within(dialog).getByRole('list', { name: 'Waitlist of KAIST' });
    const first = within(waitlist).getByRole('listitem', { name: names[1] });
    expect(within(first).getByRole('timer')).toHaveTextContent('05:00 left');
    expect(within(first).getByRole('timer')).toHaveAccessibleName(`Offer to ${names[1]}: 05:00 left to answer`);
    await advance(1000);
    expect(within(first).getByRole('timer')).toHaveTextContent('04:59 left');
    await advance(60_000);
    expect(within(first).getByRole('timer')).toHaveTextContent('03:59 left');
    // The limit passes: the screen reads the schedule again and core passes the place on.
    await advance(239_000);
    const second = within(waitlist).getByRole('listitem', { name: names[2] });
    expect(await within(second).findByRole('timer')).toHaveTextContent('05:00 left');
    const expired = within(waitlist).getByRole('listitem', { name: names[1] });
    expect(within(expired).queryByRole('timer')).toBeNull();
    expect(within(expired).getByText('Offer for 13:30 expired')).toBeInTheDocument();
    expect(within(expired).queryByRole('button', { name: `Accept the offer for ${names[1]}` })).toBeNull();
  });

  it('counts down in Korean too', async () => {
    const user = userEvent.setup();
    renderWithApp(<BoothsScreen stop={stop} clock={clock} />, { ctx, language: 'ko' });
    await user.click(await screen.findByRole('button', { name: /^KAIST 13:30–13:45/ }));
    const dialog = await screen.findByRole('dialog');
    fakeTicks();
    await user.click(within(dialog).getByRole('button', { name: `${names[0]} 불참 표시` }));
    expect(await within(dialog).findByRole('timer')).toHaveTextContent('05:00 남음');
    await advance(90_000);
    expect(within(dialog).getByRole('timer')).toHaveTextContent('03:30 남음');
    expect(within(dialog).getByRole('timer')).toHaveAccessibleName(`${names[1]} 님에게 한 제안: 응답까지 03:30 남음`);
    await advance(210_000);
    expect(await within(dialog).findByText('13:30 제안 만료')).toBeInTheDocument();
  });
});
