import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import { DeskSession } from '../../../core/security/deskSession';
import type { Store } from '../../../core/store/openStore';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { ConflictsScreen } from '../../../renderer/screens/ConflictsScreen';
import { getEmptyConflictsState, useConflictsStore } from '../../../renderer/state/conflictsStore';
import type { StaffRole } from '../../../shared/schemas/staff';
import { conflictScenario } from '../../helpers/conflictScenario';
import { createTestContext, DEMO_STOP, disposeTestStore } from '../../helpers/testStore';
import { renderWithApp } from '../renderWithApp';

const stores: Store[] = [];
beforeEach(() => useConflictsStore.setState(getEmptyConflictsState()));
afterEach(() => {
  for (const s of stores.splice(0)) disposeTestStore(s);
});

async function setUp(role: StaffRole, institutionId: string | null = null): Promise<{ ctx: ApiContext; store: Store }> {
  const s = await conflictScenario();
  stores.push(s.a, s.b);
  const session = new DeskSession();
  session.signIn({ id: `staff-${role}`, name: `Test ${role}`, role, institutionId });
  return { ctx: createTestContext(s.a, { session, actorId: `staff-${role}` }), store: s.a };
}

const stopOf = (store: Store) => createMasterDataQueries(store.db).stops().find((x) => x.id === DEMO_STOP)!;

describe('the desk’s conflict list (issue #19)', () => {
  it('shows desk staff HQ’s list; they undo a double check-in and see who decides the rest (English)', async () => {
    const { ctx, store } = await setUp('desk_staff');
    const user = userEvent.setup();
    renderWithApp(<ConflictsScreen stop={stopOf(store)} />, { ctx, language: 'en' });
    const list = await screen.findByRole('region', { name: 'Open conflicts' });
    const items = await within(list).findAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(within(list).getByText('Double check-in')).toBeInTheDocument();
    expect(within(list).getByText('Slot over capacity')).toBeInTheDocument();
    expect(within(list).getByText('Notes edited on two laptops')).toBeInTheDocument();
    // Only the action desk staff may take is a button; the others say who decides.
    expect(within(list).queryByRole('button', { name: /Cancel the booking/ })).toBeNull();
    expect(within(list).queryByRole('button', { name: /Keep the current notes/ })).toBeNull();
    expect(within(list).getByText('The stop lead decides this')).toBeInTheDocument();
    expect(within(list).getByText('The institution’s booth staff or the stop lead decide this')).toBeInTheDocument();
    await user.click(within(list).getByRole('button', { name: /^Undo the second check-in of / }));
    expect(await screen.findByRole('status')).toHaveTextContent('Resolved. The other desks and HQ get it at their next sync.');
    expect(await within(list).findAllByRole('listitem')).toHaveLength(2);
    expect(store.db.prepare('SELECT reason FROM check_in_voids').all()).toEqual([{ reason: 'Duplicate check-in, resolved at the desk' }]);
  });

  it('lets the stop lead resolve a booking and the consultation until nothing is left (Korean)', async () => {
    const { ctx, store } = await setUp('stop_lead');
    const user = userEvent.setup();
    renderWithApp(<ConflictsScreen stop={stopOf(store)} />, { ctx, language: 'ko' });
    const list = await screen.findByRole('region', { name: '해결할 충돌' });
    expect(await within(list).findAllByRole('listitem')).toHaveLength(3);
    await user.click(within(list).getByRole('button', { name: /의 예약 취소$/ }));
    expect(await screen.findByRole('status')).toHaveTextContent('해결했습니다');
    await user.click(await within(list).findByRole('button', { name: /상담의 현재 기록 유지$/ }));
    await user.click(await within(list).findByRole('button', { name: /의 두 번째 체크인 취소$/ }));
    expect(await within(list).findByText('이 행사에 해결할 충돌이 없습니다.')).toBeInTheDocument();
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM check_in_voids WHERE reason = '중복 체크인, 데스크에서 해결'").get()).toEqual({ n: 1 });
  });

  it('shows booth staff of another institution nothing of GIST’s notes and no buttons', async () => {
    const { ctx, store } = await setUp('booth_staff', 'inst-kaist');
    renderWithApp(<ConflictsScreen stop={stopOf(store)} />, { ctx, language: 'en' });
    const list = await screen.findByRole('region', { name: 'Open conflicts' });
    expect(await within(list).findAllByRole('listitem')).toHaveLength(2);
    expect(within(list).queryAllByRole('button')).toHaveLength(0);
  });
});
