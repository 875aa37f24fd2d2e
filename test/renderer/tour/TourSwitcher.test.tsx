import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { App } from '../../../renderer/App';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { useNavStore } from '../../../renderer/state/navStore';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';
import { pick } from './tourTestKit';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false, language: 'en' });
  useNavStore.setState({ screen: 'checkin', syncSection: null });
});

/** The demo tour (2025) and HQ's next one (2026) with two stops. */
async function twoTours(): Promise<ApiContext> {
  const ctx = createTestContext(createTestStore({ demo: true, attendees: 20 }));
  await callApi(ctx, 'tour:upsert', { id: 'tour-2026', name: 'Roadshow 2026', nameKo: '2026 로드쇼', year: 2026 });
  await callApi(ctx, 'stop:upsert', { id: 'stop-26-seattle', tourId: 'tour-2026', round: '1', city: 'Seattle', cityKo: '시애틀', date: '2026-04-10', timeZone: 'America/Los_Angeles', kind: 'joint_briefing' });
  await callApi(ctx, 'stop:upsert', { id: 'stop-26-denver', tourId: 'tour-2026', round: '2', city: 'Denver', cityKo: '덴버', date: '2026-04-14', timeZone: 'America/Denver', kind: 'campus_roadshow' });
  return ctx;
}

const optionsOf = (label: string) => {
  const input = screen.getByRole('textbox', { name: label });
  return within(document.getElementById(input.getAttribute('aria-controls') ?? '')!)
    .queryAllByRole('option', { hidden: true })
    .map((o) => o.textContent);
};

describe('tour switcher', () => {
  it('is not shown with a single tour', async () => {
    const ctx = createTestContext(createTestStore({ demo: true, attendees: 20 }));
    renderWithApp(<App />, { ctx, language: 'en' });
    expect(await screen.findByRole('textbox', { name: 'Current stop' })).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Tour' })).toBeNull();
  });

  it('lists the current tour’s stops only; choosing a tour stores it and moves to its first stop (English)', async () => {
    const ctx = await twoTours();
    const user = userEvent.setup();
    renderWithApp(<App />, { ctx, language: 'en' });
    const tour = await screen.findByRole('textbox', { name: 'Tour' });
    // The desk is at a 2025 stop: that tour shows although 2026 is newer.
    expect(tour).toHaveValue('Korea, a more attractive destination! — Korea–US Research Exchange Roadshow 2025');
    await user.click(screen.getByRole('textbox', { name: 'Current stop' }));
    expect(optionsOf('Current stop')).toHaveLength(11);
    expect(optionsOf('Current stop').some((o) => o?.includes('Seattle'))).toBe(false);

    await pick(user, 'Tour', 'Roadshow 2026');
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Current stop' })).toHaveValue('1 · Seattle · 2026-04-10'));
    const settings = await callApi(ctx, 'settings:get', {});
    expect(settings).toMatchObject({ currentTourId: 'tour-2026', currentStopId: 'stop-26-seattle' });
    await user.click(screen.getByRole('textbox', { name: 'Current stop' }));
    expect(optionsOf('Current stop')).toEqual(['1 · Seattle · 2026-04-10', '2 · Denver · 2026-04-14']);

    // Back to 2025: its first stop, since Seattle is not in it.
    await pick(user, 'Tour', /Roadshow 2025$/);
    await waitFor(async () => expect(await callApi(ctx, 'settings:get', {})).toMatchObject({ currentTourId: 'tour-2025', currentStopId: 'stop-01-boston' }));
  });

  it('keeps the current stop when it belongs to the chosen tour; Korean names; read-only for desk staff', async () => {
    const trusted = await twoTours();
    await callApi(trusted, 'settings:update', { currentTourId: 'tour-2026', currentStopId: 'stop-26-denver' });
    seedDemoStaff(trusted.store);
    const ctx = createTestContext(trusted.store, { session: new DeskSession() });
    await callApi(ctx, 'auth:signIn', { staffId: 'staff-demo-desk', pin: '222222' });
    renderWithApp(<App />, { ctx, language: 'ko' });
    const tour = await screen.findByRole('textbox', { name: '투어 (행사 책임자가 정함)' }, { timeout: 10_000 });
    expect(tour).toHaveValue('2026 로드쇼');
    expect(screen.getByRole('textbox', { name: '현재 행사 (행사 책임자가 정함)' })).toHaveValue('2 · 덴버 · 2026-04-14');
    // Choosing the desk's tour and stop is the stop lead's.
    expect(tour).toBeDisabled();
    expect(screen.getByRole('textbox', { name: '현재 행사 (행사 책임자가 정함)' })).toBeDisabled();
    // Choosing the tour it is in already changes nothing (no stop lead needed); another one is refused.
    await useAppStore.getState().chooseTour('tour-2026');
    expect((await callApi(ctx, 'settings:get', {})).currentStopId).toBe('stop-26-denver');
    await expect(useAppStore.getState().chooseTour('tour-2025')).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
    expect(await callApi(ctx, 'settings:get', {})).toMatchObject({ currentTourId: 'tour-2026', currentStopId: 'stop-26-denver' });
  });
});
