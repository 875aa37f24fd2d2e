import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeaderSyncStatus } from '../../renderer/screens/HeaderSyncStatus';
import { SyncScreen } from '../../renderer/screens/SyncScreen';
import { getEmptyAppState, useAppStore } from '../../renderer/state/appStore';
import { getEmptySyncState, useSyncStore } from '../../renderer/state/syncStore';
import { startHttpHq, type HttpHq } from '../helpers/hqHttp';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { createTestContext } from '../helpers/testStore';
import { renderWithApp } from './renderWithApp';

let hq: HttpHq | null = null;

/** Types a value the fast way (focus + paste), as a person pasting the code HQ sent. */
async function fill(user: ReturnType<typeof userEvent.setup>, el: HTMLElement, value: string | Promise<string>) {
  await user.click(el);
  await user.paste(await value);
}
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useSyncStore.setState(getEmptySyncState());
});
afterEach(async () => {
  await hq?.close();
  hq = null;
});

describe('Sync screen', () => {
  it('sets the HQ address, enrolls by code, syncs with a summary and proves HQ holds everything', async () => {
    hq = await startHttpHq();
    const store = createLaptop('dev-screen');
    writeActivity(store, 30);
    const ctx = createTestContext(store);
    const user = userEvent.setup();
    renderWithApp(<SyncScreen />, { ctx, language: 'en' });

    const address = await screen.findByRole('textbox', { name: /HQ address/ });
    await fill(user, address, 'http://hq.example.org');
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('must start with https://');

    await user.clear(address);
    await fill(user, address, hq.url);
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    expect(await screen.findByText('HQ address saved.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeDisabled();

    await fill(user, screen.getByRole('textbox', { name: /Enrollment code/ }), 'WRNG-CODE-0000-0000');
    await user.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('unknown, already used or expired');

    await user.clear(screen.getByRole('textbox', { name: /Enrollment code/ }));
    await fill(user, screen.getByRole('textbox', { name: /Enrollment code/ }), await hq.newCode());
    await fill(user, screen.getByRole('textbox', { name: /Name of this laptop/ }), 'Desk A, Chicago');
    await user.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByText('Enrolled: this laptop can sync with HQ.')).toBeInTheDocument();

    const own = (store.db.prepare('SELECT COUNT(*) AS n FROM events WHERE device_id = ?').get(store.deviceId) as { n: number }).n;
    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(await screen.findByText(`Sent ${own}, received 0, conflicts 0.`, {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(await screen.findByText(`HQ holds all ${own} events of this laptop.`)).toBeInTheDocument();
    // The status row refreshes after the summary: wait for it rather than race it.
    await waitFor(() => expect(screen.getByRole('row', { name: /Last successful sync/ })).toHaveTextContent(`Sent ${own}`), { timeout: 10_000 });

    await user.click(screen.getByRole('button', { name: 'Check that HQ holds everything' }));
    expect(await screen.findByText(`HQ holds all ${own} events of this laptop.`)).toBeInTheDocument();
  });

  it('says why a sync failed, in Korean, and the header shows offline', async () => {
    hq = await startHttpHq();
    const store = createLaptop('dev-screen-ko');
    const ctx = createTestContext(store);
    const { SyncService } = await import('../../core/sync/syncRunner');
    const svc = new SyncService(store);
    svc.configure(hq.url);
    await svc.enroll(await hq.newCode(), 'ko');
    writeActivity(store, 2);
    await hq.close();
    hq = null;
    const user = userEvent.setup();
    renderWithApp(
      <>
        <HeaderSyncStatus />
        <SyncScreen />
      </>,
      { ctx, language: 'ko' },
    );
    await user.click(await screen.findByRole('button', { name: '지금 동기화' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('본부에 연결할 수 없습니다');
    expect(screen.getByRole('row', { name: /마지막 시도 실패/ })).toHaveTextContent('본부에 연결할 수 없습니다');
    await waitFor(() => expect(screen.getByRole('status', { name: /본부 연결: 오프라인/ })).toBeInTheDocument());
  });

  it('shows online with HQ in the header when HQ answers', async () => {
    hq = await startHttpHq();
    const store = createLaptop('dev-header');
    const { SyncService } = await import('../../core/sync/syncRunner');
    const svc = new SyncService(store);
    svc.configure(hq.url);
    await svc.enroll(await hq.newCode(), 'h');
    renderWithApp(<HeaderSyncStatus />, { ctx: createTestContext(store), language: 'en' });
    expect(await screen.findByRole('status', { name: 'Connection to HQ: Online with HQ' })).toHaveTextContent('HQ online');
  });
});
