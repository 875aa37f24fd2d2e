import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { seedDemoStaff } from '../../../core/security/demoStaff';
import type { Store } from '../../../core/store/openStore';
import { CheckInScreen } from '../../../renderer/screens/CheckInScreen';
import { pick } from '../tour/tourTestKit';
import { getEmptyAppState, useAppStore } from '../../../renderer/state/appStore';
import { getEmptyAttendeeEditState, useAttendeeEditStore } from '../../../renderer/state/attendeeEditStore';
import { getEmptyCheckinState, useCheckinStore } from '../../../renderer/state/checkinStore';
import type { Stop } from '../../../shared/schemas/masterData';
import { createTestContext, createTestStore, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

let store: Store | null = null;
beforeEach(() => {
  useAppStore.setState(getEmptyAppState());
  useCheckinStore.setState(getEmptyCheckinState());
  useAttendeeEditStore.setState(getEmptyAttendeeEditState());
});
afterEach(() => {
  if (store) disposeTestStore(store);
  store = null;
});

function setup(language: 'en' | 'ko' = 'en') {
  store = createTestStore({ demo: true, attendees: 40 });
  seedDemoStaff(store);
  const ctx = createTestContext(store, { actorId: 'staff-demo-desk' });
  const stop = store.db.prepare('SELECT id, tour_id AS tourId, round, city, city_ko AS cityKo, venue, campus, date, time_zone AS timeZone, kind FROM stops WHERE id = ?').get(DEMO_STOP) as Stop;
  const person = store.db
    .prepare(
      `SELECT r.id AS registrationId, a.id, a.given_name AS g, a.family_name AS f FROM registrations r JOIN attendees a ON a.id = r.attendee_id
       WHERE r.stop_id = ? AND a.given_name <> '' AND a.family_name <> '' ORDER BY r.id LIMIT 1`,
    )
    .get(DEMO_STOP) as { registrationId: string; id: string; g: string; f: string };
  renderWithApp(<CheckInScreen stop={stop} />, { ctx, language });
  return { ctx, stop, person };
}

const row = (ctx: ApiContext, id: string) =>
  ctx.store.db.prepare('SELECT given_name AS g, family_name AS f, name_ko AS ko, email FROM attendees WHERE id = ?').get(id) as { g: string; f: string; ko: string; email: string };

describe('correcting an attendee at the desk', () => {
  it('corrects a misspelt name, shows who changed what in the history, and offers the badge reprint with the new name', async () => {
    const { ctx, person } = setup('en');
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Search attendees' }), person.f);
    const name = `${person.g} ${person.f}`;
    await user.click(await screen.findByRole('button', { name: new RegExp(`^Edit the details of ${name}`) }));
    const dialog = await screen.findByRole('dialog', { name: new RegExp(`^Correct details of ${name}`) });
    const given = within(dialog).getByRole('textbox', { name: 'Given name (Latin)' });
    await user.clear(given);
    await user.type(given, 'Corrected');
    await user.click(within(dialog).getByRole('button', { name: 'Save corrections' }));
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Saved.');
    expect(row(ctx, person.id).g).toBe('Corrected');
    await user.click(within(dialog).getByRole('button', { name: 'Reprint badge' }));
    const badge = await screen.findByRole('dialog', { name: 'Name badges' });
    expect(within(badge).getByRole('radio', { name: new RegExp(`^Corrected ${person.f}`) })).toBeChecked();
    await user.click(within(badge).getByRole('button', { name: 'Close' }));

    await user.click(await screen.findByRole('button', { name: new RegExp(`^History of Corrected ${person.f}`) }));
    const details = await screen.findByRole('table', { name: 'Changes to details' });
    expect(details).toHaveTextContent('Corrected by Park Jiwoo at Desk 1');
    expect(details).toHaveTextContent(`Given name: ${person.g} → Corrected`);
  });

  it('keeps what was typed and says why when the last name is erased (Korean)', async () => {
    const { ctx, person } = setup('ko');
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: '참가자 검색' }), person.f);
    await user.click(await screen.findByRole('button', { name: new RegExp(`^${person.g} ${person.f}.* 정보 수정$`) }));
    const dialog = await screen.findByRole('dialog', { name: /정보 바로잡기$/ });
    await user.clear(within(dialog).getByRole('textbox', { name: '이름 (영문)' }));
    await user.clear(within(dialog).getByRole('textbox', { name: '성 (영문)' }));
    await user.clear(within(dialog).getByRole('textbox', { name: '한글 이름' }));
    const email = within(dialog).getByRole('textbox', { name: '이메일' });
    await user.clear(email);
    await user.type(email, 'new@example.edu');
    await user.click(within(dialog).getByRole('button', { name: '수정 내용 저장' }));
    expect(await within(dialog).findByText('영문 또는 한글 이름을 입력하세요')).toBeInTheDocument();
    expect(email).toHaveValue('new@example.edu');
    expect(row(ctx, person.id).g).toBe(person.g);
  });

  it('flags two desks’ clashing corrections and lets the desk keep one', async () => {
    store = createTestStore({ demo: true, attendees: 40 });
    const p = store.db.prepare("SELECT a.id, a.given_name AS g, a.family_name AS f, a.email FROM registrations r JOIN attendees a ON a.id = r.attendee_id WHERE r.stop_id = ? AND a.given_name <> '' ORDER BY r.id LIMIT 1").get(DEMO_STOP) as { id: string; g: string; f: string; email: string };
    // Two desks, offline, both from the original details (no base): different emails.
    store.events.append('attendee_corrected', { attendeeId: p.id, baseCorrectionIds: [], changes: [{ field: 'email', before: p.email, after: 'desk.a@example.edu' }], desk: 'Desk A' }, { actorId: null });
    store.events.append('attendee_corrected', { attendeeId: p.id, baseCorrectionIds: [], changes: [{ field: 'email', before: p.email, after: 'desk.b@example.edu' }], desk: 'Desk B' }, { actorId: null });
    const ctx = createTestContext(store);
    const stop = store.db.prepare('SELECT id, tour_id AS tourId, round, city, city_ko AS cityKo, venue, campus, date, time_zone AS timeZone, kind FROM stops WHERE id = ?').get(DEMO_STOP) as Stop;
    renderWithApp(<CheckInScreen stop={stop} />, { ctx, language: 'en' });
    const user = userEvent.setup();
    await screen.findByText('1 person has conflicting edits from two desks');
    await user.click(screen.getByRole('button', { name: new RegExp(`^Resolve: ${p.g}`) }));
    const dialog = await screen.findByRole('dialog', { name: /^Correct details of/ });
    expect(within(dialog).getByText('Two desks changed these details at the same time')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: /desk\.a@example\.edu/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Keep the chosen values' }));
    expect(await within(dialog).findByRole('status')).toHaveTextContent('Saved.');
    expect(row(ctx, p.id).email).toBe('desk.a@example.edu');
    await waitFor(() => expect(screen.queryByText(/conflicting edits from two desks/)).not.toBeInTheDocument());
  });

  it('suggests the Latin name of a Hangul-only walk-in, which the desk confirms and corrects before saving', async () => {
    const { ctx } = setup('en');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Register walk-in' }));
    const dialog = await screen.findByRole('dialog', { name: 'Walk-in registration' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name in Hangul' }), '최서윤');
    const hint = await within(dialog).findByRole('region', { name: 'Latin name from the Hangul: Seoyun Choi' });
    expect(hint).toHaveTextContent('By the rules the family name is “Choe”');
    await user.click(within(hint).getByRole('button', { name: 'Use this spelling' }));
    expect(within(dialog).getByRole('textbox', { name: 'Family name (Latin)' })).toHaveValue('Choi');
    const given = within(dialog).getByRole('textbox', { name: 'Given name (Latin)' });
    expect(given).toHaveValue('Seoyun');
    expect(within(dialog).queryByRole('region', { name: /Latin name from the Hangul/ })).not.toBeInTheDocument();
    await user.clear(given);
    await user.type(given, 'Seo-yoon');
    // Nothing is chosen for the person (issue #22): their career stage and consent are asked.
    await pick(user, /^Career stage/, 'Postdoc', dialog);
    await user.click(within(dialog).getByRole('radio', { name: /^HQ statistics only/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /made this choice themselves/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Register and check in' }));
    await screen.findByRole('status', { name: /Walk-in/i });
    const saved = ctx.store.db.prepare("SELECT family_name AS f, given_name AS g FROM attendees WHERE name_ko = '최서윤'").get() as { f: string; g: string };
    expect(saved).toEqual({ f: 'Choi', g: 'Seo-yoon' });
  });
});
