import type { BookingBrief, DeskView, HistoryEntry } from '../../../shared/ipc/checkinContract';
import type { Attendee, CheckInInfo, StopCounts } from '../../../shared/schemas/attendees';
import { searchCacheOf } from '../searchCache';
import type { Db } from '../sqlite';

interface RegRow {
  registration_id: string;
  stop_id: string;
  source: DeskView['source'];
  scan_token: string;
  attendee_id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: Attendee['careerStage'];
  fields: string;
}
interface CheckInRow {
  event_id: string;
  device_id: string;
  desk: string;
  at: string;
  void_reason: string | null;
  voided: number;
}

interface HistoryRow {
  kind: 'check_in' | 'void';
  event_id: string;
  stop_id: string;
  desk: string;
  device_id: string;
  staff_name: string | null;
  at: string;
  reason: string | null;
  check_in_event_id: string | null;
}

/**
 * Booked consultations come from the booths feature's `bookings` table. The check-in desk reads
 * it when it exists (and only the columns it needs), so the two features stay independent.
 */
function createBookingLookup(db: Db): { of: (attendeeId: string, stopId: string) => BookingBrief[]; ofMany: (attendeeIds: string[], stopId: string) => Map<string, BookingBrief[]> } {
  const cols = new Set((db.prepare("SELECT name FROM pragma_table_info('bookings')").all() as { name: string }[]).map((c) => c.name));
  const needed = ['booking_id', 'attendee_id', 'stop_id', 'booth_id', 'slot_start', 'slot_end', 'cancelled_hlc', 'attendance'];
  if (!needed.every((c) => cols.has(c))) return { of: () => [], ofMany: () => new Map() };
  const stmt = db.prepare<[string, string], { booking_id: string; short_name: string | null; location: string | null; slot_start: string | null; slot_end: string | null; attendance: string }>(`
    SELECT b.booking_id, i.short_name, bo.location, b.slot_start, b.slot_end, b.attendance
    FROM bookings b LEFT JOIN booths bo ON bo.id = b.booth_id LEFT JOIN institutions i ON i.id = bo.institution_id
    WHERE b.attendee_id = ? AND b.stop_id = ? AND b.cancelled_hlc IS NULL
    ORDER BY b.slot_start`);
  type Row = { attendee_id: string; booking_id: string; short_name: string | null; location: string | null; slot_start: string | null; slot_end: string | null; attendance: string };
  // The same rows for several people at once (one statement for a page of search results).
  const many = db.prepare<[string, string], Row>(`
    SELECT b.attendee_id, b.booking_id, i.short_name, bo.location, b.slot_start, b.slot_end, b.attendance
    FROM bookings b LEFT JOIN booths bo ON bo.id = b.booth_id LEFT JOIN institutions i ON i.id = bo.institution_id
    WHERE b.attendee_id IN (SELECT value FROM json_each(?)) AND b.stop_id = ? AND b.cancelled_hlc IS NULL
    ORDER BY b.attendee_id, b.slot_start`);
  const brief = (b: Omit<Row, 'attendee_id'>): BookingBrief => ({
    bookingId: b.booking_id,
    institution: b.short_name ?? '',
    location: b.location ?? '',
    slotStart: b.slot_start,
    slotEnd: b.slot_end,
    attendance: b.attendance as BookingBrief['attendance'],
  });
  return {
    of: (attendeeId, stopId) => stmt.all(attendeeId, stopId).map(brief),
    ofMany(attendeeIds, stopId) {
      const out = new Map<string, BookingBrief[]>();
      for (const r of many.all(JSON.stringify(attendeeIds), stopId)) {
        const list = out.get(r.attendee_id);
        if (list) list.push(brief(r));
        else out.set(r.attendee_id, [brief(r)]);
      }
      return out;
    },
  };
}

const SELECT_REG = `
  SELECT r.id AS registration_id, r.stop_id, r.source, r.scan_token, a.id AS attendee_id, a.family_name, a.given_name,
         a.name_ko, a.email, a.affiliation, a.career_stage, a.fields
  FROM registrations r JOIN attendees a ON a.id = r.attendee_id`;

export function createRegistrationQueries(db: Db) {
  const byId = db.prepare<[string], RegRow>(`${SELECT_REG} WHERE r.id = ?`);
  const byToken = db.prepare<[string, string], RegRow>(`${SELECT_REG} WHERE r.stop_id = ? AND r.scan_token = ? ORDER BY r.hlc LIMIT 1`);
  const checkIns = db.prepare<[string], CheckInRow>(`
    SELECT c.event_id, c.device_id, c.desk, c.at,
           (SELECT v.reason FROM check_in_voids v WHERE v.check_in_event_id = c.event_id ORDER BY v.hlc LIMIT 1) AS void_reason,
           EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id) AS voided
    FROM check_ins c WHERE c.registration_id = ? ORDER BY c.hlc`);
  const checkInById = db.prepare<[string], { registration_id: string }>('SELECT registration_id FROM check_ins WHERE event_id = ?');
  const counts = db.prepare<[string], { registered: number; checked_in: number; walk_ins: number }>(`
    SELECT COUNT(*) AS registered,
           SUM(EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id
                       AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))) AS checked_in,
           SUM(r.source = 'walk_in') AS walk_ins
    FROM registrations r WHERE r.stop_id = ?`);
  const byStage = db.prepare<[string], { stage: string; n: number }>(`
    SELECT a.career_stage AS stage, COUNT(*) AS n FROM registrations r JOIN attendees a ON a.id = r.attendee_id
    WHERE r.stop_id = ? AND EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id
      AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))
    GROUP BY a.career_stage`);

  const byTokenCi = db.prepare<[string, string], RegRow>(`${SELECT_REG} WHERE r.stop_id = ? AND r.scan_token = ? COLLATE NOCASE ORDER BY r.hlc LIMIT 1`);
  const regOfAttendee = db.prepare<[string, string], { id: string }>('SELECT id FROM registrations WHERE stop_id = ? AND attendee_id = ? ORDER BY hlc LIMIT 1');
  const history = db.prepare<[string, string], HistoryRow>(`
    SELECT 'check_in' AS kind, c.event_id, c.stop_id, c.desk, c.device_id, s.name AS staff_name, c.at, c.hlc AS hlc, NULL AS reason, NULL AS check_in_event_id
    FROM check_ins c LEFT JOIN staff s ON s.id = c.actor_id WHERE c.attendee_id = ?
    UNION ALL
    SELECT 'void' AS kind, v.event_id, c.stop_id, v.desk, v.device_id, s.name, v.at, v.hlc AS hlc, v.reason, v.check_in_event_id
    FROM check_in_voids v JOIN check_ins c ON c.event_id = v.check_in_event_id LEFT JOIN staff s ON s.id = v.actor_id
    WHERE c.attendee_id = ?
    ORDER BY hlc`);
  const regsByIds = db.prepare<[string], RegRow>(`${SELECT_REG} WHERE r.id IN (SELECT value FROM json_each(?))`);
  const checkInsOf = db.prepare<[string], CheckInRow & { registration_id: string }>(`
    SELECT c.registration_id, c.event_id, c.device_id, c.desk, c.at,
           (SELECT v.reason FROM check_in_voids v WHERE v.check_in_event_id = c.event_id ORDER BY v.hlc LIMIT 1) AS void_reason,
           EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id) AS voided
    FROM check_ins c WHERE c.registration_id IN (SELECT value FROM json_each(?)) ORDER BY c.registration_id, c.hlc`);
  const search = searchCacheOf(db);
  const bookings = createBookingLookup(db);

  function toView(r: RegRow, checkInRows: CheckInRow[] = checkIns.all(r.registration_id), booked: BookingBrief[] = bookings.of(r.attendee_id, r.stop_id)): DeskView {
    const all: CheckInInfo[] = checkInRows.map((c) => ({
      eventId: c.event_id,
      deviceId: c.device_id,
      desk: c.desk,
      at: c.at,
      voided: c.voided === 1,
      voidReason: c.void_reason,
    }));
    const live = all.filter((c) => !c.voided);
    return {
      registrationId: r.registration_id,
      stopId: r.stop_id,
      source: r.source,
      scanToken: r.scan_token,
      attendee: {
        id: r.attendee_id,
        familyName: r.family_name,
        givenName: r.given_name,
        nameKo: r.name_ko,
        email: r.email,
        affiliation: r.affiliation,
        careerStage: r.career_stage,
        fields: JSON.parse(r.fields) as Attendee['fields'],
      },
      checkIn: live[0] ?? null,
      duplicateCheckIns: live.slice(1),
      bookings: booked,
    };
  }

  /** The views of several registrations of one stop, in the order asked (three statements, not three per person). */
  function viewsOf(stopId: string, ids: string[]): DeskView[] {
    if (ids.length === 0) return [];
    const list = JSON.stringify(ids);
    const rows = new Map(regsByIds.all(list).map((r) => [r.registration_id, r]));
    const checks = new Map<string, CheckInRow[]>();
    for (const c of checkInsOf.all(list)) {
      const l = checks.get(c.registration_id);
      if (l) l.push(c);
      else checks.set(c.registration_id, [c]);
    }
    const booked = bookings.ofMany([...new Set([...rows.values()].map((r) => r.attendee_id))], stopId);
    const out: DeskView[] = [];
    for (const id of ids) {
      const r = rows.get(id);
      if (!r) continue;
      out.push(toView(r, checks.get(id) ?? [], r.stop_id === stopId ? (booked.get(r.attendee_id) ?? []) : bookings.of(r.attendee_id, r.stop_id)));
    }
    return out;
  }

  return {
    byId(id: string): DeskView | null {
      const r = byId.get(id);
      return r ? toView(r) : null;
    },
    byToken(stopId: string, token: string): DeskView | null {
      const r = byToken.get(stopId, token.trim()) ?? byTokenCi.get(stopId, token.trim());
      return r ? toView(r) : null;
    },
    registrationOfCheckIn(eventId: string): string | null {
      return checkInById.get(eventId)?.registration_id ?? null;
    },
    /** Ranked as-you-type search over the stop's in-memory index (see core/domain/searchIndex.ts). */
    search(stopId: string, query: string, limit: number): DeskView[] {
      return viewsOf(stopId, search.index(stopId).search(query, limit).map((h) => h.id));
    },
    searchCache: search,
    /** Every check-in and undo of a person, at every stop, oldest first. */
    history(attendeeId: string): HistoryEntry[] {
      return history.all(attendeeId, attendeeId).map((h) => ({
        kind: h.kind,
        eventId: h.event_id,
        stopId: h.stop_id,
        desk: h.desk,
        deviceId: h.device_id,
        staffName: h.staff_name,
        at: h.at,
        reason: h.reason,
        checkInEventId: h.check_in_event_id,
      }));
    },
    registrationOf(stopId: string, attendeeId: string): string | null {
      return regOfAttendee.get(stopId, attendeeId)?.id ?? null;
    },
    counts(stopId: string): StopCounts {
      const c = counts.get(stopId)!;
      return {
        stopId,
        registered: c.registered,
        checkedIn: c.checked_in ?? 0,
        walkIns: c.walk_ins ?? 0,
        byCareerStage: Object.fromEntries(byStage.all(stopId).map((s) => [s.stage, s.n])),
      };
    },
  };
}
export type RegistrationQueries = ReturnType<typeof createRegistrationQueries>;
