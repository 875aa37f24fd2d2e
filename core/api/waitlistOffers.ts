import type { WaitlistEntryView } from '../../shared/schemas/booths';
import { overlaps } from '../domain/boothSlots';
import { perDb } from '../store/perDb';
import { createBoothQueries } from '../store/queries/boothQueries';
import type { ApiContext } from './apiContext';

const boothQ = perDb(createBoothQueries);

/**
 * When a place frees (cancel, move out, no-show, an offer declined, withdrawn or expired), the first
 * person waiting at that booth is offered it: someone without a booking at an overlapping time, who
 * has no open offer, did not decline this very slot and whose offer of it did not just expire.
 * Writes nothing when the slot has no free place (so calling it again is harmless).
 */
export function offerFreedPlace(ctx: ApiContext, boothId: string, slotStartIso: string): WaitlistEntryView | null {
  const q = boothQ(ctx.store.db);
  const now = ctx.store.now();
  const booth = q.boothRef(boothId);
  const plan = booth && !booth.removed ? q.plan(boothId) : null;
  if (!booth || !plan) return null;
  const slot = q.slotsOf(plan, booth.date, booth.timeZone).find((s) => s.start === slotStartIso);
  if (!slot) return null;
  if (q.liveInSlot(boothId, slot.start) + q.openOffersInSlot(boothId, slot.start, now).length >= plan.capacity) return null;
  const next = q.waitlist(boothId, now).find(
    (e) =>
      e.view.offer === null &&
      e.declinedSlotStart !== slot.start &&
      e.view.expiredOffer?.slotStart !== slot.start &&
      !q.liveOfAttendee(e.attendeeId, booth.stopId).some((b) => overlaps(b.slot_start, b.slot_end, slot.start, slot.end)),
  );
  if (!next) return null;
  ctx.store.events.append('waitlist_offered', { entryId: next.view.entryId, slotStart: slot.start, slotEnd: slot.end }, { actorId: ctx.actorId, stopId: booth.stopId });
  return q.entry(next.view.entryId, now)!.view;
}

/**
 * Passes every expired offer of a stop to the next person (issue #19). Expiry itself is derived
 * from the clock; the pass is an ordinary `waitlist_offered`. Only slots not over yet are offered.
 * Idempotent: once the place is offered again the slot is full and nothing more is written; two
 * desks doing it offline at worst offer the same place twice, and the earlier offer is the one that
 * may be accepted (`checkCapacity` in boothHandlers). Returns the new offers.
 */
export function passExpiredOffers(ctx: ApiContext, stopId: string): WaitlistEntryView[] {
  const q = boothQ(ctx.store.db);
  const now = ctx.store.now();
  const slots = new Map<string, { boothId: string; slotStart: string }>();
  for (const e of q.waitlistOfStop(stopId, now)) {
    if (e.expiredOffer && Date.parse(e.expiredOffer.slotEnd) > now) slots.set(`${e.boothId}|${e.expiredOffer.slotStart}`, { boothId: e.boothId, slotStart: e.expiredOffer.slotStart });
  }
  const offers: WaitlistEntryView[] = [];
  for (const { boothId, slotStart } of slots.values()) {
    // Several places of one slot may have expired at once: offer each of them.
    for (let offer = offerFreedPlace(ctx, boothId, slotStart); offer; offer = offerFreedPlace(ctx, boothId, slotStart)) offers.push(offer);
  }
  return offers;
}
