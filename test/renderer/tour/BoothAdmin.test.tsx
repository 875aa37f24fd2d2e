import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { BoothsScreen } from '../../../renderer/screens/BoothsScreen';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { getEmptyBoothState, useBoothStore } from '../../../renderer/state/boothStore';
import type { Stop } from '../../../shared/schemas/masterData';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';
import { pick, signedInAs } from './tourTestKit';

const KAIST = `booth-${DEMO_STOP}-inst-kaist`;
const at = (min: number) => new Date(Date.parse('2025-11-14T18:00:00.000Z') + min * 60_000).toISOString();
/** Before the stop's day: every slot is still ahead. */
const NOW = Date.parse('2025-11-14T12:00:00.000Z');

let ctx: ApiContext;
let stop: Stop;

beforeEach(async () => {
  useBoothStore.setState(getEmptyBoothState());
  useAppStore.setState(getEmptyAppState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false });
  const store = createTestStore({ demo: true, attendees: 60 });
  ctx = createTestContext(store);
  stop = (await callApi(ctx, 'stops:list', {})).find((s) => s.id === DEMO_STOP)!;
  await callApi(ctx, 'booths:setPlan', { boothId: KAIST, startTime: '13:00', endTime: '14:00', slotMinutes: 15, capacity: 2, breaks: [], fields: [] });
  await callApi(ctx, 'institution:upsert', { id: 'inst-testu', name: 'Test University', nameKo: '테스트대학교', shortName: 'TESTU', kind: 'university' });
  const regs = store.db.prepare<[string], { id: string }>('SELECT id FROM registrations WHERE stop_id = ? ORDER BY id LIMIT 2').all(DEMO_STOP);
  await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(30), registrationId: regs[0]!.id });
  await callApi(ctx, 'booths:book', { boothId: KAIST, slotStart: at(45), registrationId: regs[1]!.id });
});

describe('Booths screen: a stop lead adapts the floor plan on site', () => {
  it('adds a booth with its plan; an end before the start is said beside the end (English)', async () => {
    const user = userEvent.setup();
    useAuthStore.setState({ status: signedInAs('stop_lead') });
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx, language: 'en' });
    await screen.findByRole('row', { name: /^KAIST / });
    await user.click(screen.getByRole('button', { name: 'Add booth' }));
    const form = await screen.findByRole('form', { name: 'New booth' });
    // KAIST has a booth here already: only institutions without one are offered.
    await user.click(within(form).getByRole('textbox', { name: /^Institution/ }));
    const list = document.getElementById(within(form).getByRole('textbox', { name: /^Institution/ }).getAttribute('aria-controls') ?? '')!;
    expect(within(list).queryByRole('option', { name: /^KAIST ·/, hidden: true })).toBeNull();
    await pick(user, /^Institution/, 'TESTU · Test University');
    await user.type(within(form).getByRole('textbox', { name: /^Booth code/ }), 'B99');
    await user.type(within(form).getByRole('textbox', { name: /^Staff at the booth/ }), 'Han Yuna, Oh Minsu');
    const start = within(form).getByRole('textbox', { name: 'Consultations start' });
    const end = within(form).getByRole('textbox', { name: 'Consultations end' });
    await user.clear(start);
    await user.type(start, '10:00');
    await user.clear(end);
    await user.type(end, '09:00');
    await user.click(within(form).getByRole('button', { name: 'Add booth' }));
    await waitFor(() => expect(end).toHaveAccessibleDescription(/the end must be after the start/));
    expect((await callApi(ctx, 'booths:list', { stopId: DEMO_STOP })).some((b) => b.institutionId === 'inst-testu')).toBe(false);

    await user.clear(end);
    await user.type(end, '11:00');
    await user.click(within(form).getByRole('button', { name: 'Add booth' }));
    const row = await screen.findByRole('row', { name: 'TESTU B99' });
    expect(within(row).getByRole('button', { name: 'TESTU 10:00–10:15: 0 of 2 booked, Free' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('TESTU has a booth now.');
    const made = (await callApi(ctx, 'booths:list', { stopId: DEMO_STOP })).find((b) => b.institutionId === 'inst-testu')!;
    expect(made).toMatchObject({ location: 'B99', staff: ['Han Yuna', 'Oh Minsu'] });
  });

  it('removes a booth after saying how many bookings stay; it shows greyed with its bookings as conflicts (English)', async () => {
    const user = userEvent.setup();
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx, language: 'en' });
    await screen.findByRole('row', { name: /^KAIST / });
    expect(within(screen.getByRole('region', { name: 'Conflicts after sync' })).getByText('No conflicts.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove the booth of KAIST' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove the booth of KAIST?' });
    expect(within(dialog).getByText('2 bookings stay: they will appear in the conflict list for someone to move or cancel.')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Remove booth' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Remove the booth of KAIST?' })).toBeNull());
    expect(await screen.findByRole('status')).toHaveTextContent('The booth of KAIST was removed.');
    const row = await screen.findByRole('row', { name: /^KAIST .*\(removed\)$/ });
    expect(row).toHaveAttribute('data-removed', 'true');
    expect(within(row).getByText('removed')).toBeInTheDocument();
    expect(within(row).getByText('Off the floor plan: its bookings are in the conflict list.')).toBeInTheDocument();
    expect(within(row).queryAllByRole('button', { name: /^KAIST \d/ })).toHaveLength(0);
    expect(within(row).queryByRole('button', { name: 'Set consultation plan of KAIST' })).toBeNull();
    const conflicts = screen.getByRole('region', { name: 'Conflicts after sync' });
    expect(within(conflicts).getByRole('list', { name: 'KAIST 13:30: booking outside the current plan' })).toBeInTheDocument();
    expect(within(conflicts).getByRole('list', { name: 'KAIST 13:45: booking outside the current plan' })).toBeInTheDocument();
  });

  it('shows none of these controls to booth staff, and all of them to an HQ admin (Korean)', async () => {
    useAuthStore.setState({ status: signedInAs('booth_staff') });
    const { unmount } = renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx, language: 'ko' });
    await screen.findByRole('row', { name: /^KAIST / });
    expect(screen.queryByRole('button', { name: '부스 추가' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'KAIST 부스 삭제' })).toBeNull();
    expect(screen.queryByRole('button', { name: /상담 계획/ })).toBeNull();
    expect(screen.queryByRole('textbox', { name: '다른 행사의 부스 복사' })).toBeNull();
    expect(screen.queryByRole('button', { name: '부스 복사' })).toBeNull();
    unmount();
    useAuthStore.setState({ status: signedInAs('hq_admin') });
    renderWithApp(<BoothsScreen stop={stop} clock={() => NOW} />, { ctx, language: 'ko' });
    await screen.findByRole('row', { name: /^KAIST / });
    expect(screen.getByRole('button', { name: '부스 추가' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'KAIST 부스 삭제' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '다른 행사의 부스 복사' })).toBeInTheDocument();
  });

  it('copies booths from another stop of the tour (Korean)', async () => {
    const user = userEvent.setup();
    await callApi(ctx, 'stop:upsert', { id: 'stop-12-extra', tourId: 'tour-2025', round: '12', city: 'Denver', cityKo: '덴버', date: '2025-12-18', timeZone: 'America/Denver', kind: 'joint_briefing' });
    const extra = (await callApi(ctx, 'stops:list', {})).find((s) => s.id === 'stop-12-extra')!;
    renderWithApp(<BoothsScreen stop={extra} clock={() => NOW} />, { ctx, language: 'ko' });
    // The stops to copy from come from the app's stop list (the App loads it).
    await useAppStore.getState().load();
    expect(await screen.findByText('이 행사에는 부스가 없습니다.')).toBeInTheDocument();
    await pick(user, '다른 행사의 부스 복사', /^3-1 · 뉴욕/);
    await user.click(screen.getByRole('button', { name: '부스 복사' }));
    expect(await screen.findByRole('row', { name: /^KAIST / })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(/부스 \d+개를 추가하고 계획 1개를 복사했습니다/);
  });
});
