import { z } from 'zod';
import { Id, NonEmpty } from '../schemas/common';
import { PERMISSIONS } from '../schemas/permissions';
import { Pin, STAFF_ROLES, StaffView } from '../schemas/staff';

export const AuthStatus = z.object({
  /** False only for trusted in-process callers (tests): the app always signs people in. */
  enforced: z.boolean(),
  signedIn: StaffView.nullable(),
  /**
   * What the signed-in person may do (shared/schemas/permissions.ts): the screens show only these tools.
   * Every permission when sign-in is not enforced; only 'public' on a locked desk.
   */
  permissions: z.array(z.enum(PERMISSIONS)),
  /** No staff at all yet: the first start asks for the stop lead's name and PIN. */
  needsSetup: z.boolean(),
  /** The store holds the demo tour and its demo staff (PINs in the README). */
  demo: z.boolean(),
  lockAfterMinutes: z.number(),
  /** Who can sign in at this desk (active staff), for the sign-in list. */
  staff: z.array(StaffView),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const BackupView = z.object({
  name: z.string(),
  reason: z.enum(['sync', 'hourly', 'manual', 'pre-restore', 'purge']),
  createdAt: z.string(),
  bytes: z.number().int(),
});
export type BackupView = z.infer<typeof BackupView>;

export const StopDigest = z.object({
  stopId: Id,
  /** Events held for this stop (by their stop id), and a SHA-256 over their sorted event ids. */
  eventCount: z.number().int().nonnegative(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type StopDigest = z.infer<typeof StopDigest>;

export const PurgeResult = z.object({ stopId: Id, attendeesPurged: z.number().int(), eventsRedacted: z.number().int(), backupsRemoved: z.number().int() });
export type PurgeResult = z.infer<typeof PurgeResult>;

const BackupName = z.string().regex(/^roadshow-\d{8}T\d{9}Z-\d{3}-[a-z-]+\.sqlite$/, 'not a backup file name');

export const securityContract = {
  'auth:status': { input: z.object({}), output: AuthStatus },
  'auth:signIn': { input: z.object({ staffId: Id, pin: z.string().min(1).max(64) }), output: AuthStatus },
  'auth:lock': { input: z.object({}), output: AuthStatus },
  /** First start without any staff: creates the stop lead and signs them in. */
  'auth:setup': { input: z.object({ name: NonEmpty(100), pin: Pin }), output: AuthStatus },
  /** A planned staff member's first sign-in: their one-time setup code and the PIN they choose. */
  'auth:firstSignIn': { input: z.object({ staffId: Id, setupCode: z.string().trim().min(1).max(64), pin: Pin }), output: AuthStatus },
  'staff:list': { input: z.object({}), output: z.array(StaffView) },
  'staff:create': {
    input: z.object({ name: NonEmpty(100), role: z.enum(STAFF_ROLES), institutionId: Id.nullable().default(null), pin: Pin }),
    output: StaffView,
  },
  /** Own PIN (with the current one), or anyone's by a stop lead / HQ admin. */
  'staff:setPin': { input: z.object({ staffId: Id, pin: Pin, currentPin: z.string().max(64).optional() }), output: StaffView },
  'staff:deactivate': { input: z.object({ staffId: Id }), output: StaffView },
  'backup:list': { input: z.object({}), output: z.array(BackupView) },
  'backup:create': { input: z.object({}), output: BackupView },
  'backup:restore': { input: z.object({ name: BackupName }), output: z.object({ restored: BackupView, events: z.number().int(), deviceId: z.string() }) },
  'retention:stopDigest': { input: z.object({ stopId: Id }), output: StopDigest },
  /**
   * Remove the stop's personal data here, once HQ holds exactly this laptop's events of the stop:
   * core fetches HQ's digest itself (retention:check); the caller cannot vouch for HQ.
   */
  'retention:purgeStop': { input: z.object({ stopId: Id }), output: PurgeResult },
} as const;
