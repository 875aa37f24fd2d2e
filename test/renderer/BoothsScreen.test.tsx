import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../core/api/apiContext';
import type { Store } from '../../core/store/openStore';
import { BoothsScreen } from '../../renderer/screens/BoothsScreen';
import { getEmptyBoothState, useBoothStore } from '../../renderer/state/boothStore';
import type { Stop } from '../../shared/schemas/masterData';
import { callApi } from '../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../helpers/testStore';
import { renderWithApp } from './renderWithApp';
import { formatName } from '../../renderer/i18n/formatName';

const KAIST = `booth-${DEMO_STOP}-inst-kaist`;
const KIST = `booth-${DEMO_STOP}-inst-kist`;
const at = (min: number) => new Date(Date.parse('2025-11-14T18:00:00.000Z') + min * 60_000).toISOString();
/** 13:20 in New York on the stop's day. */
const NOW = Date.parse('2025-11-14T18:20:00.000Z');

let store: Store;
let ctx: ApiContext;
let stop: Stop;
let regs: { id: string; name: string; search: string }[];

beforeEach(async () => {
  useBoothStore.setState(getEmptyBoothState());
  store = createTestStore({ demo: true, attendees: 80 });
  ctx = createTestContext(store);
  stop = (await callApi(ctx, 'stops:list', {})).find((s) => s.id === DEMO_STOP)!;
  for (const boothId of [KAIST, KIST]) {
    await callApi(ctx, 'booths:setPlan', { boothId, startTime: '13:00', endTime: '14:00', slotMinutes: 15, capacity: 2, breaks: [], fields: boothId === KAIST ? ['ai'] : ['bio'] });
  }
  regs = store.db
    .prepare<[string], { id: string; family_name: string; given_name: string; name_ko: string }>(
      "SELECT r.id, a.family_name, a.given_name, a.name_ko FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = ? AND a.family_name <> '' AND a.given_name <> '' ORDER BY r.id",
    )
    .all(DEMO_STOP)
    .map((r) => ({ id: r.id, name: formatName({ familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko }), search: `${r.family_name} ${r.given_name}` }));
});

/** Chooses an option of a Mantine Select (its options are in a portal, hidden to jsdom's style check). */
async function pick(user: ReturnType<typeof userEvent.setup>, label: string, option: string) {
  const input = screen.getByRole('textbox', { name: label });
  await user.click(input);
  const listbox = document.getElementById(input.getAttribute('aria-controls') ?? '')!;
  await user.click(within(listbox).getByRole('option', { name: option, hidden: true }));
}

describe('BoothsScreen grid', () => {
  it('shows booths × slots as free, partly booked, full or past, with the current time', async () => {
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[0]!.id });
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(45), registrationId: regs[1]!.id });
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(45), registrationId: regs[2]!.id });
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx });
    expect(await screen.findByRole('button', { name: 'KAIST 13:00–13:15: 0 of 2 booked, Past' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 13:15–13:30: 0 of 2 booked, Free' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 13:30–13:45: 1 of 2 booked, Partly booked' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 13:45–14:00: 2 of 2 booked, Full' })).toHaveAttribute('data-status', 'full');
    expect(screen.getByTestId('now-marker')).toHaveTextContent('Now 13:20');
    expect(screen.getByText('Times are local to the stop (America/New_York).')).toBeInTheDocument();
    // A booth without a plan says so.
    const gist = screen.getByRole('row', { name: /^GIST / });
    expect(within(gist).getByText('No consultation plan yet.')).toBeInTheDocument();
  });

  it('filters by institution kind and by field', async () => {
    const user = userEvent.setup();
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx });
    await screen.findByRole('button', { name: /^KIST 13:00/ });
    await pick(user, 'Filter by institution kind', 'Research institute');
    await waitFor(() => expect(screen.queryByRole('row', { name: /^KAIST / })).not.toBeInTheDocument());
    expect(screen.getByRole('row', { name: /^KIST / })).toBeInTheDocument();
    await pick(user, 'Filter by institution kind', 'All');
    await pick(user, 'Filter by field', 'AI');
    await waitFor(() => expect(screen.queryByRole('row', { name: /^KIST / })).not.toBeInTheDocument());
    expect(screen.getByRole('row', { name: /^KAIST / })).toBeInTheDocument();
  });

  it('books a person found by search, refuses a full slot with a clear message, and marks a no-show', async () => {
    const user = userEvent.setup();
    await callApi(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '13:00', endTime: '14:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx });
    await user.click(await screen.findByRole('button', { name: 'KAIST 13:30–13:45: 0 of 1 booked, Free' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('textbox', { name: 'Find attendee' }));
    await user.paste(regs[0]!.search);
    await user.click(await within(dialog).findByRole('button', { name: `Book ${regs[0]!.name}` }));
    expect(await within(dialog).findByText(`${regs[0]!.name} is booked at KAIST, 13:30.`)).toBeInTheDocument();
    expect(within(within(dialog).getByRole('list', { name: 'Bookings in this slot' })).getByRole('listitem', { name: regs[0]!.name })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 13:30–13:45: 1 of 1 booked, Full', hidden: true })).toBeInTheDocument();

    // Full: a second person is refused, with booth, time and capacity in the message.
    await user.clear(within(dialog).getByRole('textbox', { name: 'Find attendee' }));
    await user.click(within(dialog).getByRole('textbox', { name: 'Find attendee' }));
    await user.paste(regs[1]!.search);
    await user.click(await within(dialog).findByRole('button', { name: `Book ${regs[1]!.name}` }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('KAIST at 13:30 is full (1 places).');

    await user.click(within(dialog).getByRole('button', { name: `Mark ${regs[0]!.name} no-show` }));
    expect(await within(dialog).findByText(`${regs[0]!.name}: No-show.`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 13:30–13:45: 0 of 1 booked, Free', hidden: true })).toBeInTheDocument();
  });

  it('finds a person by scanning the badge, and says when a badge is unknown', async () => {
    const user = userEvent.setup();
    const token = store.db.prepare<[string], { scan_token: string }>('SELECT scan_token FROM registrations WHERE id = ?').get(regs[3]!.id)!.scan_token;
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx });
    await user.click(await screen.findByRole('button', { name: /^KAIST 13:15–13:30/ }));
    const dialog = await screen.findByRole('dialog');
    const badge = within(dialog).getByRole('textbox', { name: 'Scan badge' });
    await user.click(badge);
    await user.paste('RS-NOT-A-BADGE');
    await user.keyboard('{Enter}');
    expect(await within(dialog).findByText('No attendee with this badge at this stop.')).toBeInTheDocument();
    await user.clear(badge);
    await user.paste(token);
    await user.keyboard('{Enter}');
    await user.click(await within(dialog).findByRole('button', { name: `Record walk-up of ${regs[3]!.name}` }));
    expect(await within(dialog).findByText(`Walk-up of ${regs[3]!.name} at KAIST recorded.`)).toBeInTheDocument();
    expect(within(within(dialog).getByRole('list', { name: 'Bookings in this slot' })).getByText('Walk-up')).toBeInTheDocument();
  });

  it('lists conflicts from sync and resolves one by keeping it (Korean)', async () => {
    // Two bookings in a one-place slot can only come from two laptops: simulate the second laptop's event.
    await callApi(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '13:00', endTime: '14:00', slotMinutes: 15, capacity: 1, breaks: [], fields: [] });
    await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(15), registrationId: regs[0]!.id });
    const attendee = store.db.prepare<[string], { attendee_id: string }>('SELECT attendee_id FROM registrations WHERE id = ?').get(regs[1]!.id)!.attendee_id;
    store.events.ingest([
      {
        eventId: '01930000-0000-7000-8000-00000000b001',
        deviceId: 'laptop-b',
        deviceSeq: 1,
        hlc: `${String(Date.now() + 60_000).padStart(15, '0')}:00000:laptop-b`,
        type: 'booking_made',
        schemaVersion: 1,
        actorId: null,
        stopId: DEMO_STOP,
        recordedAt: new Date().toISOString(),
        payload: { bookingId: 'bk-from-b', boothId: KAIST, slotStart: at(15), slotEnd: at(30), stopId: DEMO_STOP, attendeeId: attendee, registrationId: regs[1]!.id, source: 'desk' },
      },
    ]);
    const user = userEvent.setup();
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx, language: 'ko' });
    const section = await screen.findByRole('region', { name: '동기화 후 충돌' });
    expect(within(section).getByText('KAIST 13:15: 1석에 예약 2건')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 13:15–13:30: 1석 중 2석 예약, 마감, 충돌' })).toBeInTheDocument();
    await user.click(within(section).getByRole('button', { name: `${regs[1]!.name} 예약을 그대로 유지` }));
    expect(await within(section).findByText('충돌이 없습니다.')).toBeInTheDocument();
  });
});
