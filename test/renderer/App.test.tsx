import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/App';
import { getEmptyAppState, useAppStore } from '../../renderer/state/appStore';
import { getEmptyCheckinState, useCheckinStore } from '../../renderer/state/checkinStore';
import { useNavStore } from '../../renderer/state/navStore';
import { createTestContext, createTestStore } from '../helpers/testStore';
import { renderWithApp } from './renderWithApp';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useCheckinStore.setState(getEmptyCheckinState());
  useNavStore.setState({ screen: 'checkin' });
});

describe('App shell', () => {
  it('shows the current stop, navigation and counts from the real store', async () => {
    const ctx = createTestContext(createTestStore({ demo: true, attendees: 80 }));
    renderWithApp(<App />, { ctx, language: 'en' });
    expect(await screen.findByRole('heading', { name: 'Check-in' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    for (const name of ['Check-in', 'Booths', 'Consultations', 'Sync', 'Settings']) expect(within(nav).getByRole('button', { name })).toBeInTheDocument();
    const counts = screen.getByRole('group', { name: 'Counts for this stop' });
    await waitFor(() => expect(within(counts).getByLabelText(/^Registered: \d+$/)).toBeInTheDocument());
  });

  it('switches the language and keeps the choice in the store', async () => {
    const ctx = createTestContext(createTestStore({ demo: true, attendees: 20 }));
    renderWithApp(<App />, { ctx, language: 'en' });
    await screen.findByRole('heading', { name: 'Check-in' });
    await userEvent.click(screen.getByRole('radio', { name: '한국어' }));
    expect(await screen.findByRole('heading', { name: '체크인' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: '주 메뉴' })).toBeInTheDocument();
    const saved = ctx.store.db.prepare("SELECT value FROM settings WHERE key = 'language'").get() as { value: string };
    expect(saved.value).toBe('ko');
  });

  it('finds a person and checks them in with the keyboard', async () => {
    const ctx = createTestContext(createTestStore({ demo: true, attendees: 120 }));
    const row = ctx.store.db
      .prepare(
        "SELECT a.given_name AS g, a.family_name AS f, r.id AS id FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = 'stop-03-new-york' AND a.given_name <> '' AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) LIMIT 1",
      )
      .get() as { g: string; f: string; id: string };
    renderWithApp(<App />, { ctx, language: 'en' });
    const search = await screen.findByRole('textbox', { name: 'Search attendees' });
    await userEvent.type(search, `${row.g} ${row.f}`);
    const results = screen.getByRole('list', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('listitem').length).toBeGreaterThan(0));
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText(/is checked in\./)).toBeInTheDocument();
    const n = ctx.store.db.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?').get(row.id) as { n: number };
    expect(n.n).toBe(1);
  });

  it('shows a translated error when the API is unreachable', async () => {
    const { setApiClient, createApiClient } = await import('../../renderer/api/apiClient');
    renderWithApp(<App />, { language: 'ko' });
    setApiClient(createApiClient({ invoke: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'down', details: { network: true } } }) }));
    await useAppStore.getState().load();
    expect(await screen.findByRole('alert')).toHaveTextContent('앱에 연결할 수 없습니다');
  });
});
