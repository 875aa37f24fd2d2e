import { screen, within } from '@testing-library/react';
import { ROLE_PERMISSION_LIST } from '../../../shared/schemas/permissions';
import type userEvent from '@testing-library/user-event';
import type { AuthStatus } from '../../../shared/ipc/securityContract';
import type { StaffRole } from '../../../shared/schemas/staff';

/** Chooses an option of a Mantine Select (its options are in a portal, hidden to jsdom's style check). */
export async function pick(user: ReturnType<typeof userEvent.setup>, label: string | RegExp, option: string | RegExp, container?: HTMLElement) {
  const input = (container ? within(container) : screen).getByRole('textbox', { name: label });
  await user.click(input);
  // A Select names its listbox in aria-controls; a MultiSelect's search field does not: take the open one.
  const listbox = document.getElementById(input.getAttribute('aria-controls') ?? '') ?? screen.getAllByRole('listbox', { hidden: true }).at(-1)!;
  await user.click(within(listbox).getByRole('option', { name: option, hidden: true }));
}

/** The sign-in state of someone with `role` on a desk that enforces sign-in (what the screens read). */
export function signedInAs(role: StaffRole): AuthStatus {
  return {
    enforced: true,
    signedIn: { id: `staff-${role}`, name: role, role, institutionId: role === 'booth_staff' ? 'inst-kaist' : null, active: true, stopIds: [], pinSet: true },
    permissions: [...ROLE_PERMISSION_LIST[role]],
    needsSetup: false,
    demo: true,
    lockAfterMinutes: 10,
    staff: [],
  };
}
