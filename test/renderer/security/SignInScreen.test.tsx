import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { App } from '../../../renderer/App';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { useNavStore } from '../../../renderer/state/navStore';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false, language: 'ko' });
  useNavStore.setState({ screen: 'checkin' });
});

function lockedDesk(opts: { staff: boolean; language: 'en' | 'ko' }) {
  const store = createTestStore({ demo: opts.staff, attendees: 40 });
  if (opts.staff) seedDemoStaff(store);
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('language', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(opts.language);
  return createTestContext(store, { session: new DeskSession() });
}

describe('lock screen', () => {
  it('shows only the lock screen until someone signs in with the right PIN; Lock locks again (English)', async () => {
    const ctx = lockedDesk({ staff: true, language: 'en' });
    renderWithApp(<App />, { ctx, language: 'en' });
    const form = await screen.findByRole('form', { name: 'Sign in' });
    expect(screen.queryByRole('navigation', { name: 'Main navigation' })).toBeNull();
    expect(within(form).getByText(/Demo data: stop lead 111111/)).toBeInTheDocument();
    await userEvent.click(within(form).getByRole('radio', { name: /Park Jiwoo · Desk staff/ }));
    await userEvent.type(within(form).getByLabelText('PIN'), '000000');
    await userEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    expect(await within(form).findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent('Wrong PIN');
    await userEvent.type(within(form).getByLabelText('PIN'), '222222');
    await userEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Check-in' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Signed in: Park Jiwoo (Desk staff)' })).toBeInTheDocument();
    expect(ctx.actorId).toBe('staff-demo-desk');
    await userEvent.click(screen.getByRole('button', { name: 'Lock this desk' }));
    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    expect(ctx.actorId).toBeNull();
  });

  it('asks for the stop lead on the first start (Korean) and checks the PIN twice', async () => {
    const ctx = lockedDesk({ staff: false, language: 'ko' });
    renderWithApp(<App />, { ctx, language: 'ko' });
    const form = await screen.findByRole('form', { name: '행사 책임자 설정' });
    await userEvent.type(within(form).getByLabelText(/^이름/), '윤서아');
    await userEvent.type(within(form).getByLabelText(/^PIN(\s*\*)?$/), '864209');
    await userEvent.type(within(form).getByLabelText(/^PIN 확인/), '864208');
    await userEvent.click(within(form).getByRole('button', { name: '만들고 로그인' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('두 PIN이 다릅니다');
    await userEvent.clear(within(form).getByLabelText(/^PIN 확인/));
    await userEvent.type(within(form).getByLabelText(/^PIN 확인/), '864209');
    await userEvent.click(within(form).getByRole('button', { name: '만들고 로그인' }));
    await waitFor(() => expect(screen.getByRole('group', { name: '로그인: 윤서아 (행사 책임자)' })).toBeInTheDocument(), { timeout: 10_000 });
  });
});
