import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { checkinContract } from '../../shared/ipc/checkinContract';
import { newScanToken } from '../domain/scanToken';
import { perDb } from '../store/perDb';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createRegistrationQueries } from '../store/queries/registrationQueries';
import type { ApiContext } from './apiContext';
import { readSettings } from './appHandlers';
import type { HandlerMap } from './handler';

const regQ = perDb(createRegistrationQueries);
const masterQ = perDb(createMasterDataQueries);

function requireStop(ctx: ApiContext, stopId: string): void {
  if (!masterQ(ctx.store.db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
}

export const checkinHandlers: HandlerMap<keyof typeof checkinContract> = {
  'checkin:search': ({ stopId, query, limit }, ctx) => regQ(ctx.store.db).search(stopId, query, limit),
  'checkin:byToken': ({ stopId, token }, ctx) => regQ(ctx.store.db).byToken(stopId, token),
  'checkin:checkIn': ({ registrationId }, ctx) => {
    const q = regQ(ctx.store.db);
    return ctx.store.events.transaction(() => {
      const reg = q.byId(registrationId);
      if (!reg) throw new AppError('NOT_FOUND', `No registration ${registrationId}`, { registrationId });
      if (reg.checkIn) return { registration: reg, created: false };
      ctx.store.events.append(
        'checked_in',
        { registrationId, attendeeId: reg.attendee.id, stopId: reg.stopId, desk: readSettings(ctx).deskName },
        { actorId: ctx.actorId, stopId: reg.stopId },
      );
      return { registration: q.byId(registrationId)!, created: true };
    });
  },
  'checkin:void': ({ checkInEventId, reason }, ctx) => {
    const q = regQ(ctx.store.db);
    return ctx.store.events.transaction(() => {
      const registrationId = q.registrationOfCheckIn(checkInEventId);
      if (!registrationId) throw new AppError('NOT_FOUND', `No check-in ${checkInEventId}`, { checkInEventId });
      const before = q.byId(registrationId)!;
      ctx.store.events.append('check_in_voided', { checkInEventId, reason }, { actorId: ctx.actorId, stopId: before.stopId });
      return q.byId(registrationId)!;
    });
  },
  'checkin:counts': ({ stopId }, ctx) => regQ(ctx.store.db).counts(stopId),
  'checkin:registerWalkIn': (input, ctx) => {
    requireStop(ctx, input.stopId);
    const { stopId, consentScope, consentTextVersion, checkInNow, ...fields } = input;
    const events = ctx.store.events;
    const meta = { actorId: ctx.actorId, stopId };
    return events.transaction(() => {
      const attendeeId = randomUUID();
      const registrationId = randomUUID();
      events.append('attendee_registered', { attendeeId, ...fields }, meta);
      events.append('consent_recorded', { consentId: randomUUID(), attendeeId, scope: consentScope, institutionId: null, textVersion: consentTextVersion }, meta);
      events.append('registration_created', { registrationId, attendeeId, stopId, source: 'walk_in', scanToken: newScanToken() }, meta);
      if (checkInNow) events.append('checked_in', { registrationId, attendeeId, stopId, desk: readSettings(ctx).deskName }, meta);
      return regQ(ctx.store.db).byId(registrationId)!;
    });
  },
};
