import { AppError } from '../../shared/errors';
import type { noShowContract } from '../../shared/ipc/noShowContract';
import type { WaitlistEntryView } from '../../shared/schemas/booths';
import { perDb } from '../store/perDb';
import { createBoothQueries } from '../store/queries/boothQueries';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { createNoShowQueries } from '../store/queries/noShowQueries';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';
import { offerFreedPlace, passExpiredOffers } from './waitlistOffers';

const noShowQ = perDb(createNoShowQueries);
const boothQ = perDb(createBoothQueries);
const masterQ = perDb(createMasterDataQueries);

export interface SweepResult {
  /** Bookings marked no-show automatically. */
  marked: string[];
  /** Places offered to the next person waiting (freed by those no-shows or by expired offers). */
  offers: WaitlistEntryView[];
}

/**
 * One pass of the host's no-show timer over the given stops (issue #19), at the store's clock:
 * 1. bookings still pending N minutes into their slot, whose person has not checked in at the stop,
 *    are marked no-show (`attendance_marked` with source 'auto') and their place is offered;
 * 2. offers unanswered for M minutes pass to the next person.
 * Each write checks the state first, so running it again (or on a second desk) writes nothing new;
 * two desks doing it offline write the same mark twice, which the projection folds into one.
 */
export function runNoShowSweep(ctx: ApiContext, stopIds: readonly string[]): SweepResult {
  const out: SweepResult = { marked: [], offers: [] };
  const q = noShowQ(ctx.store.db);
  for (const stopId of stopIds) {
    const settings = q.settings(stopId);
    ctx.store.events.transaction(() => {
      if (settings.autoNoShowMinutes !== null) {
        for (const bookingId of q.dueNoShows(stopId, ctx.store.now(), settings.autoNoShowMinutes)) {
          const row = boothQ(ctx.store.db).bookingState(bookingId)?.row;
          if (!row) continue;
          ctx.store.events.append('attendance_marked', { bookingId, attendance: 'no_show', source: 'auto' }, { actorId: ctx.actorId, stopId });
          out.marked.push(bookingId);
          const offer = offerFreedPlace(ctx, row.booth_id, row.slot_start);
          if (offer) out.offers.push(offer);
        }
      }
      if (settings.offerExpiryMinutes !== null) out.offers.push(...passExpiredOffers(ctx, stopId));
    });
  }
  return out;
}

/** The stops a desk's timer looks after: its own stop only (another stop's check-ins may be hours old here). */
export function sweptStops(ctx: ApiContext, currentStopId: string | null): string[] {
  return currentStopId && noShowQ(ctx.store.db).stopsWithRules().includes(currentStopId) ? [currentStopId] : [];
}

export const noShowHandlers: HandlerMap<keyof typeof noShowContract> = {
  'noshow:settings': ({ stopId }, ctx) => {
    if (!masterQ(ctx.store.db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
    return noShowQ(ctx.store.db).settings(stopId);
  },
  'noshow:setSettings': ({ stopId, autoNoShowMinutes, offerExpiryMinutes }, ctx) =>
    ctx.store.events.transaction(() => {
      if (!masterQ(ctx.store.db).stop(stopId)) throw new AppError('NOT_FOUND', `No stop ${stopId}`, { stopId });
      const before = noShowQ(ctx.store.db).settings(stopId);
      if (before.setAt === null || before.autoNoShowMinutes !== autoNoShowMinutes || before.offerExpiryMinutes !== offerExpiryMinutes) {
        ctx.store.events.append('stop_booth_settings_set', { stopId, autoNoShowMinutes, offerExpiryMinutes }, { actorId: ctx.actorId, stopId });
      }
      return noShowQ(ctx.store.db).settings(stopId);
    }),
};
