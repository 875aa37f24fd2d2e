import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { ProgrammeScreen } from '../../../renderer/screens/ProgrammeScreen';
import { useAuthStore } from '../../../renderer/state/authStore';
import { getEmptyProgrammeState, useProgrammeStore } from '../../../renderer/state/programmeStore';
import type { Stop } from '../../../shared/schemas/masterData';
import { callApi } from '../../helpers/callApi';
import { createTestContext, createTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';
import { signedInAs } from './tourTestKit';

const CHICAGO = 'stop-06-chicago-1';
let ctx: ApiContext;
let stop: Stop;

beforeEach(async () => {
  useProgrammeStore.setState(getEmptyProgrammeState());
  useAuthStore.setState({ status: null, locked: false, error: null, busy: false });
  ctx = createTestContext(createTestStore({ demo: true, attendees: 10 }));
  stop = (await callApi(ctx, 'stops:list', {})).find((s) => s.id === CHICAGO)!;
  await callApi(ctx, 'session:upsert', { id: 'sess-brief', stopId: CHICAGO, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '13:00', endTime: '14:00', room: 'Hall A', capacity: 300 });
  await callApi(ctx, 'session:upsert', { id: 'sess-ir', stopId: CHICAGO, kind: 'ir_round', title: 'Company IR', titleKo: '기업 IR', startTime: '15:00', endTime: '16:30', room: 'Room 204', capacity: null, cancelled: true });
});

describe('Programme of the stop', () => {
  it('lists the sessions in the stop’s own time zone, a cancelled one struck through with a badge (English)', async () => {
    renderWithApp(<ProgrammeScreen stop={stop} />, { ctx, language: 'en' });
    const table = await screen.findByRole('table', { name: 'Programme of this stop' });
    const brief = await within(table).findByRole('row', { name: 'Policy briefing' });
    expect(within(brief).getByText('13:00–14:00 (America/Chicago)')).toBeInTheDocument();
    expect(within(brief).getByText('Hall A')).toBeInTheDocument();
    expect(within(brief).getByText('300 seats')).toBeInTheDocument();
    const ir = within(table).getByRole('row', { name: 'Company IR, cancelled' });
    expect(within(ir).getByText('cancelled')).toBeInTheDocument();
    expect(within(ir).getByText('IR round')).toBeInTheDocument();
    expect(within(ir).getByText('15:00–16:30 (America/Chicago)')).toHaveStyle({ textDecoration: 'line-through' });
    expect(within(ir).getByText('no limit')).toBeInTheDocument();
    expect(within(brief).getByText('13:00–14:00 (America/Chicago)')).not.toHaveStyle({ textDecoration: 'line-through' });
  });

  it('in Korean: Korean titles and the cancelled badge; no edit controls for desk staff', async () => {
    useAuthStore.setState({ status: signedInAs('desk_staff') });
    renderWithApp(<ProgrammeScreen stop={stop} />, { ctx, language: 'ko' });
    const table = await screen.findByRole('table', { name: '이 행사의 프로그램' });
    const ir = await within(table).findByRole('row', { name: '기업 IR, 취소됨' });
    expect(within(ir).getByText('취소됨')).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: '정책 설명회' })).toHaveTextContent('300석');
    expect(screen.queryByRole('button', { name: '세션 추가' })).toBeNull();
    expect(within(table).queryAllByRole('button')).toHaveLength(0);
  });

  it('a stop lead adds a session, sees a room clash beside the start time, and cancels one (English)', async () => {
    const user = userEvent.setup();
    useAuthStore.setState({ status: signedInAs('stop_lead') });
    renderWithApp(<ProgrammeScreen stop={stop} />, { ctx, language: 'en' });
    await screen.findByRole('row', { name: 'Policy briefing' });
    await user.click(screen.getByRole('button', { name: 'Add session' }));
    const form = await screen.findByRole('form', { name: 'New session' });
    await user.type(within(form).getByRole('textbox', { name: /^Title \(English\)/ }), 'Campus talk');
    const start = within(form).getByRole('textbox', { name: 'Starts' });
    const end = within(form).getByRole('textbox', { name: 'Ends' });
    await user.clear(start);
    await user.type(start, '13:30');
    await user.clear(end);
    await user.type(end, '14:30');
    await user.type(within(form).getByRole('textbox', { name: 'Room' }), 'Hall A');
    await user.click(within(form).getByRole('button', { name: 'Save session' }));
    // The room holds the briefing then: said beside the start time, nothing written.
    await waitFor(() => expect(start).toHaveAccessibleDescription(/Policy briefing is in this room 13:00–14:00/));
    expect((await callApi(ctx, 'sessions:list', { stopId: CHICAGO })).length).toBe(2);
    await user.clear(within(form).getByRole('textbox', { name: 'Room' }));
    await user.type(within(form).getByRole('textbox', { name: 'Room' }), 'Room 101');
    await user.click(within(form).getByRole('button', { name: 'Save session' }));
    expect(await screen.findByRole('row', { name: 'Campus talk' })).toHaveTextContent('13:30–14:30 (America/Chicago)');
    expect(screen.getByRole('status')).toHaveTextContent('Saved “Campus talk”.');

    await user.click(screen.getByRole('button', { name: 'Cancel session Policy briefing' }));
    expect(await screen.findByRole('row', { name: 'Policy briefing, cancelled' })).toBeInTheDocument();
    const saved = await callApi(ctx, 'sessions:list', { stopId: CHICAGO });
    expect(saved.find((s) => s.id === 'sess-brief')?.cancelled).toBe(true);
    expect(saved).toHaveLength(3);
  });

  it('says beside the end time when a session would end before it starts (Korean)', async () => {
    const user = userEvent.setup();
    renderWithApp(<ProgrammeScreen stop={stop} />, { ctx, language: 'ko' });
    await user.click(await screen.findByRole('button', { name: '정책 설명회 수정' }));
    const form = await screen.findByRole('form', { name: '세션 수정' });
    const end = within(form).getByRole('textbox', { name: '종료' });
    await user.clear(end);
    await user.type(end, '12:00');
    await user.click(within(form).getByRole('button', { name: '세션 저장' }));
    await waitFor(() => expect(end).toHaveAccessibleDescription(/종료 시각은 시작 시각보다 늦어야 합니다/));
    expect(end).toHaveAttribute('aria-invalid', 'true');
  });
});
