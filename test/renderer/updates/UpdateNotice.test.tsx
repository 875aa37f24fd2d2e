import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpdateController, type UpdaterEvent, type UpdaterPort } from '../../../core/update/updateController';
import type { Store } from '../../../core/store/openStore';
import { updateNotice } from '../../../renderer/components/updateNotice';
import { UpdateNoticeArea } from '../../../renderer/screens/UpdateNoticeArea';
import { UpdatesSection } from '../../../renderer/screens/UpdatesSection';
import { getEmptyUpdateState, useUpdateStore } from '../../../renderer/state/updateStore';
import { browserModeUpdateStatus, initialUpdateStatus } from '../../../core/update/updateController';
import { createTestContext, createTestStore, disposeTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const stores: Store[] = [];
beforeEach(() => useUpdateStore.setState(getEmptyUpdateState()));
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

/** The desktop app's updater with electron-updater replaced by a recorder; timers never fire on their own. */
function desktop(language: 'en' | 'ko' = 'en', delivery: 'install' | 'notify' = 'install') {
  const calls: string[] = [];
  let answer: UpdaterEvent[] = [];
  const port: UpdaterPort = {
    check: async () => {
      calls.push('check');
      for (const e of answer) controller.handle(e);
    },
    download: async () => void calls.push('download'),
    quitAndInstall: () => void calls.push('quitAndInstall'),
  };
  const controller = new UpdateController({ port, policy: { delivery }, currentVersion: '0.1.0', setTimer: () => () => undefined });
  const store = createTestStore();
  stores.push(store);
  const ctx = createTestContext(store, { mode: 'electron', version: '0.1.0', updates: controller });
  return { controller, calls, ctx, language, answer: (a: UpdaterEvent[]) => (answer = a) };
}

/** What the next poll would bring. */
const poll = () => act(async () => void (await useUpdateStore.getState().load()));

describe('update notice logic', () => {
  it('announces downloading, ready and hand-installed versions only, and not a dismissed one', () => {
    const install = initialUpdateStatus('0.1.0', { delivery: 'install' });
    expect(updateNotice(null)).toBeNull();
    expect(updateNotice(install)).toBeNull();
    expect(updateNotice({ ...install, phase: 'downloading', availableVersion: '0.2.0', percent: 30 })).toEqual({ kind: 'downloading', version: '0.2.0', percent: 30 });
    expect(updateNotice({ ...install, phase: 'ready', availableVersion: '0.2.0', percent: 100 })).toEqual({ kind: 'ready', version: '0.2.0' });
    expect(updateNotice({ ...install, phase: 'ready', availableVersion: '0.2.0' }, '0.2.0')).toBeNull();
    expect(updateNotice({ ...install, phase: 'ready', availableVersion: '0.3.0' }, '0.2.0')).toEqual({ kind: 'ready', version: '0.3.0' });
    expect(updateNotice({ ...install, phase: 'available', delivery: 'notify', availableVersion: '0.2.0' })).toEqual({ kind: 'available', version: '0.2.0' });
    expect(updateNotice({ ...install, phase: 'error', errorKind: 'offline', error: 'x', availableVersion: '0.2.0' })).toBeNull();
    expect(updateNotice(browserModeUpdateStatus('0.1.0'))).toBeNull();
  });
});

describe('the window’s update notice', () => {
  it('shows the download, then “ready — restart to update”, and restarts into it', async () => {
    const user = userEvent.setup();
    const d = desktop();
    renderWithApp(<UpdateNoticeArea />, { ctx: d.ctx, language: 'en' });
    await waitFor(() => expect(useUpdateStore.getState().status?.phase).toBe('idle'));
    expect(screen.queryByRole('region', { name: 'App update' })).toBeNull();

    d.controller.handle({ type: 'available', version: '0.2.0' });
    d.controller.handle({ type: 'progress', percent: 40 });
    await poll();
    const banner = screen.getByRole('region', { name: 'App update' });
    expect(within(banner).getByRole('status')).toHaveTextContent('Downloading Roadshow Desk 0.2.0');
    expect(banner).toHaveTextContent('40% downloaded.');
    expect(within(banner).queryByRole('button', { name: 'Restart to update' })).toBeNull();
    expect(d.calls).toEqual(['download']);

    d.controller.handle({ type: 'downloaded', version: '0.2.0' });
    await poll();
    expect(within(screen.getByRole('region', { name: 'App update' })).getByRole('status')).toHaveTextContent('Roadshow Desk 0.2.0 is ready');
    await user.click(screen.getByRole('button', { name: 'Restart to update' }));
    await waitFor(() => expect(d.calls).toEqual(['download', 'quitAndInstall']));
  });

  it('can be put off with “Later”, in Korean too', async () => {
    const user = userEvent.setup();
    const d = desktop('ko');
    d.controller.handle({ type: 'available', version: '0.2.0' });
    d.controller.handle({ type: 'downloaded', version: '0.2.0' });
    renderWithApp(<UpdateNoticeArea />, { ctx: d.ctx, language: 'ko' });
    const banner = await screen.findByRole('region', { name: '앱 업데이트' });
    expect(within(banner).getByRole('status')).toHaveTextContent('Roadshow Desk 0.2.0 준비 완료');
    expect(within(banner).getByRole('button', { name: '다시 시작하여 업데이트' })).toBeInTheDocument();
    await user.click(within(banner).getByRole('button', { name: '나중에' }));
    expect(screen.queryByRole('region', { name: '앱 업데이트' })).toBeNull();
    expect(d.calls).toEqual(['download']);
  });

  it('tells where updates are installed by hand instead of downloading them', async () => {
    const d = desktop('en', 'notify');
    d.controller.handle({ type: 'available', version: '0.2.0' });
    renderWithApp(<UpdateNoticeArea />, { ctx: d.ctx, language: 'en' });
    const banner = await screen.findByRole('region', { name: 'App update' });
    expect(banner).toHaveTextContent('Roadshow Desk 0.2.0 is available');
    expect(banner).toHaveTextContent('This laptop installs updates by hand');
    expect(within(banner).queryByRole('button', { name: 'Restart to update' })).toBeNull();
    expect(d.calls).toEqual([]);
  });

  it('shows nothing in browser mode, and Settings says the desktop app manages updates', async () => {
    const store = createTestStore();
    stores.push(store);
    const ctx = createTestContext(store);
    renderWithApp(
      <>
        <UpdateNoticeArea />
        <UpdatesSection />
      </>,
      { ctx, language: 'en' },
    );
    const section = await screen.findByRole('region', { name: 'Updates' });
    expect(section).toHaveTextContent('Updates are managed by the desktop app.');
    expect(within(section).queryByRole('button', { name: 'Check for updates' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'App update' })).toBeNull();
  });
});

describe('Settings → Updates', () => {
  it('checks on request and explains a failed check in the desk’s language', async () => {
    const user = userEvent.setup();
    const d = desktop('en');
    d.answer([{ type: 'checking' }, { type: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' }]);
    renderWithApp(<UpdatesSection />, { ctx: d.ctx, language: 'en' });
    await poll();
    const section = screen.getByRole('region', { name: 'Updates' });
    expect(section).toHaveTextContent('Version 0.1.0');
    expect(section).toHaveTextContent('installed when the app restarts, after their code signature has been checked');
    expect(section).toHaveTextContent('Not checked yet since the app started.');
    await user.click(within(section).getByRole('button', { name: 'Check for updates' }));
    await waitFor(() => expect(within(section).getByRole('alert')).toHaveTextContent('Could not reach the update server'));

    d.answer([{ type: 'checking' }, { type: 'notAvailable' }]);
    await user.click(within(section).getByRole('button', { name: 'Check for updates' }));
    await waitFor(() => expect(section).toHaveTextContent('Up to date.'));
    expect(section).toHaveTextContent(/Last checked: /);
    expect(d.calls).toEqual(['check', 'check']);
  });
});
