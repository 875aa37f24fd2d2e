import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/App';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { useNavStore } from '../../../renderer/state/navStore';
import { getEmptySyncState, useSyncStore } from '../../../renderer/state/syncStore';
import { startHttpHq, type HttpHq } from '../../helpers/hqHttp';
import { createLaptop, writeActivity } from '../../helpers/syncFixtures';
import { createTestContext } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

let hq: HttpHq | null = null;
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useSyncStore.setState(getEmptySyncState());
  useNavStore.setState({ screen: 'sync' });
});
afterEach(async () => {
  await hq?.close();
  hq = null;
});

/** The header's badge and the Sync card's row, as a person reads them side by side. */
const header = () => screen.getByText(/events? not yet at HQ$/);
const card = () => within(screen.getByRole('row', { name: /^Events not yet at HQ/ })).getAllByRole('cell')[0]!;
const count = (el: HTMLElement) => Number(/\d+/.exec(el.textContent ?? '')![0]);

describe('the unsent count (issue #22: the header was one behind the Sync card)', () => {
  it('is one figure: the header and the Sync card agree after enrolling (a new event), while and after syncing', async () => {
    hq = await startHttpHq();
    const store = createLaptop('dev-unsent');
    writeActivity(store, 5); // 20 events
    const ctx = createTestContext(store);
    const user = userEvent.setup();
    renderWithApp(<App />, { ctx, language: 'en' });

    await user.type(await screen.findByRole('textbox', { name: /HQ address/ }), hq.url);
    await user.click(screen.getByRole('button', { name: 'Save address' }));
    await screen.findByText('HQ address saved.');
    await waitFor(() => expect(count(card())).toBe(20));
    expect(count(header())).toBe(20);

    // Enrolling writes this laptop's signing key as an event: both figures move to 21 together.
    await user.type(screen.getByRole('textbox', { name: /Enrollment code/ }), await hq.newCode());
    await user.click(screen.getByRole('button', { name: 'Enroll' }));
    await screen.findByText('Enrolled: this laptop can sync with HQ.');
    await waitFor(() => expect(count(card())).toBe(21));
    expect(count(header())).toBe(count(card()));

    await user.click(screen.getByRole('button', { name: 'Sync now' }));
    await screen.findByText('Sent 21, received 0, conflicts 0.', {}, { timeout: 10_000 });
    await waitFor(() => expect(count(card())).toBe(0));
    expect(count(header())).toBe(0);

    // A status answer alone (the header's minute probe) carries the count to both.
    writeActivity(store, 1);
    await useSyncStore.getState().load();
    await waitFor(() => expect(count(card())).toBe(4));
    expect(count(header())).toBe(4);
  });
});
