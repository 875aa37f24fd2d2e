import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { DeskView, SimilarAttendee } from '../../shared/ipc/checkinContract';
import type { checkinContract } from '../../shared/ipc/checkinContract';
import type { Attendee, CheckInInfo } from '../../shared/schemas/attendees';
import { newScanToken } from '../domain/scanToken';
import { normToken } from '../domain/searchKeys';
import { perDb } from '../store/perDb';
import { ALL_ATTENDEES, searchIndexArriving } from '../store/searchCache';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createRegistrationQueries } from '../store/queries/registrationQueries';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import type { Store } from '../store/openStore';
import type { Db } from '../store/sqlite';
import type { ApiContext } from './apiContext';
import { readSettings } from './appHandlers';
import type { HandlerMap } from './handler';
import { badgeHandlers } from './badgeHandlers';
import { importHandlers } from './importHandlers';

const regQ = perDb(createRegistrationQueries);
const masterQ = perDb(createMasterDataQueries);
const settingsQ = perDb(createSettingsQueries);
const attendeeQ = perDb((db: Db) => {
  const byId = db.prepare<[string], { id: string; family_name: string; given_name: string; name_ko: string; email: string; affiliation: string; career_stage: Attendee['careerStage']; fields: string }>(
    'SELECT id, family_name, given_name, name_ko, email, affiliation, career_stage, fields FROM attendees WHERE id = ?',
  );
  const byEmail = db.prepare<[string], { id: string }>("SELECT id FROM attendees WHERE email = ? COLLATE NOCASE AND email <> '' LIMIT 5");
  return {
    get(id: string): Attendee | null {
      const r = byId.get(id);
      return r
        ? { id: r.id, familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko, email: r.email, affiliation: r.affiliation, careerStage: r.career_stage, fields: JSON.parse(r.fields) as Attendee['fields'] }
        : null;
    },
    idsByEmail: (email: string): string[] => byEmail.all(email).map((r) => r.id),
  };
});

function requireStop(ctx: ApiContext, stopId: string): void {
  if (!masterQ(ctx.store.db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
}

function appendCheckIn(ctx: ApiContext, registrationId: string, attendeeId: string, stopId: string): void {
  ctx.store.events.append('checked_in', { registrationId, attendeeId, stopId, desk: readSettings(ctx).deskName }, { actorId: ctx.actorId, stopId });
}

/**
 * A check-in's write in the store's group commit (EventStore.grouped, core/store/groupCommit.ts): the
 * check-ins of every desk client in this turn share one transaction and one fsync, each answered once
 * it is durable. The rule checks run inside the group, against the state that includes its earlier
 * members; a refusal (NOT_FOUND, CONFLICT) undoes that request's savepoint only.
 * The store and actor are taken when the request arrives (the group runs later in the turn, after a
 * restore may have swapped `ctx.store`); the desk's name is read inside the group's transaction.
 */
function groupedWrite<T>(ctx: ApiContext, fn: (w: { store: Store; actorId: string | null; desk: string }) => T): Promise<T> {
  const store = ctx.store;
  const actorId = ctx.actorId;
  return store.events.grouped(() => {
    // Inside the group's transaction: a statement outside one pays for a read transaction of its own (WAL locks).
    const desk = settingsQ(store.db).get('desk_name') ?? readSettings({ ...ctx, store }).deskName;
    return fn({ store, actorId, desk });
  });
}

/**
 * Writes the check-in of a registration that has none (`reg.checkIn` null) and answers its view
 * after the write: `reg` with the new check-in as its effective one. Exactly what reading it back
 * gives (registrationQueries' toView): with no live check-in before, the new one is the only live
 * one, whatever its HLC; voided ones stay out of both fields.
 */
function checkInNew(store: Store, reg: DeskView, actorId: string | null, desk: string): DeskView {
  const e = store.events.append('checked_in', { registrationId: reg.registrationId, attendeeId: reg.attendee.id, stopId: reg.stopId, desk }, { actorId, stopId: reg.stopId });
  const info: CheckInInfo = { eventId: e.eventId, deviceId: e.deviceId, desk: e.payload.desk, at: e.recordedAt, voided: false, voidReason: null };
  return { ...reg, checkIn: info, duplicateCheckIns: [] };
}

export const checkinHandlers: HandlerMap<keyof typeof checkinContract> = {
  'checkin:search': async ({ stopId, query, limit }, ctx) => {
    // An import's worker building this stop's index after its commit: take it rather than build here.
    await searchIndexArriving(ctx.store.db, stopId);
    return regQ(ctx.store.db).search(stopId, query, limit);
  },
  'checkin:byToken': ({ stopId, token }, ctx) => regQ(ctx.store.db).byToken(stopId, token),
  'checkin:scan': ({ stopId, token }, ctx) => {
    const clean = token.trim();
    return groupedWrite(ctx, ({ store, actorId, desk }) => {
      const q = regQ(store.db);
      const reg = clean.length <= 64 ? q.byToken(stopId, clean) : null;
      if (!reg) return { kind: 'unknown' as const, token: clean };
      if (reg.checkIn) return { kind: 'already' as const, token: clean, registration: reg };
      return { kind: 'checked_in' as const, token: clean, registration: checkInNew(store, reg, actorId, desk) };
    });
  },
  'checkin:checkIn': ({ registrationId }, ctx) =>
    groupedWrite(ctx, ({ store, actorId, desk }) => {
      const q = regQ(store.db);
      const reg = q.byId(registrationId);
      if (!reg) throw new AppError('NOT_FOUND', `No registration ${registrationId}`, { registrationId });
      if (reg.checkIn) return { registration: reg, created: false };
      return { registration: checkInNew(store, reg, actorId, desk), created: true };
    }),
  'checkin:void': ({ checkInEventId, reason }, ctx) =>
    groupedWrite(ctx, ({ store, actorId, desk }) => {
      const q = regQ(store.db);
      const registrationId = q.registrationOfCheckIn(checkInEventId);
      if (!registrationId) throw new AppError('NOT_FOUND', `No check-in ${checkInEventId}`, { checkInEventId });
      const before = q.byId(registrationId)!;
      const target = [before.checkIn, ...before.duplicateCheckIns].find((c) => c?.eventId === checkInEventId);
      if (!target) throw new AppError('CONFLICT', `Check-in ${checkInEventId} is already undone`, { checkInEventId });
      store.events.append('check_in_voided', { checkInEventId, reason, desk }, { actorId, stopId: before.stopId });
      return q.byId(registrationId)!;
    }),
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
      if (checkInNow) appendCheckIn(ctx, registrationId, attendeeId, stopId);
      return regQ(ctx.store.db).byId(registrationId)!;
    });
  },
  'checkin:registerExisting': ({ stopId, attendeeId, checkInNow }, ctx) => {
    requireStop(ctx, stopId);
    const q = regQ(ctx.store.db);
    return ctx.store.events.transaction(() => {
      if (!attendeeQ(ctx.store.db).get(attendeeId)) throw new AppError('NOT_FOUND', `No attendee ${attendeeId}`, { attendeeId });
      let registrationId = q.registrationOf(stopId, attendeeId);
      if (!registrationId) {
        registrationId = randomUUID();
        ctx.store.events.append('registration_created', { registrationId, attendeeId, stopId, source: 'walk_in', scanToken: newScanToken() }, { actorId: ctx.actorId, stopId });
      }
      const reg = q.byId(registrationId)!;
      if (checkInNow && !reg.checkIn) appendCheckIn(ctx, registrationId, attendeeId, stopId);
      return q.byId(registrationId)!;
    });
  },
  'checkin:similar': async ({ stopId, familyName, givenName, nameKo, email }, ctx) => {
    await searchIndexArriving(ctx.store.db, ALL_ATTENDEES);
    const q = regQ(ctx.store.db);
    const aq = attendeeQ(ctx.store.db);
    const out: SimilarAttendee[] = [];
    const seen = new Set<string>();
    const push = (id: string, reason: SimilarAttendee['reason']): void => {
      if (seen.has(id) || out.length >= 5) return;
      const attendee = aq.get(id);
      if (!attendee) return;
      seen.add(id);
      const registrationId = q.registrationOf(stopId, id);
      out.push({ attendee, reason, registration: registrationId ? q.byId(registrationId) : null });
    };
    const mail = email.trim();
    if (mail.includes('@')) for (const id of aq.idsByEmail(mail)) push(id, 'email');
    // The same name in another spelling: romanisation variants ("Taesuk" = "Tae-seok" = "Taeseok"), either order, or Hangul.
    for (const id of q.searchCache.names().alike({ familyName, givenName, nameKo })) push(id, 'name');
    const index = q.searchCache.index(ALL_ATTENDEES);
    const latin = normToken(`${givenName} ${familyName}`);
    // A name is worth suggesting from two letters on (Latin) or one whole syllable (Hangul).
    if (latin.replace(/\s/g, '').length >= 2) for (const h of index.search(latin, 5)) push(h.id, 'name');
    const ko = nameKo.trim();
    if (ko && /[\uac00-\ud7a3]/.test(ko)) for (const h of index.search(ko, 5)) push(h.id, 'name');
    return out;
  },
  'checkin:history': ({ attendeeId }, ctx) => regQ(ctx.store.db).history(attendeeId),
  ...importHandlers,
  ...badgeHandlers,
};
