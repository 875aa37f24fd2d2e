import type { EventEnvelope } from '../../shared/events/envelope';
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

/** Features add their own detectors here (booth over-booking, concurrent note edits…). */
export const CONFLICT_DETECTORS: readonly ConflictDetector[] = [duplicateCheckIns];

export function countConflicts(db: Db, pulled: readonly EventEnvelope[]): number {
  if (pulled.length === 0) return 0;
  return CONFLICT_DETECTORS.reduce((sum, d) => sum + d(db, pulled), 0);
}
