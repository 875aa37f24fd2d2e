import { AppError, type ApiErrorShape } from '../../shared/errors';
import { PERMISSIONS, ROLE_PERMISSION_LIST, type Permission } from '../../shared/schemas/permissions';
import type { StaffRole } from '../../shared/schemas/staff';
import type { ApiContext } from './apiContext';

/**
 * Who may call what. Every channel needs a signed-in person unless listed as 'public'; a channel
 * not listed here needs 'signedIn' only, so a new feature's channels are never open to a locked
 * desk. Booth staff see only their own institution: channels that name an institution in their
 * input are checked here (`institutionFrom`); handlers that load a record by id call
 * `assertInstitutionVisible(ctx, record.institutionId)` themselves.
 */
export { PERMISSIONS, type Permission } from '../../shared/schemas/permissions';

/** The role table lives in shared/schemas/permissions.ts: the renderer shows tools by the same table. */
export const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  desk_staff: new Set(ROLE_PERMISSION_LIST.desk_staff),
  booth_staff: new Set(ROLE_PERMISSION_LIST.booth_staff),
  stop_lead: new Set(ROLE_PERMISSION_LIST.stop_lead),
  hq_admin: new Set(ROLE_PERMISSION_LIST.hq_admin),
};

interface ChannelRule {
  permission: Permission;
  /** The institution the call is about, when the input names one (booth staff: only their own). */
  institutionFrom?: (input: Record<string, unknown>) => string | null | undefined;
  /** Input that needs more than `permission` (e.g. settings that configure the desk). */
  escalate?: (input: Record<string, unknown>) => Permission | null;
}

const byInstitution = (input: Record<string, unknown>) => (typeof input.institutionId === 'string' ? input.institutionId : null);

export const CHANNEL_RULES: Record<string, ChannelRule> = {
  // Needed on the lock screen: language, which app this is, who can sign in.
  'app:info': { permission: 'public' },
  'settings:get': { permission: 'public' },
  'auth:status': { permission: 'public' },
  // The first screen's reads in one call: each is authorised as its own channel (core/api/bootHandlers.ts).
  'app:boot': { permission: 'public' },
  'auth:signIn': { permission: 'public' },
  'auth:setup': { permission: 'public' },
  'auth:firstSignIn': { permission: 'public' },
  'auth:lock': { permission: 'public' },
  // The language may change on the lock screen; the desk's name and stop only by a stop lead.
  'settings:update': {
    permission: 'public',
    escalate: (i) => (i.deskName !== undefined || i.currentStopId !== undefined || i.currentTourId !== undefined ? 'settings.configure' : null),
  },
  'tour:get': { permission: 'signedIn' },
  'stops:list': { permission: 'signedIn' },
  'institutions:list': { permission: 'signedIn' },
  'booths:list': { permission: 'signedIn' },
  // Tour planning (issue #18): the tour itself is HQ's; a stop lead adapts the stop on site.
  'tours:list': { permission: 'signedIn' },
  'sessions:list': { permission: 'signedIn' },
  'tour:upsert': { permission: 'tour.plan' },
  'stop:upsert': { permission: 'tour.plan' },
  'institution:upsert': { permission: 'tour.plan' },
  // Issue #21: programmes are master data; consultations at any desk name them.
  'programs:list': { permission: 'signedIn' },
  'program:upsert': { permission: 'tour.plan' },
  'session:upsert': { permission: 'settings.configure' },
  'booth:upsert': { permission: 'settings.configure' },
  'booth:remove': { permission: 'settings.configure' },
  'booths:copyFromStop': { permission: 'settings.configure' },
  'staff:plan': { permission: 'staff.manage' },
  'tourplan:template': { permission: 'tour.plan' },
  'tourplan:check': { permission: 'tour.plan' },
  'tourplan:apply': { permission: 'tour.plan' },
  'tourplan:export': { permission: 'tour.plan' },
  'checkin:search': { permission: 'attendees.read' },
  'checkin:byToken': { permission: 'attendees.read' },
  'checkin:scan': { permission: 'checkin.write' },
  'checkin:checkIn': { permission: 'checkin.write' },
  'checkin:void': { permission: 'checkin.write' },
  'checkin:counts': { permission: 'signedIn' },
  'checkin:registerWalkIn': { permission: 'checkin.write' },
  'checkin:registerExisting': { permission: 'checkin.write' },
  'checkin:similar': { permission: 'attendees.read' },
  'checkin:history': { permission: 'attendees.read' },
  // Session check-in (issue #19): the same permissions as the stop's door.
  'sessions:search': { permission: 'attendees.read' },
  'sessions:attendees': { permission: 'attendees.read' },
  'sessions:checkIn': { permission: 'checkin.write' },
  'sessions:scan': { permission: 'checkin.write' },
  'sessions:void': { permission: 'checkin.write' },
  'sessions:counts': { permission: 'signedIn' },
  // Correcting a person's details is desk work (booth staff read people, they do not rewrite them).
  'attendees:get': { permission: 'attendees.read' },
  'attendees:edit': { permission: 'checkin.write' },
  'attendees:resolve': { permission: 'checkin.write' },
  'attendees:history': { permission: 'attendees.read' },
  'attendees:flagged': { permission: 'attendees.read' },
  'booths:schedule': { permission: 'signedIn' },
  'booths:setPlan': { permission: 'settings.configure' },
  'booths:copyPlans': { permission: 'settings.configure' },
  'booths:book': { permission: 'booths.write' },
  'booths:walkUp': { permission: 'booths.write' },
  'booths:move': { permission: 'booths.write' },
  'booths:cancel': { permission: 'booths.write' },
  'booths:markAttendance': { permission: 'booths.write' },
  'booths:waitlistJoin': { permission: 'booths.write' },
  'booths:waitlistLeave': { permission: 'booths.write' },
  'booths:acceptOffer': { permission: 'booths.write' },
  'booths:declineOffer': { permission: 'booths.write' },
  'booths:resolveConflict': { permission: 'settings.configure' },
  'consultations:log': { permission: 'consultations.write', institutionFrom: byInstitution },
  // Without an institution the handler narrows booth staff to their own (institutionScope).
  'consultations:list': { permission: 'consultations.write', institutionFrom: (i) => byInstitution(i) ?? undefined },
  'consultations:exportFollowUps': { permission: 'consultations.write', institutionFrom: byInstitution },
  'consultations:get': { permission: 'consultations.write' },
  'consultations:edit': { permission: 'consultations.write' },
  'consultations:resolve': { permission: 'consultations.write' },
  'consultations:recordConsent': { permission: 'consultations.write' },
  'consultations:attendeeConsent': { permission: 'consultations.write' },
  // Issue #22: a person's consents with the version of the text they agreed to (booth staff: only what covers them).
  'consent:history': { permission: 'attendees.read' },
  // Registration import (CSV/XLSX): the stop lead prepares the stop's list.
  'import:upload': { permission: 'settings.configure' },
  'import:parse': { permission: 'settings.configure' },
  'import:check': { permission: 'settings.configure' },
  'import:commit': { permission: 'settings.configure' },
  'import:discard': { permission: 'settings.configure' },
  'import:prepare': { permission: 'settings.configure' },
  'import:template': { permission: 'signedIn' },
  'import:rejectedRows': { permission: 'settings.configure' },
  'import:progress': { permission: 'settings.configure' },
  // Sync: any desk may sync and check the digest; connecting the laptop to HQ is the stop lead's.
  'sync:configure': { permission: 'settings.configure' },
  'sync:enroll': { permission: 'settings.configure' },
  'sync:now': { permission: 'sync.run' },
  'sync:status': { permission: 'signedIn' },
  'sync:digest': { permission: 'sync.run' },
  // Venue hub: connecting and forgetting it is the stop lead's; any desk may sync and pause its loop.
  'hub:connect': { permission: 'settings.configure' },
  'hub:auto': { permission: 'sync.run' },
  'hub:status': { permission: 'signedIn' },
  'hub:syncNow': { permission: 'sync.run' },
  'hub:forget': { permission: 'settings.configure' },
  'hub:serve': { permission: 'settings.configure' },
  'hub:serveStatus': { permission: 'signedIn' },
  'hub:rejoinCode': { permission: 'settings.configure' },
  // A bundle holds every event of the laptop, consultation notes included: a lead's (issue #17).
  'bundle:export': { permission: 'settings.configure' },
  'bundle:import': { permission: 'settings.configure' },
  // Badges carry names: desk staff print them at check-in.
  'badges:pdf': { permission: 'checkin.write' },
  'badges:data': { permission: 'checkin.write' },
  'badges:print': { permission: 'checkin.write' },
  'closing:check': { permission: 'sync.run' },
  'staff:list': { permission: 'staff.manage' },
  'staff:create': { permission: 'staff.manage' },
  'staff:deactivate': { permission: 'staff.manage' },
  'staff:setPin': { permission: 'signedIn' },
  'backup:list': { permission: 'backup.manage' },
  'backup:create': { permission: 'backup.manage' },
  'backup:restore': { permission: 'backup.manage' },
  'retention:stopDigest': { permission: 'retention.purge' },
  'retention:purgeStop': { permission: 'retention.purge' },
  // No-show and waitlist-offer rules of a stop (issue #19): everyone at the stop reads them, the stop lead sets them.
  'noshow:settings': { permission: 'signedIn' },
  'noshow:setSettings': { permission: 'settings.configure' },
  'retention:check': { permission: 'retention.purge' },
  // Issue #19: the conflict list at the desk; resolving needs the permission of the action it runs.
  'conflicts:list': { permission: 'signedIn' },
  'conflicts:resolve': {
    permission: 'signedIn',
    escalate: (i) => (i.kind === 'double_check_in' ? 'checkin.write' : i.kind === 'booking' ? 'settings.configure' : 'consultations.write'),
  },
  // Issue #17 part 4: the app's updates. Whoever works at the desk sees the notice and may restart it into the
  // new version (nothing is lost: every write is already in the store); installing needs a signed download.
  'app:updateStatus': { permission: 'signedIn' },
  'app:checkForUpdates': { permission: 'signedIn' },
  'app:installUpdate': { permission: 'signedIn' },
};

export function ruleFor(channel: string): ChannelRule {
  return CHANNEL_RULES[channel] ?? { permission: 'signedIn' };
}

/** True when the caller is a trusted in-process caller (no desk session) or holds `permission`. */
export function can(ctx: ApiContext, permission: Permission): boolean {
  if (permission === 'public' || !ctx.session) return true;
  const staff = ctx.session.staff;
  return staff !== null && ROLE_PERMISSIONS[staff.role].has(permission);
}

/** Every permission the caller holds (all of them for a trusted in-process caller), as `auth:status` reports it. */
export function permissionsOf(ctx: ApiContext): Permission[] {
  if (!ctx.session) return [...PERMISSIONS];
  const staff = ctx.session.staff;
  return staff ? [...ROLE_PERMISSION_LIST[staff.role]] : ['public'];
}

/** For handlers: throws the translated error when the signed-in person may not do this. */
export function requirePermission(ctx: ApiContext, permission: Permission): void {
  if (can(ctx, permission)) return;
  if (!ctx.session?.staff) throw new AppError('SIGN_IN_REQUIRED', 'Sign in first');
  throw new AppError('FORBIDDEN_ROLE', `A ${ctx.session.staff.role} may not do this`, { role: ctx.session.staff.role, permission });
}

/** Who may create, plan, re-PIN or deactivate whom: a stop lead manages desk and booth staff; HQ admins anyone. */
export function mayManage(ctx: ApiContext, target: StaffRole): boolean {
  const me = ctx.session?.staff;
  if (!ctx.session) return true;
  if (!me) return false;
  if (me.role === 'hq_admin') return true;
  return me.role === 'stop_lead' && (target === 'desk_staff' || target === 'booth_staff');
}

export function requireManage(ctx: ApiContext, target: StaffRole): void {
  if (!mayManage(ctx, target)) throw new AppError('FORBIDDEN_ROLE', `May not manage a ${target}`, { role: ctx.session?.staff?.role, target });
}

/** The only institution the caller may see, or null for everyone who may see all of them. */
export function institutionScope(ctx: ApiContext): string | null {
  const staff = ctx.session?.staff;
  if (!staff || staff.role !== 'booth_staff') return null;
  // Booth staff without an institution see none: '' matches no institution id.
  return staff.institutionId ?? '';
}

/** For handlers loading a record by id: booth staff may only touch their own institution's. */
export function assertInstitutionVisible(ctx: ApiContext, institutionId: string | null): void {
  const scope = institutionScope(ctx);
  if (scope !== null && institutionId !== scope) {
    throw new AppError('FORBIDDEN_ROLE', 'Booth staff see only their own institution', { institutionId });
  }
}

/**
 * The check `dispatch` runs for every call after the input is parsed: locks an idle desk, then
 * answers SIGN_IN_REQUIRED / FORBIDDEN_ROLE, or null when the call may go ahead.
 */
export function authorize(channel: string, input: unknown, ctx: ApiContext): ApiErrorShape | null {
  const session = ctx.session;
  if (!session) return null;
  if (session.expireIfIdle()) ctx.actorId = null;
  const rule = ruleFor(channel);
  const fields = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const extra = rule.escalate?.(fields);
  if (rule.permission === 'public' && !extra) return null;
  try {
    requirePermission(ctx, rule.permission);
    if (extra) requirePermission(ctx, extra);
    if (rule.institutionFrom) {
      const institutionId = rule.institutionFrom(fields);
      if (institutionId !== undefined) assertInstitutionVisible(ctx, institutionId);
    }
  } catch (err) {
    if (err instanceof AppError) return err.toShape();
    throw err;
  }
  session.touch();
  return null;
}
