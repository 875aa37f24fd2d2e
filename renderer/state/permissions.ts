import type { AuthStatus } from '../../shared/ipc/securityContract';
import type { StaffRole } from '../../shared/schemas/staff';
import { useAuthStore } from './authStore';

/**
 * What the signed-in person may change, mirroring core's role rules (core/api/authorization.ts) so the
 * screens show only the controls that would work. Core checks every call again; this only hides buttons.
 * A desk that does not enforce sign-in (trusted in-process callers, tests) may do everything.
 */
const CONFIGURES: readonly StaffRole[] = ['stop_lead', 'hq_admin'];

/** Sessions, booths and their plans, sync set-up, the desk's stop ('settings.configure'). */
export const canConfigure = (status: AuthStatus | null): boolean => !status?.enforced || CONFIGURES.includes(status.signedIn?.role as StaffRole);

/** Adding and planning staff ('staff.manage'). */
export const canManageStaff = canConfigure;

export const useCanConfigure = (): boolean => useAuthStore((s) => canConfigure(s.status));

const CHECKS_IN: readonly StaffRole[] = ['desk_staff', 'stop_lead', 'hq_admin'];

/** Correcting a person's details at the desk ('checkin.write'): booth staff only read them. */
export const canCorrectAttendees = (status: AuthStatus | null): boolean => !status?.enforced || CHECKS_IN.includes(status.signedIn?.role as StaffRole);

export const useCanCorrectAttendees = (): boolean => useAuthStore((s) => canCorrectAttendees(s.status));
