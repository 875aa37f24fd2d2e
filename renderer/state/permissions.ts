import type { AuthStatus } from '../../shared/ipc/securityContract';
import { ROLE_PERMISSION_LIST, type Permission } from '../../shared/schemas/permissions';
import type { Screen } from './navStore';
import { useAuthStore } from './authStore';

/**
 * What the signed-in person may do, as core reports it in `auth:status` (`permissions`, from the one role
 * table in shared/schemas/permissions.ts), so the screens show only the tools that would work. Core checks
 * every call again; this only decides what is shown. A desk that does not enforce sign-in (trusted
 * in-process callers, tests) may do everything.
 */
export function can(status: AuthStatus | null, permission: Permission): boolean {
  if (!status?.enforced || permission === 'public') return true;
  const role = status.signedIn?.role;
  if (!role) return false;
  // An older host without `permissions` in its status: the same table by role.
  const held: readonly Permission[] = status.permissions ?? ROLE_PERMISSION_LIST[role];
  return held.includes(permission);
}

export const useCan = (permission: Permission): boolean => useAuthStore((s) => can(s.status, permission));

/** Sessions, booths and their plans, sync set-up, the desk's stop ('settings.configure'). */
export const canConfigure = (status: AuthStatus | null): boolean => can(status, 'settings.configure');

/** Adding and planning staff ('staff.manage'). */
export const canManageStaff = (status: AuthStatus | null): boolean => can(status, 'staff.manage');

export const useCanConfigure = (): boolean => useCan('settings.configure');

/** Correcting a person's details at the desk ('checkin.write'): booth staff only read them. */
export const canCorrectAttendees = (status: AuthStatus | null): boolean => can(status, 'checkin.write');

export const useCanCorrectAttendees = (): boolean => useCan('checkin.write');

/**
 * The only institution the signed-in person works for (booth staff), or null when they may see all of them
 * (core's `institutionScope`). Booth staff without an institution get '' (no institution is theirs).
 */
export function ownInstitution(status: AuthStatus | null): string | null {
  if (!status?.enforced || status.signedIn?.role !== 'booth_staff') return null;
  return status.signedIn.institutionId ?? '';
}

export const useOwnInstitution = (): string | null => useAuthStore((s) => ownInstitution(s.status));

/**
 * The permission each screen needs to be of use: a screen whose every tool would be refused is not in the
 * navigation (the check-in screen for booth staff, consultations for desk staff).
 */
export const SCREEN_PERMISSION: Record<Screen, Permission> = {
  checkin: 'checkin.write',
  programme: 'signedIn',
  booths: 'signedIn',
  consultations: 'consultations.write',
  conflicts: 'signedIn',
  sync: 'signedIn',
  settings: 'signedIn',
};

export function screensFor(status: AuthStatus | null, screens: readonly Screen[]): Screen[] {
  return screens.filter((s) => can(status, SCREEN_PERMISSION[s]));
}

/** Where someone lands when the screen they were on is not theirs: the desk at the door, booth staff at their consultations. */
export function homeScreen(status: AuthStatus | null, screens: readonly Screen[]): Screen {
  const mine = screensFor(status, screens);
  return (['checkin', 'consultations'] as const).find((s) => mine.includes(s)) ?? mine[0] ?? 'settings';
}
