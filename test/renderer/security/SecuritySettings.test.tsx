import { screen, within } from '@testing-library/react';
import { ROLE_PERMISSION_LIST } from '../../../shared/schemas/permissions';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { SecuritySettings } from '../../../renderer/screens/SecuritySettings';
import { useAuthStore } from '../../../renderer/state/authStore';
import { getEmptySecurityState, useSecurityStore } from '../../../renderer/state/securityStore';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

beforeEach(() => {
  useSecurityStore.setState(getEmptySecurityState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false });
});

describe('Settings → staff and backups', () => {
  it('lists the staff, adds a desk staff member, and makes a backup (English)', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    seedDemoStaff(store);
    const ctx = createTestContext(store);
    renderWithApp(<SecuritySettings />, { ctx, language: 'en' });
    const table = await screen.findByRole('table', { name: 'Staff of this desk' });
    expect(await within(table).findByText('Kim Minji')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Add a staff member' });
    await userEvent.type(within(form).getByLabelText('Name', { exact: false }), 'Han Yuna');
    await userEvent.type(within(form).getByLabelText(/^PIN/), '12');
    await userEvent.click(within(form).getByRole('button', { name: 'Add staff' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Use 6 to 12 digits');
    await userEvent.type(within(form).getByLabelText(/^PIN/), '3456');
    await userEvent.click(within(form).getByRole('button', { name: 'Add staff' }));
    expect(await screen.findByRole('status', {}, { timeout: 10_000 })).toHaveTextContent('Han Yuna can now sign in.');
    expect(await within(table).findByText('Han Yuna')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Back up now' }));
    expect(await screen.findByRole('table', { name: 'Backups on this laptop' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Restore backup of / })).toBeInTheDocument();
  });

  it('is hidden from desk staff (Korean labels when shown to a stop lead)', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    seedDemoStaff(store);
    const ctx = createTestContext(store);
    useAuthStore.setState({ status: { enforced: true, signedIn: { id: 'staff-demo-desk', name: 'Park Jiwoo', role: 'desk_staff', institutionId: null, active: true, stopIds: [], pinSet: true }, permissions: [...ROLE_PERMISSION_LIST.desk_staff], needsSetup: false, demo: true, lockAfterMinutes: 10, staff: [] } });
    const { unmount } = renderWithApp(<SecuritySettings />, { ctx, language: 'ko' });
    expect(screen.queryByRole('table', { name: '이 데스크의 직원' })).toBeNull();
    unmount();
    useAuthStore.setState({ status: { enforced: true, signedIn: { id: 'staff-demo-lead', name: 'Kim Minji', role: 'stop_lead', institutionId: null, active: true, stopIds: [], pinSet: true }, permissions: [...ROLE_PERMISSION_LIST.stop_lead], needsSetup: false, demo: true, lockAfterMinutes: 10, staff: [] } });
    renderWithApp(<SecuritySettings />, { ctx, language: 'ko' });
    expect(await screen.findByRole('table', { name: '이 데스크의 직원' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '지금 백업' })).toBeInTheDocument();
  });
});
