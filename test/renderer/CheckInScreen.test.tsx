import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckInScreen } from '../../renderer/screens/CheckInScreen';
import { getEmptyAppState, useAppStore } from '../../renderer/state/appStore';
import { getEmptyCheckinState, useCheckinStore } from '../../renderer/state/checkinStore';
import { getEmptyImportState, useImportStore } from '../../renderer/state/importStore';
import type { Stop } from '../../shared/schemas/masterData';
import type { ApiContext } from '../../core/api/apiContext';
import { createTestContext, createTestStore, DEMO_STOP } from '../helpers/testStore';
import { renderWithApp } from './renderWithApp';
import { DEMO_LEAD_ID, seedDemoStaff } from '../../core/security/demoStaff';

beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useCheckinStore.setState(getEmptyCheckinState());
  useImportStore.setState(getEmptyImportState());
});

function setup(language: 'en' | 'ko' = 'en') {
  const store = createTestStore({ demo: true, attendees: 120 });
  seedDemoStaff(store);
  const ctx = createTestContext(store, { actorId: DEMO_LEAD_ID });
  const stop = ctx.store.db.prepare('SELECT id, tour_id AS tourId, round, city, city_ko AS cityKo, venue, campus, date, time_zone AS timeZone, kind FROM stops WHERE id = ?').get(DEMO_STOP) as Stop;
  renderWithApp(<CheckInScreen stop={stop} />, { ctx, language });
  return { ctx, stop };
}

function pending(ctx: ApiContext) {
  return ctx.store.db
    .prepare(
      `SELECT r.id, r.scan_token AS token, a.id AS attendeeId, a.given_name AS g, a.family_name AS f, a.name_ko AS ko, a.email FROM registrations r JOIN attendees a ON a.id = r.attendee_id
       WHERE r.stop_id = ? AND a.given_name <> '' AND a.email <> '' AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id) ORDER BY r.id LIMIT 1`,
    )
    .get(DEMO_STOP) as { id: string; token: string; attendeeId: string; g: string; f: string; ko: string; email: string };
}

/** A keyboard-wedge scanner: every key a few ms apart, then Enter, sent to whatever has focus. */
function scanKeys(text: string) {
  let t = performance.now();
  const target = document.activeElement ?? document.body;
  for (const ch of text) {
    fireEvent.keyDown(target, { key: ch, code: /[A-Z]/i.test(ch) ? `Key${ch.toUpperCase()}` : '', timeStamp: (t += 5) });
  }
  fireEvent.keyDown(target, { key: 'Enter', code: 'Enter', timeStamp: t + 5 });
}

describe('CheckInScreen', () => {
  it('checks a person in from a scan typed anywhere, then warns when the same code comes again', async () => {
    const { ctx } = setup();
    const p = pending(ctx);
    await screen.findByRole('group', { name: 'Counts for this stop' });
    (document.activeElement as HTMLElement | null)?.blur();
    act(() => scanKeys(p.token));
    const ok = await screen.findByRole('status', { name: 'Checked in' });
    expect(ok).toHaveTextContent(`${p.g} ${p.f}`);
    expect(within(ok).getByText('Today’s consultations')).toBeInTheDocument();
    act(() => scanKeys(p.token));
    const warn = await screen.findByRole('status', { name: 'Already checked in' });
    expect(warn).toHaveTextContent(/Checked in at Desk 1/);
    expect((ctx.store.db.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?').get(p.id) as { n: number }).n).toBe(1);
  });

  it('answers an unknown code with a message and the walk-in form one key away', async () => {
    setup();
    await screen.findByRole('group', { name: 'Counts for this stop' });
    act(() => scanKeys('RS-UNKNOWN99'));
    const alert = await screen.findByRole('alert', { name: 'Unknown code' });
    expect(alert).toHaveTextContent('RS-UNKNOWN99');
    fireEvent.keyDown(window, { key: 'F2', code: 'F2' });
    expect(await screen.findByRole('dialog', { name: 'Walk-in registration' })).toBeInTheDocument();
  });

  it('finds by search, checks in with Enter, undoes with a reason and shows the history', async () => {
    const { ctx } = setup();
    const p = pending(ctx);
    const user = userEvent.setup();
    const search = await screen.findByRole('textbox', { name: 'Search attendees' });
    await user.type(search, `${p.f} ${p.g}`);
    const results = screen.getByRole('list', { name: 'Search results' });
    await waitFor(() => expect(within(results).getAllByRole('listitem')[0]).toHaveAccessibleName(new RegExp(p.g)));
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('status', { name: 'Checked in' })).toBeInTheDocument();
    const row = within(results).getAllByRole('listitem')[0]!;
    await user.click(within(row).getByRole('button', { name: /^Undo check-in of/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Undo check-in' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Reason for undoing' }), 'scanned the wrong badge');
    await user.click(within(dialog).getByRole('button', { name: 'Undo' }));
    expect(await screen.findByRole('status', { name: 'Check-in undone' })).toBeInTheDocument();
    await user.click(within(within(results).getAllByRole('listitem')[0]!).getByRole('button', { name: /^History of/ }));
    const table = await screen.findByRole('table', { name: 'Check-in history' });
    // Who did it and at which desk: the signed-in staff member's name and the desk's name, never a device id.
    expect(within(table).getByText('Checked in by Kim Minji at Desk 1')).toBeInTheDocument();
    expect(within(table).getByText('Check-in undone by Kim Minji at Desk 1: scanned the wrong badge')).toBeInTheDocument();
    expect(table).not.toHaveTextContent(ctx.store.deviceId);
  });

  it('suggests a possible duplicate while a walk-in is typed, and checks that person in instead', async () => {
    const { ctx } = setup();
    const p = pending(ctx);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Register walk-in' }));
    const dialog = await screen.findByRole('dialog', { name: 'Walk-in registration' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Email' }), p.email);
    const hint = await within(dialog).findByRole('region', { name: 'Possibly already registered' }, { timeout: 3000 });
    await user.click(within(hint).getAllByRole('button', { name: /instead$/ })[0]!);
    expect(await screen.findByRole('status', { name: 'Checked in' })).toHaveTextContent(p.g);
    const attendees = (ctx.store.db.prepare('SELECT COUNT(*) AS n FROM attendees WHERE email = ?').get(p.email) as { n: number }).n;
    expect(attendees).toBe(1);
  });

  it('imports a CSV: progress, mapping with preview, translated validation report, valid rows only', async () => {
    const { ctx } = setup('ko');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: '사전 등록 가져오기' }));
    const dialog = await screen.findByRole('dialog', { name: '사전 등록 가져오기' });
    const csv = 'family_name,given_name,name_ko,email,affiliation\r\nHan,Yuri,한유리,yuri@cmu.edu,CMU\r\n,,,nobody@x.edu,MIT\r\n';
    const file = new File([csv], 'list.csv', { type: 'text/csv' });
    const input = dialog.querySelector('input[type="file"]') as HTMLInputElement;
    await user.upload(input, file);
    expect(await within(dialog).findByRole('table', { name: '처음 몇 행 미리 보기' }, { timeout: 5000 })).toHaveTextContent('한유리');
    expect(within(dialog).getByRole('textbox', { name: '성 (영문) 열' })).toHaveValue('1. family_name');
    await user.click(within(dialog).getByRole('button', { name: '행 확인하기' }));
    expect(await within(dialog).findByText('전체 2행: 정상 1행, 문제 1행.')).toBeInTheDocument();
    const issues = within(dialog).getByRole('table', { name: '문제가 있는 행' });
    expect(issues).toHaveTextContent('3');
    expect(issues).toHaveTextContent('이름(영문 또는 한글)이 없음');
    await user.click(within(dialog).getByRole('button', { name: '정상 1행 가져오기' }));
    expect(await within(dialog).findByText(/가져옴: 새로 1/)).toBeInTheDocument();
    expect((ctx.store.db.prepare("SELECT COUNT(*) AS n FROM attendees WHERE name_ko = '한유리'").get() as { n: number }).n).toBe(1);
    // The header's count of events not yet at HQ follows the import.
    const own = (ctx.store.db.prepare('SELECT COUNT(*) AS n FROM events WHERE device_id = ?').get(ctx.store.deviceId) as { n: number }).n;
    await waitFor(() => expect(useAppStore.getState().info?.unsyncedCount).toBe(own));
  });
});
