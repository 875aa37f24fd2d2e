import type { StaffRole } from './staff';

/**
 * What a signed-in person may do, by role. Core checks every call against these (core/api/authorization.ts
 * maps each channel to one permission); the renderer receives the signed-in person's list in `auth:status`
 * and shows only the tools they may use. One table for both, so the screens never offer what core refuses.
 */
export const PERMISSIONS = [
  'public',
  'signedIn',
  'attendees.read',
  'checkin.write',
  'booths.write',
  'consultations.write',
  'sync.run',
  'settings.configure',
  'staff.manage',
  'backup.manage',
  'retention.purge',
  /** Planning the tour itself: tours, stops, institutions, the tour spreadsheet (HQ). */
  'tour.plan',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const DESK: readonly Permission[] = ['signedIn', 'attendees.read', 'checkin.write', 'booths.write', 'sync.run'];
const BOOTH: readonly Permission[] = ['signedIn', 'attendees.read', 'booths.write', 'consultations.write'];
const LEAD: readonly Permission[] = [...new Set<Permission>([...DESK, ...BOOTH, 'settings.configure', 'staff.manage', 'backup.manage', 'retention.purge'])];

export const ROLE_PERMISSION_LIST: Readonly<Record<StaffRole, readonly Permission[]>> = {
  desk_staff: DESK,
  booth_staff: BOOTH,
  stop_lead: LEAD,
  hq_admin: [...LEAD, 'tour.plan'],
};
