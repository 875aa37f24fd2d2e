import type { ConflictEntry, conflictsContract } from '../../shared/ipc/conflictsContract';
import { perDb } from '../store/perDb';
import { createConflictQueries, type DerivedConflict } from '../store/queries/conflictQueries';
import type { ApiContext } from './apiContext';
import { readSettings } from './appHandlers';
import { can, institutionScope, requirePermission, type Permission } from './authorization';
import { boothHandlers } from './boothHandlers';
import { checkinHandlers } from './checkinHandlers';
import { consultationHandlers } from './consultationHandlers';
import type { HandlerMap } from './handler';

const conflictQ = perDb(createConflictQueries);

/** Who may resolve each kind: the same permission as the action it runs (core/api/authorization.ts). */
export const RESOLVE_PERMISSION: Record<ConflictEntry['kind'], Permission> = {
  double_check_in: 'checkin.write',
  booking: 'settings.configure',
  consultation: 'consultations.write',
};

/** Booth staff see their own institution's consultations only; everything else everyone signed in sees. */
function visible(ctx: ApiContext, c: DerivedConflict): boolean {
  const scope = institutionScope(ctx);
  return c.kind !== 'consultation' || scope === null || c.institutionId === scope;
}

/** Who resolved it at this desk, for the booking note and the consultation's editor. */
function who(ctx: ApiContext): string {
  const desk = readSettings(ctx).deskName;
  const staff = ctx.session?.staff?.name;
  return (staff ? `${desk} · ${staff}` : desk).slice(0, 100);
}

export const conflictHandlers: HandlerMap<keyof typeof conflictsContract> = {
  'conflicts:list': ({ stopId }, ctx) =>
    conflictQ(ctx.store.db)
      .list(stopId)
      .filter((c) => visible(ctx, c))
      .map((c) => ({ ...c, resolvable: can(ctx, RESOLVE_PERMISSION[c.kind]) })),

  // The very actions HQ's dashboard runs (hq/server/dashboard/dashboardRoutes.tsx), with their own checks.
  'conflicts:resolve': async (input, ctx) => {
    requirePermission(ctx, RESOLVE_PERMISSION[input.kind]);
    if (input.kind === 'double_check_in') {
      await checkinHandlers['checkin:void']({ checkInEventId: input.checkInEventId, reason: input.reason }, ctx);
    } else if (input.kind === 'booking') {
      await boothHandlers['booths:resolveConflict']({ bookingId: input.bookingId, action: input.action, note: who(ctx) }, ctx);
    } else {
      // consultations:get checks that booth staff resolve only their own institution's.
      const d = await consultationHandlers['consultations:get']({ consultationId: input.consultationId }, ctx);
      await consultationHandlers['consultations:resolve']({ consultationId: d.consultationId, revisionIds: d.headRevisionIds, editor: who(ctx), content: d.content }, ctx);
    }
    return { ok: true as const };
  },
};
