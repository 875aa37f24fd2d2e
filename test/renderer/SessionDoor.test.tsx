import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../core/api/apiContext';
import type { Store } from '../../core/store/openStore';
import { en } from '../../renderer/i18n/en';
import { CheckInScreen } from '../../renderer/screens/CheckInScreen';
import { getEmptyAppState, useAppStore } from '../../renderer/state/appStore';
import { getEmptyCheckinState, useCheckinStore } from '../../renderer/state/checkinStore';
import { getEmptySessionCheckinState, useSessionCheckinStore } from '../../renderer/state/sessionCheckinStore';
import type { Stop } from '../../shared/schemas/masterData';
import { callApi } from '../helpers/callApi';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../helpers/testStore';
import { renderWithApp } from './renderWithApp';
import { pick } from './tour/tourTestKit';

/** Issue #19: the check-in screen's session door — pick a session, scan and search into it, counts, undo. */
const stores: Store[] = [];
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useCheckinStore.setState(getEmptyCheckinState());
  useSessionCheckinStore.setState(getEmptySessionCheckinState());
});
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

async function setup(language: 'en' | 'ko' = 'en') {
  const store = createTestStore({ demo: true, attendees: 60 });
  stores.push(store);
  const ctx = createTestContext(store);
  const briefing = await callApi(ctx, 'session:upsert', { stopId: DEMO_STOP, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '13:00', endTime: '14:00', room: 'Hall A', capacity: 200 });
  await callApi(ctx, 'session:upsert', { stopId: DEMO_STOP, kind: 'ir_round', title: 'Company IR', titleKo: '기업 IR', startTime: '15:00', endTime: '16:00', room: 'Room 2', cancelled: true });
  const stop = ctx.store.db.prepare('SELECT id, tour_id AS tourId, round, city, city_ko AS cityKo, venue, campus, date, time_zone AS timeZone, kind FROM stops WHERE id = ?').get(DEMO_STOP) as Stop;
  renderWithApp(<CheckInScreen stop={stop} />, { ctx, language });
  return { ctx, briefing };
}

/** Two people registered at the stop and not checked in there. */
function pending(ctx: ApiContext) {
  return ctx.store.db
    .prepare(
      `SELECT r.id, r.scan_token AS token, a.given_name AS g, a.family_name AS f, a.career_stage AS stage FROM registrations r JOIN attendees a ON a.id = r.attendee_id
       WHERE r.stop_id = ? AND a.given_name <> '' AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) ORDER BY r.id LIMIT 2`,
    )
    .all(DEMO_STOP) as { id: string; token: string; g: string; f: string; stage: string }[];
}

function scanKeys(text: string) {
  let t = performance.now();
  (document.activeElement as HTMLElement | null)?.blur();
  const target = document.activeElement ?? document.body;
  for (const ch of text) fireEvent.keyDown(target, { key: ch, code: /[A-Z]/i.test(ch) ? `Key${ch.toUpperCase()}` : '', timeStamp: (t += 5) });
  fireEvent.keyDown(target, { key: 'Enter', code: 'Enter', timeStamp: t + 5 });
}

const n = (ctx: ApiContext, sql: string, ...args: string[]) => (ctx.store.db.prepare(sql).get(...args) as { n: number }).n;

describe('CheckInScreen at a session door', () => {
  it('picks a session, checks in by scan (with the stop check-in), warns on a repeat, counts per stage, undoes both with a reason', async () => {
    const { ctx } = await setup();
    const [p] = pending(ctx);
    const user = userEvent.setup();
    await screen.findByRole('group', { name: 'Counts for this stop' });
    // A cancelled session is listed but cannot be picked.
    const picker = await screen.findByRole('textbox', { name: 'Checking in at' });
    expect(picker).toHaveValue('Stop entrance');
    await user.click(picker);
    expect(screen.getByRole('option', { name: '15:00–16:00 Company IR · Room 2 (cancelled)', hidden: true })).toHaveAttribute('data-combobox-disabled', 'true');
    await user.click(screen.getByRole('option', { name: '13:00–14:00 Policy briefing · Hall A', hidden: true }));
    const counts = await screen.findByRole('group', { name: 'Counts for this session' });
    expect(await within(counts).findByLabelText('In the session: 0')).toBeInTheDocument();
    expect(within(counts).getByLabelText('Seats: 200')).toBeInTheDocument();
    expect(await screen.findByText('Nobody is checked in to this session yet. Scan a code or search a name.')).toBeInTheDocument();

    act(() => scanKeys(p!.token));
    const ok = await screen.findByRole('status', { name: 'Checked in: Policy briefing' });
    expect(ok).toHaveTextContent(`${p!.g} ${p!.f}`);
    expect(ok).toHaveTextContent('First check-in of the stop: checked in at the stop too.');
    await waitFor(() => expect(within(screen.getByRole('group', { name: 'Counts for this session' })).getByLabelText('In the session: 1')).toBeInTheDocument());
    const stage = en.careerStage[p!.stage as keyof typeof en.careerStage];
    expect(within(screen.getByRole('group', { name: 'In the session by career stage' })).getByLabelText(`${stage}: 1`)).toBeInTheDocument();
    expect(n(ctx, 'SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?', p!.id)).toBe(1);
    expect(n(ctx, 'SELECT COUNT(*) AS n FROM session_check_ins WHERE registration_id = ?', p!.id)).toBe(1);

    act(() => scanKeys(p!.token));
    expect(await screen.findByRole('status', { name: 'Already in: Policy briefing' })).toHaveTextContent(/Checked in at Desk 1/);

    // The latest list shows them in the session and at the stop; undo both (the wrong badge was scanned).
    const latest = screen.getByRole('list', { name: 'Latest in this session' });
    const row = within(latest).getAllByRole('listitem')[0]!;
    expect(row).toHaveTextContent('At the stop');
    await user.click(within(row).getByRole('button', { name: /^Undo check-in of/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Undo session check-in' });
    await user.click(within(dialog).getByRole('button', { name: 'Undo' }));
    expect(within(dialog).getByRole('textbox', { name: 'Reason for undoing' })).toHaveAccessibleDescription('Required');
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason for undoing' }), 'Scanned the wrong badge');
    await user.click(within(dialog).getByRole('checkbox', { name: /Also undo the stop check-in/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Undo' }));
    expect(await screen.findByRole('status', { name: 'Session check-in undone: Policy briefing' })).toBeInTheDocument();
    expect(n(ctx, 'SELECT COUNT(*) AS n FROM session_check_in_voids')).toBe(1);
    expect(n(ctx, "SELECT COUNT(*) AS n FROM check_in_voids WHERE reason = 'Scanned the wrong badge'")).toBe(1);
    await waitFor(() => expect(within(screen.getByRole('group', { name: 'Counts for this session' })).getByLabelText('In the session: 0')).toBeInTheDocument());
  });

  it('checks in from a search with Enter; back at the stop entrance the scan is the stop’s again', async () => {
    const { ctx } = await setup();
    const [, q] = pending(ctx);
    const user = userEvent.setup();
    await screen.findByRole('textbox', { name: 'Checking in at' });
    await pick(user, 'Checking in at', '13:00–14:00 Policy briefing · Hall A');
    const search = await screen.findByRole('textbox', { name: 'Search attendees' });
    await user.type(search, `${q!.f} ${q!.g}`);
    const results = screen.getByRole('list', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('listitem')[0]).toHaveTextContent('Not in this session'));
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('status', { name: 'Checked in: Policy briefing' })).toBeInTheDocument();

    await pick(user, 'Checking in at', 'Stop entrance');
    expect(await screen.findByRole('group', { name: 'Counts for this stop' })).toBeInTheDocument();
    act(() => scanKeys(pending(ctx)[0]!.token));
    expect(await screen.findByRole('status', { name: 'Checked in' })).toBeInTheDocument();
    expect(n(ctx, 'SELECT COUNT(*) AS n FROM session_check_ins')).toBe(1);
  });

  it('says clearly, in Korean, when the picked session was cancelled meanwhile', async () => {
    const { ctx, briefing } = await setup('ko');
    const [p] = pending(ctx);
    const user = userEvent.setup();
    await screen.findByRole('textbox', { name: '체크인 위치' });
    await pick(user, '체크인 위치', '13:00–14:00 정책 설명회 · Hall A');
    expect(await screen.findByRole('group', { name: '이 세션 현황' })).toBeInTheDocument();
    // Cancelled at HQ; it arrives by sync while the desk still has it picked.
    await callApi(ctx, 'session:upsert', { ...briefing, cancelled: true });
    act(() => scanKeys(p!.token));
    expect(await screen.findByRole('alert')).toHaveTextContent('“정책 설명회” 세션은 취소되어 체크인할 수 없습니다.');
    expect(n(ctx, 'SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?', p!.id)).toBe(0);
  });
});
