import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { AuthStatus, BackupView, securityContract } from '../../shared/ipc/securityContract';
import type { StaffRole, StaffView } from '../../shared/schemas/staff';
import { hashPin, verifyPin } from '../security/pinHash';
import { normaliseSetupCode } from '../security/setupCode';
import { localStopDigest, purgeStopPersonalData } from '../security/retention';
import { requireHqConfirmation } from '../security/purgeCheck';
import { importRunner } from '../import/importRunner';
import { backupDir, createBackup, listBackups, type BackupInfo } from '../store/backup';
import { perDb } from '../store/perDb';
import { createStaffQueries } from '../store/queries/staffQueries';
import type { ApiContext } from './apiContext';
import { can, permissionsOf, requireManage, requirePermission } from './authorization';
import type { HandlerMap } from './handler';

const staffQ = perDb(createStaffQueries);
/** Compared against when the staff id is unknown, so a wrong id costs as long as a wrong PIN. */
// Verified against when the staff member is unknown, so a wrong name costs as long as a wrong PIN.
// Made on the first sign-in, not at start-up (a scrypt hash is ~0.2 s).
let dummyHash: string | null = null;
const DUMMY_HASH = (): string => (dummyHash ??= hashPin('000000'));

function status(ctx: ApiContext): AuthStatus {
  const q = staffQ(ctx.store.db);
  const session = ctx.session;
  const signedInId = session ? (session.staff?.id ?? null) : ctx.actorId;
  const signedIn = signedInId ? q.byId(signedInId) : null;
  const demo = ctx.store.db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'demo_staff'").get()?.value === '1';
  return {
    enforced: session !== undefined,
    signedIn: signedIn ? publicView(signedIn) : null,
    permissions: permissionsOf(ctx),
    needsSetup: q.count() === 0,
    demo,
    lockAfterMinutes: session?.lockAfterMinutes ?? 10,
    staff: q.list().filter((s) => s.active),
  };
}

function signInAs(ctx: ApiContext, staff: StaffView): void {
  ctx.session?.signIn({ id: staff.id, name: staff.name, role: staff.role, institutionId: staff.institutionId });
  ctx.actorId = staff.id;
}

function requireStaff(ctx: ApiContext, staffId: string) {
  const s = staffQ(ctx.store.db).byId(staffId);
  if (!s) throw new AppError('NOT_FOUND', `No staff ${staffId}`, { staffId });
  return s;
}

/** A staff member without their PIN and setup-code hashes. */
function publicView(s: StaffView & { pinHash: string | null; setupCodeHash: string | null }): StaffView {
  const { pinHash: _p, setupCodeHash: _c, ...view } = s;
  return view;
}

const toView = (b: BackupInfo): BackupView => ({ name: b.name, reason: b.reason, createdAt: b.createdAt, bytes: b.bytes });

export const securityHandlers: HandlerMap<keyof typeof securityContract> = {
  'auth:status': (_input, ctx) => status(ctx),

  'auth:signIn': async ({ staffId, pin }, ctx) => {
    const session = ctx.session;
    const wait = session?.retryAfterMs(staffId) ?? 0;
    if (wait > 0) throw new AppError('TOO_MANY_ATTEMPTS', 'Too many wrong PINs', { seconds: Math.ceil(wait / 1000) });
    const staff = staffQ(ctx.store.db).byId(staffId);
    const usable = staff !== null && staff.active && staff.pinHash !== null;
    const ok = await verifyPin(pin, usable ? staff.pinHash! : DUMMY_HASH());
    if (!ok || !usable) {
      session?.recordFailure(staffId);
      throw new AppError('WRONG_PIN', 'Wrong staff or PIN');
    }
    signInAs(ctx, staff);
    return status(ctx);
  },

  'auth:firstSignIn': async ({ staffId, setupCode, pin }, ctx) => {
    const session = ctx.session;
    const wait = session?.retryAfterMs(staffId) ?? 0;
    if (wait > 0) throw new AppError('TOO_MANY_ATTEMPTS', 'Too many wrong codes', { seconds: Math.ceil(wait / 1000) });
    const staff = staffQ(ctx.store.db).byId(staffId);
    if (staff?.pinHash) throw new AppError('CONFLICT', 'This person has chosen a PIN already: sign in with it');
    const usable = staff !== null && staff.active && staff.setupCodeHash !== null;
    // Verified against a dummy when there is no code, so a missing code costs as long as a wrong one.
    const ok = await verifyPin(normaliseSetupCode(setupCode), usable ? staff.setupCodeHash! : DUMMY_HASH());
    if (!usable) {
      session?.recordFailure(staffId);
      throw new AppError('NO_SETUP_CODE', 'No setup code for this person: ask the stop lead to set a PIN');
    }
    if (!ok) {
      session?.recordFailure(staffId);
      throw new AppError('WRONG_SETUP_CODE', 'Wrong setup code');
    }
    ctx.store.events.append('staff_pin_set', { staffId, pinHash: hashPin(pin) }, { actorId: staffId });
    signInAs(ctx, staffQ(ctx.store.db).byId(staffId)!);
    return status(ctx);
  },

  'auth:lock': (_input, ctx) => {
    ctx.session?.lock();
    ctx.actorId = null;
    return status(ctx);
  },

  'auth:setup': ({ name, pin }, ctx) => {
    const q = staffQ(ctx.store.db);
    const staffId = `staff-${randomUUID()}`;
    const pinHash = hashPin(pin);
    ctx.store.events.transaction(() => {
      if (q.count() > 0) throw new AppError('CONFLICT', 'This desk already has staff: sign in instead');
      ctx.store.events.append('staff_created', { staffId, name, role: 'stop_lead', institutionId: null, pinHash }, { actorId: staffId });
    });
    signInAs(ctx, q.byId(staffId)!);
    return status(ctx);
  },

  'staff:list': (_input, ctx) => staffQ(ctx.store.db).list(),

  'staff:create': ({ name, role, institutionId, pin }, ctx) => {
    requireManage(ctx, role);
    const inst = role === 'booth_staff' ? institutionId : null;
    if (role === 'booth_staff') {
      if (!inst) throw new AppError('VALIDATION', 'Booth staff need an institution', { issues: [{ path: 'institutionId', message: 'required', code: 'custom' }] });
      if (!ctx.store.db.prepare('SELECT 1 FROM institutions WHERE id = ?').get(inst)) throw new AppError('NOT_FOUND', `No institution ${inst}`, { institutionId: inst });
    }
    const staffId = `staff-${randomUUID()}`;
    ctx.store.events.append('staff_created', { staffId, name, role, institutionId: inst, pinHash: hashPin(pin) }, { actorId: ctx.actorId });
    return publicView(staffQ(ctx.store.db).byId(staffId)!);
  },

  'staff:setPin': async ({ staffId, pin, currentPin }, ctx) => {
    const target = requireStaff(ctx, staffId);
    const self = ctx.session?.staff?.id === staffId;
    if (self) {
      if (!currentPin || !target.pinHash || !(await verifyPin(currentPin, target.pinHash))) throw new AppError('WRONG_PIN', 'The current PIN is wrong');
    } else {
      requirePermission(ctx, 'staff.manage');
      requireManage(ctx, target.role);
    }
    ctx.store.events.append('staff_pin_set', { staffId, pinHash: hashPin(pin) }, { actorId: ctx.actorId });
    return publicView(staffQ(ctx.store.db).byId(staffId)!);
  },

  'staff:deactivate': ({ staffId }, ctx) => {
    const target = requireStaff(ctx, staffId);
    requireManage(ctx, target.role);
    if (ctx.session?.staff?.id === staffId) throw new AppError('CONFLICT', 'You cannot deactivate yourself');
    if (target.active) ctx.store.events.append('staff_deactivated', { staffId }, { actorId: ctx.actorId });
    return publicView(staffQ(ctx.store.db).byId(staffId)!);
  },

  'backup:list': (_input, ctx) => listBackups(backupDir(ctx.dataDir)).map(toView),

  'backup:create': (_input, ctx) => toView(createBackup(ctx.store, backupDir(ctx.dataDir), 'manual')),

  'backup:restore': async ({ name }, ctx) => {
    const vault = ctx.vault;
    if (!vault) throw new AppError('CONFLICT', 'Restore is not available in this context');
    const backup = listBackups(backupDir(ctx.dataDir)).find((b) => b.name === name);
    if (!backup) throw new AppError('NOT_FOUND', `No backup ${name}`, { name });
    vault.verify(backup.path);
    // The import worker's connection goes first: an import committing now would be in neither copy.
    await importRunner(ctx.store).close();
    // Keep what is here now, in case the restore was a mistake.
    createBackup(ctx.store, backupDir(ctx.dataDir), 'pre-restore');
    ctx.store.close();
    let restored: { events: number; deviceId: string };
    try {
      restored = vault.restore(backup.path);
    } finally {
      ctx.store = vault.open();
    }
    // A different store may hold different staff: the desk signs in again.
    ctx.session?.lock();
    ctx.actorId = null;
    return { restored: toView(backup), ...restored };
  },

  'retention:stopDigest': ({ stopId }, ctx) => localStopDigest(ctx.store.db, stopId),

  'retention:purgeStop': async ({ stopId }, ctx) => {
    if (!can(ctx, 'retention.purge')) throw new AppError('FORBIDDEN_ROLE', 'Only a stop lead may purge');
    // Issue #19: the proof is fetched here from HQ (or the hub, with HQ's confirmation), never
    // taken from the caller, who could pass this laptop's own digest.
    const hqConfirmation = await requireHqConfirmation(ctx.store, stopId);
    // No other connection may hold the file: the WAL truncation and VACUUM that follow must not be
    // refused (busy), or old pages with the purged people would stay on disk. Uploads in progress go.
    await importRunner(ctx.store).close();
    return purgeStopPersonalData(ctx.store, { stopId, hqConfirmation, actorId: ctx.actorId, dataDir: ctx.dataDir });
  },
};
