import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { App } from '../../../renderer/App';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { useNavStore } from '../../../renderer/state/navStore';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false, language: 'en' });
  useNavStore.setState({ screen: 'checkin', syncSection: null });
});

describe('a desk without a tour (started with --no-demo)', () => {
  it('says so on every screen that needs a stop and leads a stop lead to the three ways of getting one (English)', async () => {
    const ctx = createTestContext(createTestStore());
    const user = userEvent.setup();
    renderWithApp(<App />, { ctx, language: 'en' });
    const empty = await screen.findByRole('region', { name: 'This desk has no tour yet' });
    // The old bare error line is gone.
    expect(screen.queryByText('Choose the current stop first.')).toBeNull();
    for (const way of ['Connect to HQ', 'Join the venue hub', 'Import a USB bundle']) expect(within(empty).getByText(way)).toBeInTheDocument();
    expect(within(empty).getByText(/enter HQ’s address and the one-time enrollment code/)).toBeInTheDocument();
    expect(within(empty).queryByText(/ask your stop lead/)).toBeNull();
    // No stop picker without stops.
    expect(screen.queryByRole('textbox', { name: 'Current stop' })).toBeNull();

    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    for (const name of ['Programme', 'Booths', 'Consultations']) {
      await user.click(within(nav).getByRole('button', { name }));
      expect(await screen.findByRole('region', { name: 'This desk has no tour yet' })).toBeInTheDocument();
    }
    await user.click(screen.getByRole('button', { name: 'Sync → Venue hub' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Sync' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Venue hub' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Connection to HQ' })).toBeInTheDocument();
  });

  it('shows booth staff the ways without buttons: they ask their stop lead (Korean, signed in for real)', async () => {
    const store = createTestStore();
    seedDemoStaff(store);
    const ctx = createTestContext(store, { session: new DeskSession() });
    await callApi(ctx, 'auth:signIn', { staffId: 'staff-demo-booth', pin: '333333' });
    renderWithApp(<App />, { ctx, language: 'ko' });
    const empty = await screen.findByRole('region', { name: '이 데스크에는 아직 투어가 없습니다' }, { timeout: 10_000 });
    expect(within(empty).getByText('현장 허브에 참여')).toBeInTheDocument();
    expect(within(empty).getByRole('note')).toHaveTextContent('행사 책임자에게 요청하세요');
    expect(within(empty).queryAllByRole('button')).toHaveLength(0);
  });
});
