import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { BoothView } from '../../shared/ipc/masterDataContract';
import type { tourPlanContract } from '../../shared/ipc/tourPlanContract';
import type { BoothPlanFields } from '../../shared/schemas/booths';
import type { Stop, Tour } from '../../shared/schemas/masterData';
import type { StaffView } from '../../shared/schemas/staff';
import { minutesOf, planProblem } from '../domain/boothSlots';
import { hashPin } from '../security/pinHash';
import { newSetupCode, normaliseSetupCode } from '../security/setupCode';
import { perDb } from '../store/perDb';
import { createBoothQueries } from '../store/queries/boothQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createStaffQueries } from '../store/queries/staffQueries';
import type { ApiContext } from './apiContext';
import { requireManage } from './authorization';
import type { HandlerMap } from './handler';

const masterQ = perDb(createMasterDataQueries);
const boothQ = perDb(createBoothQueries);
const staffQ = perDb(createStaffQueries);

type TourPlanChannel = 'tours:list' | 'tour:upsert' | 'stop:upsert' | 'sessions:list' | 'session:upsert' | 'institution:upsert' | 'booth:upsert' | 'booth:remove' | 'booths:copyFromStop' | 'staff:plan';

/** A field the person must correct, named for the form (`details.issues` as zod's validation errors are). */
const invalid = (path: string, message: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('VALIDATION', message, { ...details, issues: [{ path, message, code: 'custom' }] });

/** Same content, whatever the key order: an upsert that changes nothing writes no event. */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)]));
  return v;
}

/** The days a tour's stops may fall on: its dates when set, else its year. */
export function tourWindow(tour: Tour): { from: string; to: string } {
  return { from: tour.startDate ?? `${tour.year}-01-01`, to: tour.endDate ?? `${tour.year}-12-31` };
}

function requireStop(ctx: ApiContext, stopId: string): Stop {
  const stop = masterQ(ctx.store.db).stop(stopId);
  if (!stop) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
  return stop;
}

function requireBoothView(ctx: ApiContext, boothId: string): BoothView {
  const booth = masterQ(ctx.store.db).booth(boothId);
  if (!booth) throw new AppError('NOT_FOUND', `No booth ${boothId}`, { boothId });
  return booth;
}

function checkPlan(plan: BoothPlanFields): void {
  const problem = planProblem(plan);
  if (problem) throw new AppError('INVALID_BOOTH_PLAN', `Invalid plan: ${problem}`, { problem });
}

function staffView(ctx: ApiContext, staffId: string): StaffView {
  const { pinHash: _p, setupCodeHash: _c, ...view } = staffQ(ctx.store.db).byId(staffId)!;
  return view;
}

export const tourPlanHandlers: HandlerMap<TourPlanChannel> = {
  'tours:list': (_i, ctx) => masterQ(ctx.store.db).tours(),

  'tour:upsert': ({ id, ...fields }, ctx) => {
    if (fields.startDate && fields.endDate && fields.endDate < fields.startDate) throw invalid('endDate', 'The tour ends before it starts');
    const tour: Tour = { ...fields, id: id ?? `tour-${randomUUID()}` };
    const m = masterQ(ctx.store.db);
    ctx.store.events.transaction(() => {
      const before = m.tourById(tour.id);
      if (before && same(before, tour)) return;
      ctx.store.events.append('tour_upserted', tour, { actorId: ctx.actorId });
    });
    return m.tourById(tour.id)!;
  },

  'stop:upsert': ({ id, ...fields }, ctx) => {
    const m = masterQ(ctx.store.db);
    const tour = m.tourById(fields.tourId);
    if (!tour) throw new AppError('NOT_FOUND', `No tour ${fields.tourId}`, { tourId: fields.tourId });
    const { from, to } = tourWindow(tour);
    if (fields.date < from || fields.date > to) throw invalid('date', `The date is outside the tour (${from} – ${to})`, { from, to });
    const stop: Stop = { ...fields, id: id ?? `stop-${randomUUID()}` };
    const clash = m.stopsOfTour(tour.id).find((s) => s.id !== stop.id && s.round.toLowerCase() === stop.round.toLowerCase());
    if (clash) throw invalid('round', `Round ${stop.round} is already ${clash.city}`, { other: clash.city });
    ctx.store.events.transaction(() => {
      const before = m.stop(stop.id);
      if (before && same(before, stop)) return;
      ctx.store.events.append('stop_upserted', stop, { actorId: ctx.actorId });
    });
    return m.stop(stop.id)!;
  },

  'sessions:list': ({ stopId }, ctx) => masterQ(ctx.store.db).sessions(stopId),

  'session:upsert': ({ id, ...fields }, ctx) => {
    const m = masterQ(ctx.store.db);
    requireStop(ctx, fields.stopId);
    if (minutesOf(fields.endTime) <= minutesOf(fields.startTime)) throw invalid('endTime', 'The session ends before it starts');
    const session = { ...fields, id: id ?? `session-${randomUUID()}` };
    if (!session.cancelled && session.room) {
      const clash = m
        .sessions(session.stopId)
        .find((s) => s.id !== session.id && !s.cancelled && s.room.toLowerCase() === session.room.toLowerCase() && s.startTime < session.endTime && session.startTime < s.endTime);
      if (clash) throw invalid('startTime', `${session.room} holds “${clash.title}” ${clash.startTime}–${clash.endTime}`, { other: clash.title, start: clash.startTime, end: clash.endTime });
    }
    ctx.store.events.transaction(() => {
      const before = m.session(session.id);
      if (before && before.stopId !== session.stopId) throw invalid('stopId', 'A session stays at its stop');
      if (before && same(before, session)) return;
      ctx.store.events.append('stop_session_upserted', session, { actorId: ctx.actorId, stopId: session.stopId });
    });
    return m.session(session.id)!;
  },

  'institution:upsert': ({ id, ...fields }, ctx) => {
    const m = masterQ(ctx.store.db);
    const institution = { ...fields, id: id ?? `inst-${randomUUID()}` };
    const clash = m.institutions().find((i) => i.id !== institution.id && i.shortName.toLowerCase() === institution.shortName.toLowerCase());
    if (clash) throw invalid('shortName', `${clash.shortName} is already ${clash.name}`, { other: clash.name });
    ctx.store.events.transaction(() => {
      const before = m.institution(institution.id);
      if (before && same(before, institution)) return;
      ctx.store.events.append('institution_upserted', institution, { actorId: ctx.actorId });
    });
    return m.institution(institution.id)!;
  },

  'booth:upsert': ({ id, plan, ...fields }, ctx) => {
    const m = masterQ(ctx.store.db);
    requireStop(ctx, fields.stopId);
    if (!m.institution(fields.institutionId)) throw new AppError('NOT_FOUND', `No institution ${fields.institutionId}`, { institutionId: fields.institutionId });
    if (plan) checkPlan(plan);
    // One booth per institution per stop: adding it again brings a removed one back (with its history).
    const existing = id ? m.booth(id) : (m.allBooths(fields.stopId).find((b) => b.institutionId === fields.institutionId) ?? null);
    if (existing && existing.stopId !== fields.stopId) throw invalid('stopId', 'A booth stays at its stop');
    const boothId = existing?.id ?? id ?? `booth-${randomUUID()}`;
    const other = m.booths(fields.stopId).find((b) => b.id !== boothId && b.institutionId === fields.institutionId);
    if (other) throw invalid('institutionId', `${other.institution.shortName} has a booth at this stop already`, { booth: other.location });
    const booth = { id: boothId, ...fields, removed: false };
    ctx.store.events.transaction(() => {
      const meta = { actorId: ctx.actorId, stopId: fields.stopId };
      const before = existing && { id: existing.id, stopId: existing.stopId, institutionId: existing.institutionId, location: existing.location, staff: existing.staff, removed: existing.removed };
      if (!before || !same(before, booth)) ctx.store.events.append('booth_upserted', booth, meta);
      if (plan) {
        const current = boothQ(ctx.store.db).plan(boothId);
        const next = { ...plan, boothId, stopId: fields.stopId, copiedFromStopId: null };
        const { copiedFromStopId: _c, ...currentFields } = current ?? { copiedFromStopId: null };
        const { copiedFromStopId: _n, ...nextFields } = next;
        if (!current || !same(currentFields, nextFields)) ctx.store.events.append('booth_plan_set', next, meta);
      }
    });
    return m.booth(boothId)!;
  },

  'booth:remove': ({ boothId }, ctx) => {
    const booth = requireBoothView(ctx, boothId);
    const kept = boothQ(ctx.store.db).liveAtBooth(boothId);
    if (!booth.removed) {
      const { institution: _i, ...fields } = booth;
      ctx.store.events.append('booth_upserted', { ...fields, removed: true }, { actorId: ctx.actorId, stopId: booth.stopId });
    }
    return { boothId, bookingsKept: kept };
  },

  'booths:copyFromStop': ({ fromStopId, toStopId }, ctx) => {
    requireStop(ctx, fromStopId);
    requireStop(ctx, toStopId);
    if (fromStopId === toStopId) throw invalid('fromStopId', 'Pick another stop to copy from');
    const m = masterQ(ctx.store.db);
    const q = boothQ(ctx.store.db);
    let boothsCreated = 0;
    let plansCopied = 0;
    let skipped = 0;
    ctx.store.events.transaction(() => {
      const meta = { actorId: ctx.actorId, stopId: toStopId };
      const here = new Map(m.allBooths(toStopId).map((b) => [b.institutionId, b]));
      for (const source of m.booths(fromStopId)) {
        const target = here.get(source.institutionId);
        if (target && !target.removed && q.plan(target.id)) {
          skipped++;
          continue;
        }
        const boothId = target?.id ?? `booth-${randomUUID()}`;
        if (!target || target.removed) {
          ctx.store.events.append('booth_upserted', { id: boothId, stopId: toStopId, institutionId: source.institutionId, location: target?.location || source.location, staff: target?.staff.length ? target.staff : source.staff, removed: false }, meta);
          boothsCreated++;
        }
        const plan = q.plan(source.id);
        if (plan && !q.plan(boothId)) {
          const { boothId: _b, stopId: _s, copiedFromStopId: _c, ...fields } = plan;
          ctx.store.events.append('booth_plan_set', { ...fields, boothId, stopId: toStopId, copiedFromStopId: fromStopId }, meta);
          plansCopied++;
        }
      }
    });
    return { boothsCreated, plansCopied, skipped };
  },

  'staff:plan': ({ staffId, name, role, institutionId, stopIds, issueSetupCode }, ctx) => {
    requireManage(ctx, role);
    const m = masterQ(ctx.store.db);
    const inst = role === 'booth_staff' ? institutionId : null;
    if (role === 'booth_staff' && !inst) throw invalid('institutionId', 'Booth staff need an institution');
    if (inst && !m.institution(inst)) throw new AppError('NOT_FOUND', `No institution ${inst}`, { institutionId: inst });
    for (const s of stopIds) if (!m.stop(s)) throw new AppError('NOT_FOUND', `No stop ${s}`, { stopId: s });
    const id = staffId ?? `staff-${randomUUID()}`;
    const before = staffQ(ctx.store.db).byId(id);
    const code = issueSetupCode && !before?.pinSet ? newSetupCode() : null;
    // scrypt before the write lock is taken (it is slow on purpose).
    const codeHash = code ? hashPin(normaliseSetupCode(code)) : null;
    const profile = { staffId: id, name, role, institutionId: inst, stopIds: [...new Set(stopIds)] };
    ctx.store.events.transaction(() => {
      const current = before && { staffId: before.id, name: before.name, role: before.role, institutionId: before.institutionId, stopIds: before.stopIds };
      if (!current || !same(current, profile)) ctx.store.events.append('staff_upserted', profile, { actorId: ctx.actorId });
      if (codeHash) ctx.store.events.append('staff_setup_code_set', { staffId: id, codeHash }, { actorId: ctx.actorId });
    });
    return { staff: staffView(ctx, id), setupCode: code };
  },
};
