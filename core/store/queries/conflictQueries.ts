import type { ConflictEntry } from '../../../shared/ipc/conflictsContract';
import type { Db } from '../sqlite';
import { createBoothQueries } from './boothQueries';
import { createMasterDataQueries } from './masterDataQueries';

/** A conflict as derived from the tables; whether the caller may resolve it is the handler's to say. */
export type DerivedConflict = ConflictEntry extends infer E ? (E extends ConflictEntry ? Omit<E, 'resolvable'> : never) : never;

const personName = (a: { familyName: string; givenName: string; nameKo: string }) => [a.nameKo, `${a.givenName} ${a.familyName}`.trim()].filter(Boolean).join(' · ') || '—';

/**
 * The one derivation of open conflicts, for HQ's dashboard and the desk (issue #19): double
 * check-ins (a person checked in again after the earliest live check-in, by HLC), booking
 * conflicts (core/domain/boothSlots via the booth queries) and consultations with several heads.
 * Derived queries over projection tables, so any delivery order of the same events gives the
 * same list. Stops in the master-data order, then each kind in a stable order.
 */
export function createConflictQueries(db: Db) {
  const master = createMasterDataQueries(db);
  const booths = createBoothQueries(db);
  const doubles = db.prepare<[string], { registration_id: string; family_name: string | null; given_name: string | null; name_ko: string | null; event_id: string; desk: string; at: string; first_desk: string; first_at: string }>(`
    WITH several AS (
      -- Registrations checked in more than once (live or not): one pass over check_ins_registration, which covers it.
      SELECT registration_id FROM check_ins GROUP BY registration_id HAVING COUNT(*) > 1
    ), live AS (
      SELECT c.* FROM several s JOIN check_ins c ON c.registration_id = s.registration_id
      WHERE c.stop_id = ? AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id)
    ), ranked AS (
      SELECT live.*, ROW_NUMBER() OVER (PARTITION BY registration_id ORDER BY hlc) AS n,
             FIRST_VALUE(desk) OVER (PARTITION BY registration_id ORDER BY hlc) AS first_desk,
             FIRST_VALUE(at) OVER (PARTITION BY registration_id ORDER BY hlc) AS first_at
      FROM live
    )
    SELECT r.registration_id, a.family_name, a.given_name, a.name_ko, r.event_id, r.desk, r.at, r.first_desk, r.first_at
    FROM ranked r LEFT JOIN attendees a ON a.id = r.attendee_id WHERE r.n > 1 ORDER BY r.hlc`);
  const consultations = db.prepare<[string], { consultation_id: string; institution_id: string | null; short_name: string | null; visitor_label: string; head_ids: string; family_name: string | null; given_name: string | null; name_ko: string | null }>(`
    SELECT cur.consultation_id, c.institution_id, i.short_name, c.visitor_label, cur.head_ids, a.family_name, a.given_name, a.name_ko
    FROM consultation_current cur JOIN consultations c ON c.id = cur.consultation_id
    LEFT JOIN institutions i ON i.id = c.institution_id LEFT JOIN attendees a ON a.id = c.attendee_id
    WHERE cur.conflict = 1 AND c.stop_id = ? ORDER BY c.at, c.id`);

  return {
    /** Every open conflict, of one stop or of every stop the store knows. */
    list(stopId?: string): DerivedConflict[] {
      const stops = master.stops().filter((s) => stopId === undefined || s.id === stopId);
      const out: DerivedConflict[] = [];
      for (const stop of stops) {
        for (const d of doubles.all(stop.id)) {
          out.push({
            kind: 'double_check_in',
            stopId: stop.id,
            registrationId: d.registration_id,
            name: personName({ familyName: d.family_name ?? '', givenName: d.given_name ?? '', nameKo: d.name_ko ?? '' }),
            first: { at: d.first_at, desk: d.first_desk },
            second: { at: d.at, desk: d.desk, eventId: d.event_id },
          });
        }
        for (const c of booths.conflictsOf(stop.id, stop.date, stop.timeZone).conflicts) {
          for (const id of c.conflictedBookingIds) {
            const b = c.bookings.find((x) => x.bookingId === id);
            const ref = booths.boothRef(c.boothId);
            out.push({ kind: 'booking', stopId: stop.id, conflict: c.kind, bookingId: id, name: b ? personName(b.attendee) : id, boothId: c.boothId, booth: ref ? `${ref.shortName} ${ref.location}` : c.boothId, slotStart: c.slotStart });
          }
        }
        for (const c of consultations.all(stop.id)) {
          const visitor = c.family_name !== null ? personName({ familyName: c.family_name, givenName: c.given_name ?? '', nameKo: c.name_ko ?? '' }) : c.visitor_label || '—';
          out.push({ kind: 'consultation', stopId: stop.id, consultationId: c.consultation_id, institutionId: c.institution_id, institution: c.short_name ?? '', visitor, heads: (JSON.parse(c.head_ids) as string[]).length });
        }
      }
      return out;
    },
  };
}
