import type { EventEnvelope } from '../../shared/events/envelope';
import { perDb } from '../store/perDb';
import { createBoothQueries } from '../store/queries/boothQueries';
import type { Db } from '../store/sqlite';

/**
 * Counts the conflicts that events just pulled from HQ brought into this laptop's state, for the
 * sync summary. The conflicts themselves stay in the feature screens' conflict lists.
 */
export type ConflictDetector = (db: Db, pulled: readonly EventEnvelope[]) => number;

/** A check-in that arrives for a registration already checked in (not voided) elsewhere: a duplicate. */
const duplicateCheckIns: ConflictDetector = (db, pulled) => {
  const count = db.prepare<[string], { n: number }>(
    `SELECT COUNT(*) AS n FROM check_ins c WHERE c.registration_id = ?
       AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id)`,
  );
  let n = 0;
  for (const e of pulled) {
    if (e.type !== 'checked_in') continue;
    const reg = (e.payload as { registrationId?: unknown }).registrationId;
    if (typeof reg === 'string' && count.get(reg)!.n > 1) n++;
  }
  return n;
};

const BOOKING_TYPES = new Set(['booking_made', 'booking_moved', 'walk_up_recorded', 'booth_plan_set', 'attendance_marked']);
const boothQ = perDb(createBoothQueries);

/**
 * Booking conflicts (over capacity, a person in overlapping slots, a slot the plan no longer has)
 * in the stops the pulled events touched: the same list the Booths screen shows.
 */
const bookingConflicts: ConflictDetector = (db, pulled) => {
  const stops = new Set<string>();
  for (const e of pulled) if (BOOKING_TYPES.has(e.type) && e.stopId) stops.add(e.stopId);
  if (stops.size === 0) return 0;
  const stopRow = db.prepare<[string], { date: string; time_zone: string }>('SELECT date, time_zone FROM stops WHERE id = ?');
  let n = 0;
  for (const stopId of stops) {
    const stop = stopRow.get(stopId);
    if (stop) n += boothQ(db).conflictsOf(stopId, stop.date, stop.time_zone).conflicts.length;
  }
  return n;
};

/** Consultations that pulled edits left with two concurrent heads (flagged until a person resolves them). */
const consultationEditConflicts: ConflictDetector = (db, pulled) => {
  const ids = new Set<string>();
  for (const e of pulled) {
    if (e.type !== 'consultation_edited' && e.type !== 'consultation_logged') continue;
    const id = (e.payload as { consultationId?: unknown }).consultationId;
    if (typeof id === 'string') ids.add(id);
  }
  if (ids.size === 0) return 0;
  const flagged = db.prepare<[string], { conflict: number }>('SELECT conflict FROM consultation_current WHERE consultation_id = ?');
  let n = 0;
  for (const id of ids) if (flagged.get(id)?.conflict === 1) n++;
  return n;
};

/** Every feature's detector; a feature with a conflict list adds its own here. */
export const CONFLICT_DETECTORS: readonly ConflictDetector[] = [duplicateCheckIns, bookingConflicts, consultationEditConflicts];

export function countConflicts(db: Db, pulled: readonly EventEnvelope[]): number {
  if (pulled.length === 0) return 0;
  return CONFLICT_DETECTORS.reduce((sum, d) => sum + d(db, pulled), 0);
}
