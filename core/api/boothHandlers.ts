import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { boothsContract } from '../../shared/ipc/boothsContract';
import type { BookingResult, BookingWarning, BoothPlan, WaitlistEntryView } from '../../shared/schemas/booths';
import { boothsAreDistant, overlaps, planProblem, type Slot } from '../domain/boothSlots';
import { perDb } from '../store/perDb';
import { createBoothQueries, type BoothRef } from '../store/queries/boothQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createRegistrationQueries } from '../store/queries/registrationQueries';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';
import { offerFreedPlace, passExpiredOffers } from './waitlistOffers';

const boothQ = perDb(createBoothQueries);
const masterQ = perDb(createMasterDataQueries);
const regQ = perDb(createRegistrationQueries);

/** Back-to-back: the other booking ends at most this long before this one starts (or the reverse). */
const BACK_TO_BACK_MS = 5 * 60_000;

function requireBooth(ctx: ApiContext, boothId: string): BoothRef {
  const b = boothQ(ctx.store.db).boothRef(boothId);
  if (!b) throw new AppError('NOT_FOUND', `No booth ${boothId}`, { boothId });
  return b;
}

function requirePlan(ctx: ApiContext, booth: BoothRef): BoothPlan {
  if (booth.removed) throw new AppError('BOOTH_REMOVED', `Booth ${booth.shortName} was taken off the floor plan`, { booth: booth.shortName });
  const p = boothQ(ctx.store.db).plan(booth.id);
  if (!p) throw new AppError('NO_BOOTH_PLAN', `Booth ${booth.shortName} has no consultation plan yet`, { booth: booth.shortName });
  return p;
}

/** The plan's slot starting at `slotStart` (any ISO spelling of the same instant). */
function requireSlot(ctx: ApiContext, booth: BoothRef, plan: BoothPlan, slotStart: string): Slot {
  const ms = Date.parse(slotStart);
  const slot = boothQ(ctx.store.db).slotsOf(plan, booth.date, booth.timeZone).find((s) => s.startMs === ms);
  if (!slot) throw new AppError('SLOT_NOT_IN_PLAN', `Booth ${booth.shortName} has no slot starting ${slotStart}`, { booth: booth.shortName, slotStart });
  return slot;
}

function requireRegistration(ctx: ApiContext, registrationId: string, stopId: string) {
  const reg = regQ(ctx.store.db).byId(registrationId);
  if (!reg || reg.stopId !== stopId) throw new AppError('NOT_FOUND', `No registration ${registrationId} at this stop`, { registrationId });
  return reg;
}

function requireActiveBooking(ctx: ApiContext, bookingId: string) {
  const state = boothQ(ctx.store.db).bookingState(bookingId);
  if (!state) throw new AppError('NOT_FOUND', `No booking ${bookingId}`, { bookingId });
  if (state.cancelled) throw new AppError('BOOKING_NOT_ACTIVE', `Booking ${bookingId} was cancelled`, { bookingId });
  return state.row;
}

/**
 * A slot never holds more than its capacity; open waitlist offers hold their place too. A person
 * accepting an offer (`forEntryId`) competes only with offers made before theirs: two desks that
 * offered one place offline to two people let the earlier offer win, instead of blocking both.
 */
function checkCapacity(ctx: ApiContext, booth: BoothRef, plan: BoothPlan, slot: Slot, forEntryId?: string): void {
  const q = boothQ(ctx.store.db);
  const booked = q.liveInSlot(booth.id, slot.start);
  const offers = q.openOffersInSlot(booth.id, slot.start, ctx.store.now());
  const mine = offers.find((o) => o.entryId === forEntryId);
  const held = mine ? offers.filter((o) => o.offerHlc < mine.offerHlc || (o.offerHlc === mine.offerHlc && o.entryId < mine.entryId)).length : offers.length;
  if (booked + held >= plan.capacity) {
    throw new AppError('SLOT_FULL', `${booth.shortName} ${slot.localStart} is full (${plan.capacity})`, {
      booth: booth.shortName,
      time: slot.localStart,
      capacity: plan.capacity,
    });
  }
}

/** A person is never in two overlapping slots (at any booth of the stop). */
function checkOverlap(ctx: ApiContext, attendeeId: string, stopId: string, slot: Slot, exceptBookingId?: string): void {
  const q = boothQ(ctx.store.db);
  const clash = q.liveOfAttendee(attendeeId, stopId).find((b) => b.booking_id !== exceptBookingId && overlaps(b.slot_start, b.slot_end, slot.start, slot.end));
  if (clash) {
    const other = q.boothRef(clash.booth_id);
    throw new AppError('ATTENDEE_DOUBLE_BOOKED', `Already booked at ${other?.shortName ?? clash.booth_id} at an overlapping time`, {
      booth: other?.shortName ?? clash.booth_id,
      time: clash.slot_start,
      bookingId: clash.booking_id,
    });
  }
}

function warningsFor(ctx: ApiContext, attendeeId: string, booth: BoothRef, slot: Slot, exceptBookingId: string): BookingWarning[] {
  const q = boothQ(ctx.store.db);
  const out: BookingWarning[] = [];
  for (const b of q.liveOfAttendee(attendeeId, booth.stopId)) {
    if (b.booking_id === exceptBookingId || b.booth_id === booth.id) continue;
    const gapBefore = slot.startMs - Date.parse(b.slot_end);
    const gapAfter = Date.parse(b.slot_start) - slot.endMs;
    const adjacent = (gapBefore >= 0 && gapBefore <= BACK_TO_BACK_MS) || (gapAfter >= 0 && gapAfter <= BACK_TO_BACK_MS);
    const other = q.boothRef(b.booth_id);
    if (adjacent && other && boothsAreDistant(booth.location, other.location)) {
      out.push({ kind: 'back_to_back_distant', otherBookingId: b.booking_id, otherBoothId: other.id, otherLocation: other.location });
    }
  }
  return out;
}

/** An answer to an offer that expired (issue #19): the place went back; the desk may still book a free one. */
function expired(ctx: ApiContext, e: WaitlistEntryView): AppError {
  const booth = requireBooth(ctx, e.boothId);
  const offer = e.expiredOffer!;
  return new AppError('OFFER_EXPIRED', `The offer of ${booth.shortName} ${offer.slotStart} expired at ${offer.expiredAt}`, {
    booth: booth.shortName,
    slotStart: offer.slotStart,
    expiredAt: offer.expiredAt,
  });
}

function result(ctx: ApiContext, booth: BoothRef, bookingId: string, warnings: BookingWarning[], offer: WaitlistEntryView | null): BookingResult {
  return { booking: boothQ(ctx.store.db).bookingView(bookingId, booth.date, booth.timeZone)!, warnings, offer };
}

/** Books (desk, waitlist) or records a walk-up, after every local rule. */
function place(ctx: ApiContext, input: { boothId: string; slotStart: string; registrationId: string }, source: 'desk' | 'waitlist' | 'walk_up', exceptEntryId?: string): { bookingId: string; booth: BoothRef; warnings: BookingWarning[] } {
  const booth = requireBooth(ctx, input.boothId);
  const plan = requirePlan(ctx, booth);
  const slot = requireSlot(ctx, booth, plan, input.slotStart);
  const reg = requireRegistration(ctx, input.registrationId, booth.stopId);
  checkOverlap(ctx, reg.attendee.id, booth.stopId, slot);
  checkCapacity(ctx, booth, plan, slot, exceptEntryId);
  const bookingId = randomUUID();
  const warnings = warningsFor(ctx, reg.attendee.id, booth, slot, bookingId);
  const payload = { bookingId, boothId: booth.id, slotStart: slot.start, slotEnd: slot.end, stopId: booth.stopId, attendeeId: reg.attendee.id, registrationId: reg.registrationId };
  const meta = { actorId: ctx.actorId, stopId: booth.stopId };
  if (source === 'walk_up') ctx.store.events.append('walk_up_recorded', payload, meta);
  else ctx.store.events.append('booking_made', { ...payload, source }, meta);
  // Booked at a booth where the person was waiting: they leave that waitlist.
  for (const e of boothQ(ctx.store.db).waitlist(booth.id, ctx.store.now())) {
    if (e.attendeeId === reg.attendee.id) ctx.store.events.append('waitlist_left', { entryId: e.view.entryId, reason: 'booked' }, meta);
  }
  return { bookingId, booth, warnings };
}

function move(ctx: ApiContext, bookingId: string, boothId: string, slotStart: string) {
  const row = requireActiveBooking(ctx, bookingId);
  const booth = requireBooth(ctx, boothId);
  if (booth.stopId !== row.stop_id) throw new AppError('NOT_FOUND', `Booth ${boothId} is not at this booking's stop`, { boothId });
  const plan = requirePlan(ctx, booth);
  const slot = requireSlot(ctx, booth, plan, slotStart);
  const from = { boothId: row.booth_id, slotStart: row.slot_start };
  if (from.boothId === booth.id && from.slotStart === slot.start) return { booth, warnings: [] as BookingWarning[], offer: null };
  checkOverlap(ctx, row.attendee_id, booth.stopId, slot, bookingId);
  checkCapacity(ctx, booth, plan, slot);
  const warnings = warningsFor(ctx, row.attendee_id, booth, slot, bookingId);
  ctx.store.events.append('booking_moved', { bookingId, boothId: booth.id, slotStart: slot.start, slotEnd: slot.end }, { actorId: ctx.actorId, stopId: booth.stopId });
  const offer = offerFreedPlace(ctx, from.boothId, from.slotStart);
  return { booth, warnings, offer };
}

function cancel(ctx: ApiContext, bookingId: string, reason: string): WaitlistEntryView | null {
  const row = requireActiveBooking(ctx, bookingId);
  ctx.store.events.append('booking_cancelled', { bookingId, reason }, { actorId: ctx.actorId, stopId: row.stop_id });
  return offerFreedPlace(ctx, row.booth_id, row.slot_start);
}

export const boothHandlers: HandlerMap<keyof typeof boothsContract> = {
  'booths:schedule': ({ stopId }, ctx) => {
    const stop = masterQ(ctx.store.db).stop(stopId);
    if (!stop) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
    // Lazily, as the host's timer does: expired offers pass to the next person before the schedule is read.
    ctx.store.events.transaction(() => passExpiredOffers(ctx, stopId));
    const q = boothQ(ctx.store.db);
    const plans = new Map(q.plansOfStop(stopId).map((p) => [p.boothId, p]));
    const waitlist = q.waitlistOfStop(stopId, ctx.store.now());
    const { conflicts, ids, rows: listed } = q.conflictsOf(stopId, stop.date, stop.timeZone);
    const load = new Map<string, number>();
    for (const b of listed) if (b.attendance !== 'no_show') load.set(`${b.booth_id}|${b.slot_start}`, (load.get(`${b.booth_id}|${b.slot_start}`) ?? 0) + 1);
    const held = new Map<string, number>();
    for (const w of waitlist) if (w.offer) held.set(`${w.boothId}|${w.offer.slotStart}`, (held.get(`${w.boothId}|${w.offer.slotStart}`) ?? 0) + 1);
    return {
      stopId,
      timeZone: stop.timeZone,
      date: stop.date,
      // A removed booth keeps a row while bookings are still there (they are listed as conflicts).
      rows: masterQ(ctx.store.db)
        .allBooths(stopId)
        .filter((booth) => !booth.removed || listed.some((b) => b.booth_id === booth.id))
        .map((booth) => {
          const plan = plans.get(booth.id) ?? null;
          const slots = plan
            ? q.slotsOf(plan, stop.date, stop.timeZone).map((s) => ({
                start: s.start,
                end: s.end,
                localStart: s.localStart,
                localEnd: s.localEnd,
                capacity: plan.capacity,
                booked: load.get(`${booth.id}|${s.start}`) ?? 0,
                held: held.get(`${booth.id}|${s.start}`) ?? 0,
              }))
            : [];
          return { booth, plan, slots, waitlist: waitlist.filter((w) => w.boothId === booth.id) };
        }),
      bookings: listed.map((b) => q.toBooking(b, ids)),
      conflicts,
    };
  },

  'booths:setPlan': ({ boothId, ...fields }, ctx) => {
    const booth = requireBooth(ctx, boothId);
    const problem = planProblem(fields);
    if (problem) throw new AppError('INVALID_BOOTH_PLAN', `Invalid plan: ${problem}`, { problem });
    ctx.store.events.append('booth_plan_set', { ...fields, boothId, stopId: booth.stopId, copiedFromStopId: null }, { actorId: ctx.actorId, stopId: booth.stopId });
    return boothQ(ctx.store.db).plan(boothId)!;
  },

  'booths:copyPlans': ({ fromStopId, toStopId, overwrite }, ctx) => {
    const m = masterQ(ctx.store.db);
    if (!m.stop(fromStopId)) throw new AppError('NOT_FOUND', `No stop ${fromStopId}`, { stopId: fromStopId });
    if (!m.stop(toStopId)) throw new AppError('NOT_FOUND', `No stop ${toStopId}`, { stopId: toStopId });
    const q = boothQ(ctx.store.db);
    const source = new Map<string, BoothPlan>();
    for (const p of q.plansOfStop(fromStopId)) {
      const ref = q.boothRef(p.boothId);
      if (ref) source.set(ref.institutionId, p);
    }
    let copied = 0;
    let skipped = 0;
    ctx.store.events.transaction(() => {
      for (const b of q.boothsOfStop(toStopId)) {
        const from = source.get(b.institution_id);
        if (!from) continue;
        if (!overwrite && q.plan(b.id)) {
          skipped++;
          continue;
        }
        const { boothId: _b, stopId: _s, copiedFromStopId: _c, ...fields } = from;
        ctx.store.events.append('booth_plan_set', { ...fields, boothId: b.id, stopId: toStopId, copiedFromStopId: fromStopId }, { actorId: ctx.actorId, stopId: toStopId });
        copied++;
      }
    });
    return { copied, skipped };
  },

  'booths:book': (input, ctx) =>
    ctx.store.events.transaction(() => {
      const { bookingId, booth, warnings } = place(ctx, input, 'desk');
      return result(ctx, booth, bookingId, warnings, null);
    }),

  'booths:walkUp': (input, ctx) =>
    ctx.store.events.transaction(() => {
      const { bookingId, booth, warnings } = place(ctx, input, 'walk_up');
      return result(ctx, booth, bookingId, warnings, null);
    }),

  'booths:move': ({ bookingId, boothId, slotStart }, ctx) =>
    ctx.store.events.transaction(() => {
      const { booth, warnings, offer } = move(ctx, bookingId, boothId, slotStart);
      return result(ctx, booth, bookingId, warnings, offer);
    }),

  'booths:cancel': ({ bookingId, reason }, ctx) => ctx.store.events.transaction(() => ({ offer: cancel(ctx, bookingId, reason) })),

  'booths:markAttendance': ({ bookingId, attendance }, ctx) =>
    ctx.store.events.transaction(() => {
      const row = requireActiveBooking(ctx, bookingId);
      const booth = requireBooth(ctx, row.booth_id);
      // A person confirming the host's automatic mark still writes it: theirs beats the automatic one.
      if (row.attendance !== attendance || row.attendance_source === 'auto') {
        ctx.store.events.append('attendance_marked', { bookingId, attendance, source: 'desk' }, { actorId: ctx.actorId, stopId: row.stop_id });
      }
      // A no-show frees the place as a cancel does (issue #19): the first person waiting is offered it.
      const offer = attendance === 'no_show' && row.attendance !== 'no_show' ? offerFreedPlace(ctx, row.booth_id, row.slot_start) : null;
      return { ...boothQ(ctx.store.db).bookingView(bookingId, booth.date, booth.timeZone)!, offer };
    }),

  'booths:waitlistJoin': ({ boothId, registrationId }, ctx) =>
    ctx.store.events.transaction(() => {
      const booth = requireBooth(ctx, boothId);
      if (booth.removed) throw new AppError('BOOTH_REMOVED', `Booth ${booth.shortName} was taken off the floor plan`, { booth: booth.shortName });
      const reg = requireRegistration(ctx, registrationId, booth.stopId);
      const q = boothQ(ctx.store.db);
      if (q.waitlist(boothId, ctx.store.now()).some((e) => e.attendeeId === reg.attendee.id)) {
        throw new AppError('ALREADY_ON_WAITLIST', `Already waiting at ${booth.shortName}`, { booth: booth.shortName });
      }
      const entryId = randomUUID();
      ctx.store.events.append('waitlist_joined', { entryId, boothId, stopId: booth.stopId, attendeeId: reg.attendee.id, registrationId }, { actorId: ctx.actorId, stopId: booth.stopId });
      return q.entry(entryId, ctx.store.now())!.view;
    }),

  'booths:waitlistLeave': ({ entryId }, ctx) =>
    ctx.store.events.transaction(() => {
      const e = boothQ(ctx.store.db).entry(entryId, ctx.store.now());
      if (!e || e.left) throw new AppError('NOT_FOUND', `No waitlist entry ${entryId}`, { entryId });
      const booth = requireBooth(ctx, e.view.boothId);
      ctx.store.events.append('waitlist_left', { entryId, reason: 'withdrawn' }, { actorId: ctx.actorId, stopId: booth.stopId });
      // An open offer it held goes to the next person.
      if (e.view.offer) offerFreedPlace(ctx, booth.id, e.view.offer.slotStart);
      return { entryId };
    }),

  'booths:acceptOffer': ({ entryId }, ctx) =>
    ctx.store.events.transaction(() => {
      const e = boothQ(ctx.store.db).entry(entryId, ctx.store.now());
      if (e && !e.left && e.view.expiredOffer) throw expired(ctx, e.view);
      if (!e || e.left || !e.view.offer) throw new AppError('NO_OPEN_OFFER', `No open offer for ${entryId}`, { entryId });
      const { bookingId, booth, warnings } = place(ctx, { boothId: e.view.boothId, slotStart: e.view.offer.slotStart, registrationId: e.view.registrationId }, 'waitlist', entryId);
      return result(ctx, booth, bookingId, warnings, null);
    }),

  'booths:declineOffer': ({ entryId }, ctx) =>
    ctx.store.events.transaction(() => {
      const e = boothQ(ctx.store.db).entry(entryId, ctx.store.now());
      if (e && !e.left && e.view.expiredOffer) throw expired(ctx, e.view);
      if (!e || e.left || !e.view.offer) throw new AppError('NO_OPEN_OFFER', `No open offer for ${entryId}`, { entryId });
      const booth = requireBooth(ctx, e.view.boothId);
      ctx.store.events.append('waitlist_offer_declined', { entryId, slotStart: e.view.offer.slotStart }, { actorId: ctx.actorId, stopId: booth.stopId });
      return { offer: offerFreedPlace(ctx, booth.id, e.view.offer.slotStart) };
    }),

  'booths:resolveConflict': ({ bookingId, action, boothId, slotStart, note }, ctx) =>
    ctx.store.events.transaction(() => {
      const row = requireActiveBooking(ctx, bookingId);
      const booth = requireBooth(ctx, row.booth_id);
      const kinds = boothQ(ctx.store.db).conflictKinds(row.stop_id, booth.date, booth.timeZone).get(bookingId) ?? [];
      if (kinds.length === 0) throw new AppError('CONFLICT', `Booking ${bookingId} is not in conflict (any more)`, { bookingId });
      const meta = { actorId: ctx.actorId, stopId: row.stop_id };
      const at = { boothId: row.booth_id, slotStart: row.slot_start };
      let offer: WaitlistEntryView | null = null;
      if (action === 'move') {
        if (!boothId || !slotStart) throw new AppError('VALIDATION', 'A move needs a booth and a slot', { issues: [{ path: 'slotStart', message: 'required', code: 'custom' }] });
        offer = move(ctx, bookingId, boothId, slotStart).offer;
      } else if (action === 'cancel') {
        offer = cancel(ctx, bookingId, note);
      }
      const done = action === 'keep' ? 'kept' : action === 'move' ? 'moved' : 'cancelled';
      for (const kind of [...new Set(kinds)]) {
        ctx.store.events.append('booking_conflict_resolved', { bookingId, kind, action: done, ...at, note }, meta);
      }
      return { offer };
    }),
};
