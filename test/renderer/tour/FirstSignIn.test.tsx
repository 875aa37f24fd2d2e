import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import { DeskSession } from '../../../core/security/deskSession';
import { App } from '../../../renderer/App';
import { SecuritySettings } from '../../../renderer/screens/SecuritySettings';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { useNavStore } from '../../../renderer/state/navStore';
import { getEmptySecurityState, useSecurityStore } from '../../../renderer/state/securityStore';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';
import { pick } from './tourTestKit';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useSecurityStore.setState(getEmptySecurityState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false, language: 'en' });
  useNavStore.setState({ screen: 'checkin', syncSection: null });
});

/** A demo desk that enforces sign-in, and a trusted caller on the same store (as HQ's plan arriving by sync). */
function desk(language: 'en' | 'ko') {
  const store = createTestStore({ demo: true, attendees: 20 });
  seedDemoStaff(store);
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('language', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(language);
  const session = new DeskSession();
  return { ctx: createTestContext(store, { session }), hq: createTestContext(store), session };
}

describe('first sign-in with a setup code', () => {
  it('a planned person enters the code from HQ and chooses a PIN; a wrong code is said beside the code (English)', async () => {
    const { ctx, hq } = desk('en');
    const { setupCode } = await callApi(hq, 'staff:plan', { name: 'Han Yuna', role: 'desk_staff', stopIds: ['stop-03-new-york'] });
    expect(setupCode).toBeTruthy();
    const user = userEvent.setup();
    renderWithApp(<App />, { ctx, language: 'en' });
    const form = await screen.findByRole('form', { name: 'Sign in' });
    // People with a PIN sign in as before.
    await user.click(within(form).getByRole('radio', { name: /Park Jiwoo · Desk staff$/ }));
    expect(within(form).queryByRole('textbox', { name: /Setup code/ })).toBeNull();
    await user.click(within(form).getByRole('radio', { name: 'Han Yuna · Desk staff · first sign-in' }));
    const first = within(form).getByRole('group', { name: 'First sign-in' });
    const code = within(first).getByRole('textbox', { name: /^Setup code/ });
    await user.type(code, 'ZZZZZ-22222');
    await user.type(within(first).getByLabelText(/^Your new PIN/), '246802');
    await user.type(within(first).getByLabelText(/^PIN again/), '246802');
    await user.click(within(first).getByRole('button', { name: 'Set PIN and sign in' }));
    await waitFor(() => expect(code).toHaveAccessibleDescription(/That setup code is not right/), { timeout: 10_000 });

    await user.clear(code);
    await user.type(code, setupCode!.toLowerCase());
    await user.click(within(first).getByRole('button', { name: 'Set PIN and sign in' }));
    expect(await screen.findByRole('group', { name: 'Signed in: Han Yuna (Desk staff)' }, { timeout: 10_000 })).toBeInTheDocument();
    // The PIN is hers from now on: the code is spent.
    await callApi(ctx, 'auth:lock', {});
    const status = await callApi(ctx, 'auth:signIn', { staffId: (await callApi(hq, 'staff:list', {})).find((s) => s.name === 'Han Yuna')!.id, pin: '246802' });
    expect(status.signedIn?.pinSet).toBe(true);
  });

  it('says in place when the PINs differ, when there is no code, and when there were too many tries (Korean)', async () => {
    const { ctx, hq, session } = desk('ko');
    const noCode = await callApi(hq, 'staff:plan', { name: 'Oh Minsu', role: 'desk_staff', issueSetupCode: false });
    const withCode = await callApi(hq, 'staff:plan', { name: 'Seo Jia', role: 'booth_staff', institutionId: 'inst-kaist' });
    for (let i = 0; i < 5; i++) session.recordFailure(withCode.staff.id);
    const user = userEvent.setup();
    renderWithApp(<App />, { ctx, language: 'ko' });
    const form = await screen.findByRole('form', { name: '로그인' });
    await user.click(within(form).getByRole('radio', { name: 'Oh Minsu · 데스크 직원 · 첫 로그인' }));
    let first = within(form).getByRole('group', { name: '첫 로그인' });
    await user.type(within(first).getByRole('textbox', { name: /^설정 코드/ }), 'ABCDE-23456');
    await user.type(within(first).getByLabelText(/^새 PIN/), '246802');
    await user.type(within(first).getByLabelText(/^PIN 확인/), '246803');
    await user.click(within(first).getByRole('button', { name: 'PIN 설정 후 로그인' }));
    expect(within(first).getByLabelText(/^PIN 확인/)).toHaveAccessibleDescription(/두 PIN이 다릅니다/);
    await user.clear(within(first).getByLabelText(/^PIN 확인/));
    await user.type(within(first).getByLabelText(/^PIN 확인/), '246802');
    await user.click(within(first).getByRole('button', { name: 'PIN 설정 후 로그인' }));
    await waitFor(() => expect(within(first).getByRole('textbox', { name: /^설정 코드/ })).toHaveAccessibleDescription(/이 사람의 설정 코드가 없습니다/), { timeout: 10_000 });
    expect(noCode.setupCode).toBeNull();

    await user.click(within(form).getByRole('radio', { name: /^Seo Jia · 부스 직원 · 첫 로그인/ }));
    first = within(form).getByRole('group', { name: '첫 로그인' });
    await user.type(within(first).getByRole('textbox', { name: /^설정 코드/ }), withCode.setupCode!);
    await user.type(within(first).getByLabelText(/^새 PIN/), '135791');
    await user.type(within(first).getByLabelText(/^PIN 확인/), '135791');
    await user.click(within(first).getByRole('button', { name: 'PIN 설정 후 로그인' }));
    expect(await within(first).findByRole('alert', {}, { timeout: 10_000 })).toHaveTextContent(/너무 많이 틀렸습니다/);
  });
});

describe('Settings → staff: planning a person without a PIN', () => {
  it('a stop lead plans booth staff for two stops and sees the one-time setup code once (English)', async () => {
    const { hq } = desk('en');
    const user = userEvent.setup();
    renderWithApp(<SecuritySettings />, { ctx: hq, language: 'en' });
    await useAppStore.getState().load();
    const form = await screen.findByRole('form', { name: 'Plan a staff member' });
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'Jung Hana');
    await pick(user, 'Role', 'Booth staff', form);
    await user.click(within(form).getByRole('button', { name: 'Plan and make a setup code' }));
    // Booth staff need an institution: said beside it.
    expect(within(form).getByRole('textbox', { name: /^Institution \(booth staff\)/ })).toHaveAccessibleDescription('Required');
    await pick(user, /^Institution \(booth staff\)/, 'KAIST', form);
    await pick(user, /^Stops they work/, '3-1 · New York', form);
    // The multi-select stays open for the next choice.
    await user.click(screen.getByRole('option', { name: '3-2 · Pittsburgh', hidden: true }));
    await user.click(within(form).getByRole('button', { name: 'Plan and make a setup code' }));
    const shown = await screen.findByRole('status', {}, { timeout: 10_000 });
    expect(shown).toHaveTextContent('Setup code for Jung Hana');
    const code = within(shown).getByLabelText('One-time setup code').textContent!;
    expect(code).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    const table = screen.getByRole('table', { name: 'Staff of this desk' });
    const row = (await within(table).findByText('Jung Hana')).closest('tr')!;
    expect(row).toHaveTextContent('no PIN yet');
    expect(row).toHaveTextContent('3-1 · New York, 3-2 · Pittsburgh');
    await user.click(within(shown).getByRole('button', { name: 'I have passed it on' }));
    expect(screen.queryByText(code)).toBeNull();
    const planned = (await callApi(hq, 'staff:list', {})).find((s) => s.name === 'Jung Hana')!;
    expect(planned).toMatchObject({ role: 'booth_staff', institutionId: 'inst-kaist', pinSet: false, stopIds: ['stop-03-new-york', 'stop-04-pittsburgh'] });
    // The code shown is the one that works.
    await callApi(hq, 'auth:firstSignIn', { staffId: planned.id, setupCode: code, pin: '112233' });
    expect((await callApi(hq, 'staff:list', {})).find((s) => s.id === planned.id)?.pinSet).toBe(true);
  });
});
