import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configure } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { App } from '../../../renderer/App';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { getEmptyCheckinState, useCheckinStore } from '../../../renderer/state/checkinStore';
import { getEmptyConsultationsState, useConsultationsStore } from '../../../renderer/state/consultationsStore';
import { useNavStore } from '../../../renderer/state/navStore';
import { ROLE_PERMISSION_LIST } from '../../../shared/schemas/permissions';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

configure({ asyncUtilTimeout: 10_000 });

const DEMO = {
  lead: { staffId: 'staff-demo-lead', pin: '111111' },
  desk: { staffId: 'staff-demo-desk', pin: '222222' },
  booth: { staffId: 'staff-demo-booth', pin: '333333' },
} as const;

/** The app on a real store whose desk enforces sign-in, signed in as one of the demo staff. */
async function signedIn(who: keyof typeof DEMO) {
  const store = createTestStore({ demo: true, attendees: 30 });
  seedDemoStaff(store);
  const ctx = createTestContext(store, { session: new DeskSession() });
  const status = await callApi(ctx, 'auth:signIn', DEMO[who]);
  renderWithApp(<App />, { ctx, language: 'en' });
  return { ctx, status };
}

const navButtons = async () => {
  const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
  return within(nav)
    .getAllByRole('button')
    .map((b) => b.textContent);
};

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useCheckinStore.setState(getEmptyCheckinState());
  useConsultationsStore.setState(getEmptyConsultationsState());
  useAuthStore.setState({ status: null, locked: false, error: null });
  useNavStore.setState({ screen: 'checkin' });
});

/** Issue #22: each role sees only the tools it may use; what it sees but may not change says why, in place. */
describe('screens that follow the role', () => {
  it('auth:status carries the signed-in person’s permissions from the one role table', async () => {
    const { status } = await signedIn('booth');
    expect(status.permissions).toEqual([...ROLE_PERMISSION_LIST.booth_staff]);
    expect(status.signedIn).toMatchObject({ role: 'booth_staff', institutionId: 'inst-kaist' });
  });

  it('booth staff: no check-in screen; they land on consultations, their institution chosen and locked', async () => {
    await signedIn('booth');
    expect(await screen.findByRole('heading', { name: 'Consultations' })).toBeInTheDocument();
    expect(await navButtons()).toEqual(['Programme', 'Booths', 'Consultations', 'Conflicts', 'Sync', 'Settings']);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Log a consultation' }));
    const form = await screen.findByRole('form', { name: 'Log a consultation' });
    const institution = within(form).getByRole('textbox', { name: /^Institution/ });
    await waitFor(() => expect((institution as HTMLInputElement).value).toMatch(/^KAIST · /));
    expect(institution).toBeDisabled();
    expect(institution).toHaveAccessibleDescription('You log for your own institution only');
    // The export panel too: only KAIST, locked.
    const exportInstitution = screen.getByRole('textbox', { name: /^Institution to export/ });
    expect(exportInstitution).toBeDisabled();
    expect(exportInstitution).toHaveAccessibleDescription('You export your own institution’s list only');
    // The desk's stop: shown, not changeable, and the reason beside it.
    const stop = screen.getByRole('textbox', { name: 'Current stop (set by the stop lead)' });
    expect(stop).toBeDisabled();
  });

  it('booth staff on the Sync screen: the state of the laptop, no connect or sync tools, and who does it', async () => {
    await signedIn('booth');
    await screen.findByRole('heading', { name: 'Consultations' });
    await userEvent.setup().click(within(screen.getByRole('navigation', { name: 'Main navigation' })).getByRole('button', { name: 'Sync' }));
    await screen.findByRole('heading', { name: 'Sync' });
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(screen.queryByRole('textbox', { name: /HQ address/ })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Run the venue hub on this laptop' })).toBeNull();
    expect(screen.getAllByText('Desk staff and the stop lead sync this laptop.').length).toBeGreaterThan(0);
  });

  it('desk staff: check-in tools without the import, no consultations; Sync without the HQ connection form', async () => {
    await signedIn('desk');
    expect(await screen.findByRole('heading', { name: 'Check-in' })).toBeInTheDocument();
    expect(await navButtons()).toEqual(['Check-in', 'Programme', 'Booths', 'Conflicts', 'Sync', 'Settings']);
    expect(screen.getByRole('button', { name: 'Register walk-in' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Badges' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import registrations' })).toBeNull();
    await userEvent.setup().click(within(screen.getByRole('navigation', { name: 'Main navigation' })).getByRole('button', { name: 'Sync' }));
    await screen.findByRole('heading', { name: 'Sync' });
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save address' })).toBeNull();
    // Settings: the desk's name is read, not edited (changing it is the stop lead's).
    await userEvent.setup().click(within(screen.getByRole('navigation', { name: 'Main navigation' })).getByRole('button', { name: 'Settings' }));
    await screen.findByRole('heading', { name: 'Settings' });
    expect(screen.queryByRole('textbox', { name: /Desk name/ })).toBeNull();
    expect(screen.getByRole('main')).toHaveTextContent(/Desk name: .+ \(set by the stop lead\)/);
  });

  it('stop lead: every screen and tool, the stop picker open', async () => {
    await signedIn('lead');
    expect(await screen.findByRole('heading', { name: 'Check-in' })).toBeInTheDocument();
    expect(await navButtons()).toEqual(['Check-in', 'Programme', 'Booths', 'Consultations', 'Conflicts', 'Sync', 'Settings']);
    expect(screen.getByRole('button', { name: 'Import registrations' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Current stop' })).not.toBeDisabled();
  });
});
