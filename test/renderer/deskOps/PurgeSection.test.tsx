import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRunner } from '../../../core/import/importRunner';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import { PurgeSection } from '../../../renderer/screens/PurgeSection';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useAuthStore } from '../../../renderer/state/authStore';
import { getEmptyPurgeState, usePurgeStore } from '../../../renderer/state/purgeStore';
import { callApi } from '../../helpers/callApi';
import { hqHolds } from '../../helpers/hqHolds';
import { startHttpHq, type HttpHq } from '../../helpers/hqHttp';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const stores: Store[] = [];
const hqs: HttpHq[] = [];
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  usePurgeStore.setState(getEmptyPurgeState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false, language: 'en' });
});
afterEach(async () => {
  for (const h of hqs.splice(0)) await h.close();
  for (const s of stores.splice(0)) {
    await importRunner(s).close();
    disposeTestStore(s);
  }
});

const NEW_YORK = '3-1 New York';

describe('the stop lead’s purge screen (issue #19)', () => {
  it('says what is missing until HQ holds the stop, then purges after the typed confirmation (English)', async () => {
    const store = createTestStore({ demo: true, attendees: 20 });
    stores.push(store);
    const ctx = createTestContext(store, { actorId: 'staff-demo-lead' });
    const user = userEvent.setup();
    renderWithApp(<PurgeSection />, { ctx, language: 'en' });
    await useAppStore.getState().load();
    const panel = await screen.findByRole('region', { name: 'Personal data on this laptop' });
    const card = await within(panel).findByRole('region', { name: NEW_YORK });
    expect(await within(card).findByText('This laptop is not connected to HQ or a venue hub. Connect it on the Sync screen first.')).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: /^Remove the personal data of .*New York from this laptop$/ })).toBeDisabled();

    // HQ lacks the stop's last event: the card says how many and which side.
    const hq = await startHttpHq();
    hqs.push(hq);
    await callApi(ctx, 'sync:configure', { url: hq.url });
    await callApi(ctx, 'sync:enroll', { code: await hq.newCode({ deviceId: store.deviceId }), label: 'Desk test' });
    const lastId = (store.db.prepare('SELECT event_id FROM events WHERE stop_id = ? ORDER BY rowid DESC LIMIT 1').get(DEMO_STOP) as { event_id: string }).event_id;
    await hqHolds(hq.storage, store, { except: (e) => e.eventId === lastId });
    await user.click(within(card).getByRole('button', { name: 'Check again' }));
    expect(await within(card).findByText('HQ lacks 1 event of this stop that this laptop holds. Sync first.')).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: /^Remove the personal data of/ })).toBeDisabled();

    await hqHolds(hq.storage, store);
    await user.click(within(card).getByRole('button', { name: 'Check again' }));
    expect(await within(card).findByText('HQ holds all of it')).toBeInTheDocument();
    await waitFor(() => expect(within(card).getByRole('button', { name: /^Remove the personal data of/ })).toBeEnabled());
    await user.click(within(card).getByRole('button', { name: /^Remove the personal data of/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('Type DELETE to confirm'), 'delete');
    await user.click(within(dialog).getByRole('button', { name: 'Remove from this laptop' }));
    expect(within(dialog).getByText('Type exactly DELETE')).toBeInTheDocument();
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM stop_purges').get()).toEqual({ n: 0 });
    await user.clear(within(dialog).getByLabelText('Type DELETE to confirm'));
    await user.type(within(dialog).getByLabelText('Type DELETE to confirm'), 'DELETE');
    await user.click(within(dialog).getByRole('button', { name: 'Remove from this laptop' }));
    expect(await within(panel).findByText(/^Removed from this laptop: \d+ people, \d+ events redacted/, {}, { timeout: 15_000 })).toBeInTheDocument();
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM registrations WHERE stop_id = ?').get(DEMO_STOP)).toEqual({ n: 0 });
    expect(await within(card).findByText(/^Personal data removed from this laptop on /)).toBeInTheDocument();
  }, 30_000);

  it('is not there for desk staff (Korean)', async () => {
    const store = createTestStore({ demo: true, attendees: 5 });
    stores.push(store);
    const session = new DeskSession();
    session.signIn({ id: 'staff-desk', name: 'Desk', role: 'desk_staff', institutionId: null });
    const ctx = createTestContext(store, { session, actorId: 'staff-desk' });
    useAuthStore.setState({ status: { enforced: true, signedIn: { id: 'staff-desk', name: 'Desk', role: 'desk_staff', institutionId: null } } as never });
    renderWithApp(<PurgeSection />, { ctx, language: 'ko' });
    await useAppStore.getState().load();
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.queryByRole('region', { name: '이 노트북의 개인정보' })).toBeNull();
    expect(usePurgeStore.getState().checks).toEqual({});
  });
});
