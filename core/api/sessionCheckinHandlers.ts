import { AppError } from '../../shared/errors';
import type { DeskView } from '../../shared/ipc/checkinContract';
import type { SessionDeskView, sessionCheckinContract } from '../../shared/ipc/sessionCheckinContract';
import type { StopSession } from '../../shared/schemas/masterData';
import { perDb } from '../store/perDb';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createRegistrationQueries } from '../store/queries/registrationQueries';
import { createSessionCheckinQueries } from '../store/queries/sessionCheckinQueries';
import { searchIndexArriving } from '../store/searchCache';
import type { ApiContext } from './apiContext';
import { readSettings } from './appHandlers';
import type { HandlerMap } from './handler';

const regQ = perDb(createRegistrationQueries);
const masterQ = perDb(createMasterDataQueries);
const sessQ = perDb(createSessionCheckinQueries);

function sessionOf(ctx: ApiContext, sessionId: string): StopSession {
  const session = masterQ(ctx.store.db).session(sessionId);
  if (!session) throw new AppError('NOT_FOUND', `No session ${sessionId}`, { sessionId });
  return session;
}

/** A cancelled session stays in the programme, but nobody comes into it: say so, naming it. */
function openSession(ctx: ApiContext, sessionId: string): StopSession {
  const session = sessionOf(ctx, sessionId);
  if (session.cancelled) {
    throw new AppError('SESSION_CANCELLED', `Session “${session.title}” is cancelled`, { sessionId, title: session.title, titleKo: session.titleKo || session.title });
  }
  return session;
}

function withSession(ctx: ApiContext, sessionId: string, reg: DeskView): SessionDeskView {
  return { ...reg, session: sessQ(ctx.store.db).attendance(sessionId, reg.registrationId) };
}

function view(ctx: ApiContext, sessionId: string, registrationId: string): SessionDeskView {
  return withSession(ctx, sessionId, regQ(ctx.store.db).byId(registrationId)!);
}

/**
 * Checks the person into the session unless they are in it already. Being in a session means being at
 * the stop: a person not checked in at the stop (their first session check-in) is checked in there too,
 * in the same transaction, and the session check-in names that stop check-in so an undo can take both back.
 */
function checkInto(ctx: ApiContext, session: StopSession, reg: DeskView): { created: boolean; stopCheckedIn: boolean } {
  if (sessQ(ctx.store.db).attendance(session.id, reg.registrationId).checkIn) return { created: false, stopCheckedIn: false };
  const desk = readSettings(ctx).deskName;
  const meta = { actorId: ctx.actorId, stopId: reg.stopId };
  const base = { registrationId: reg.registrationId, attendeeId: reg.attendee.id, stopId: reg.stopId, desk };
  const stopCheckIn = reg.checkIn ? null : ctx.store.events.append('checked_in', base, meta);
  ctx.store.events.append('session_checked_in', { ...base, sessionId: session.id, stopCheckInEventId: stopCheckIn?.eventId ?? null }, meta);
  return { created: true, stopCheckedIn: stopCheckIn !== null };
}

/**
 * A session door's write in the store's group commit (EventStore.grouped, core/store/groupCommit.ts), as
 * the entrance's check-ins: the writes of every desk in this turn share one transaction and one fsync, each
 * answered once durable; the rules run inside the group against the state that includes its earlier
 * members, and a refusal undoes that request's savepoint only. The store and actor are taken when the
 * request arrives (a restore may swap `ctx.store` before the group runs later in the turn).
 */
function grouped<T>(arrived: ApiContext, fn: (ctx: ApiContext) => T): Promise<T> {
  const ctx: ApiContext = { ...arrived, store: arrived.store, actorId: arrived.actorId };
  return ctx.store.events.grouped(() => fn(ctx));
}

export const sessionCheckinHandlers: HandlerMap<keyof typeof sessionCheckinContract> = {
  'sessions:search': async ({ sessionId, query, limit }, ctx) => {
    const session = sessionOf(ctx, sessionId);
    await searchIndexArriving(ctx.store.db, session.stopId);
    return regQ(ctx.store.db)
      .search(session.stopId, query, limit)
      .map((r) => withSession(ctx, sessionId, r));
  },
  'sessions:attendees': ({ sessionId, limit }, ctx) => {
    sessionOf(ctx, sessionId);
    const q = regQ(ctx.store.db);
    const out: SessionDeskView[] = [];
    for (const id of sessQ(ctx.store.db).attendeeRegistrations(sessionId, limit)) {
      const reg = q.byId(id);
      if (reg) out.push(withSession(ctx, sessionId, reg));
    }
    return out;
  },
  'sessions:checkIn': ({ sessionId, registrationId }, arrived) =>
    grouped(arrived, (ctx) => {
      const session = openSession(ctx, sessionId);
      const reg = regQ(ctx.store.db).byId(registrationId);
      if (!reg) throw new AppError('NOT_FOUND', `No registration ${registrationId}`, { registrationId });
      if (reg.stopId !== session.stopId) throw new AppError('NOT_FOUND', `Registration ${registrationId} is not at the session’s stop`, { registrationId, sessionId });
      const done = checkInto(ctx, session, reg);
      return { registration: view(ctx, sessionId, registrationId), ...done };
    }),
  'sessions:scan': ({ sessionId, token }, arrived) => {
    const clean = token.trim();
    return grouped(arrived, (ctx) => {
      const session = openSession(ctx, sessionId);
      const reg = clean.length <= 64 ? regQ(ctx.store.db).byToken(session.stopId, clean) : null;
      if (!reg) return { kind: 'unknown' as const, token: clean };
      const done = checkInto(ctx, session, reg);
      const registration = view(ctx, sessionId, reg.registrationId);
      return done.created
        ? { kind: 'checked_in' as const, token: clean, registration, stopCheckedIn: done.stopCheckedIn }
        : { kind: 'already' as const, token: clean, registration };
    });
  },
  'sessions:void': ({ sessionCheckInEventId, reason, alsoStop }, arrived) =>
    grouped(arrived, (ctx) => {
      const q = sessQ(ctx.store.db);
      const target = q.checkIn(sessionCheckInEventId);
      if (!target) throw new AppError('NOT_FOUND', `No session check-in ${sessionCheckInEventId}`, { sessionCheckInEventId });
      if (target.voided) throw new AppError('CONFLICT', `Session check-in ${sessionCheckInEventId} is already undone`, { sessionCheckInEventId });
      const desk = readSettings(ctx).deskName;
      const meta = { actorId: ctx.actorId, stopId: target.stopId };
      ctx.store.events.append('session_check_in_voided', { sessionCheckInEventId, reason, desk }, meta);
      // Only the stop check-in this one made, and only while it stands: a person checked in at the
      // entrance keeps that check-in whatever happens at a session door.
      if (alsoStop && target.stopCheckInEventId && q.stopCheckInLive(target.stopCheckInEventId)) {
        ctx.store.events.append('check_in_voided', { checkInEventId: target.stopCheckInEventId, reason, desk }, meta);
      }
      return view(ctx, target.sessionId, target.registrationId);
    }),
  'sessions:counts': ({ stopId }, ctx) => sessQ(ctx.store.db).counts(stopId),
};
