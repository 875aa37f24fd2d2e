import type { Attendee } from '../../../shared/schemas/attendees';
import type {
  Attendance,
  BookingViewSource,
  BookingView,
  BoothPlan,
  ConflictKind,
  ConflictView,
  WaitlistEntryView,
} from '../../../shared/schemas/booths';
import { generateSlots, overlaps, type Slot } from '../../domain/boothSlots';
import type { Db } from '../sqlite';
import { mergedGroupOf } from './mergedGroupSql';

interface PlanRow {
  booth_id: string;
  stop_id: string;
  start_time: string;
  end_time: string;
  slot_minutes: number;
  capacity: number;
  breaks: string;
  fields: string;
  copied_from_stop_id: string | null;
}

interface AttendeeCols {
  attendee_id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: Attendee['careerStage'];
  a_fields: string;
}

interface BookingRow extends AttendeeCols {
  booking_id: string;
  booth_id: string;
  stop_id: string;
  slot_start: string;
  slot_end: string;
  registration_id: string;
  source: BookingViewSource;
  attendance: Attendance;
  attendance_source: 'auto' | null;
  place_hlc: string;
  made_at: string;
  scan_token: string;
  checked_in: number;
  cancelled: number;
}

/** What the conflict rules read of a booking. */
interface LeanRow {
  booking_id: string;
  booth_id: string;
  slot_start: string;
  slot_end: string;
  attendee_id: string;
  place_hlc: string;
  attendance: Attendance;
}

interface EntryRow extends AttendeeCols {
  entry_id: string;
  booth_id: string;
  registration_id: string;
  joined_at: string;
  joined_hlc: string;
  offer_slot_start: string | null;
  offer_slot_end: string | null;
  open_offer: number;
  expired_offer: number;
  offer_at_ms: number | null;
  expiry_min: number | null;
  offer_hlc: string | null;
  declined_slot_start: string | null;
}

export interface BoothRef {
  id: string;
  stopId: string;
  institutionId: string;
  location: string;
  shortName: string;
  date: string;
  timeZone: string;
  /** Off the floor plan: nothing new is booked there; its bookings show as conflicts. */
  removed: boolean;
}

const ATTENDEE_COLS = `a.family_name, a.given_name, a.name_ko, a.email, a.affiliation, a.career_stage, a.fields AS a_fields`;
/** The person has an effective check-in at this stop (a registration is per stop; check_ins is indexed by it). */
const CHECKED_IN = `EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = b.registration_id
  AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))`;
const SELECT_BOOKING = `
  SELECT b.booking_id, b.booth_id, b.stop_id, b.slot_start, b.slot_end, b.registration_id, b.source, b.attendance, b.attendance_source, b.place_hlc,
         b.made_at, b.attendee_id, b.cancelled_hlc IS NOT NULL AS cancelled, COALESCE(r.scan_token, '') AS scan_token,
         ${CHECKED_IN} AS checked_in, ${ATTENDEE_COLS}
  FROM bookings b LEFT JOIN attendees a ON a.id = b.attendee_id LEFT JOIN registrations r ON r.id = b.registration_id`;
/** A booking holds a place when it was made, is not cancelled and the person was not a no-show. */
const LIVE = `b.made_hlc IS NOT NULL AND b.cancelled_hlc IS NULL AND b.attendance <> 'no_show'`;
/** An offer made and not answered: not declined after it, the person still waiting. */
const STANDING_OFFER = `(w.offer_slot_start IS NOT NULL AND w.left_hlc IS NULL
  AND NOT (w.declined_slot_start IS w.offer_slot_start AND w.declined_hlc > w.offer_hlc))`;
/**
 * When the offer was made: the offering desk's wall clock (the same on every desk holding the event);
 * the wall part of its HLC for offers projected before migration 0750.
 */
const OFFER_MS = `COALESCE(w.offer_ms, CAST(substr(w.offer_hlc, 1, 15) AS INTEGER))`;
/** The stop's expiry setting in minutes (issue #19); NULL: offers never expire. */
const EXPIRY_MIN = `(SELECT ss.offer_expiry_minutes FROM stop_booth_settings ss WHERE ss.stop_id = w.stop_id)`;
/**
 * Expiry is derived, never written: an unanswered offer older than the stop's setting at `@now`
 * (the host's clock, bound by every statement using it) no longer holds its place.
 */
const EXPIRED = `(${EXPIRY_MIN} IS NOT NULL AND ${OFFER_MS} + ${EXPIRY_MIN} * 60000 <= @now)`;
const OPEN_OFFER = `(${STANDING_OFFER} AND NOT ${EXPIRED})`;
const SELECT_ENTRY = `
  SELECT w.entry_id, w.booth_id, w.registration_id, w.joined_at, w.joined_hlc, w.offer_slot_start, w.offer_slot_end,
         w.declined_slot_start, ${OPEN_OFFER} AS open_offer, (${STANDING_OFFER} AND ${EXPIRED}) AS expired_offer,
         ${OFFER_MS} AS offer_at_ms, ${EXPIRY_MIN} AS expiry_min, w.offer_hlc, w.attendee_id, ${ATTENDEE_COLS}
  FROM waitlist_entries w LEFT JOIN attendees a ON a.id = w.attendee_id`;

const toAttendee = (r: AttendeeCols): Attendee => ({
  id: r.attendee_id,
  familyName: r.family_name ?? '',
  givenName: r.given_name ?? '',
  nameKo: r.name_ko ?? '',
  email: r.email ?? '',
  affiliation: r.affiliation ?? '',
  careerStage: r.career_stage ?? 'other',
  fields: r.a_fields ? (JSON.parse(r.a_fields) as Attendee['fields']) : [],
});

const toPlan = (r: PlanRow): BoothPlan => ({
  boothId: r.booth_id,
  stopId: r.stop_id,
  startTime: r.start_time,
  endTime: r.end_time,
  slotMinutes: r.slot_minutes,
  capacity: r.capacity,
  breaks: JSON.parse(r.breaks) as BoothPlan['breaks'],
  fields: JSON.parse(r.fields) as BoothPlan['fields'],
  copiedFromStopId: r.copied_from_stop_id,
});

const instant = (ms: number | null): string => new Date(ms ?? 0).toISOString();
const expiry = (r: EntryRow): string | null => (r.expiry_min === null || r.offer_at_ms === null ? null : instant(r.offer_at_ms + r.expiry_min * 60_000));

const toEntry = (r: EntryRow): WaitlistEntryView => ({
  entryId: r.entry_id,
  boothId: r.booth_id,
  registrationId: r.registration_id,
  joinedAt: r.joined_at,
  attendee: toAttendee(r),
  offer:
    r.open_offer === 1 && r.offer_slot_start && r.offer_slot_end
      ? { slotStart: r.offer_slot_start, slotEnd: r.offer_slot_end, offeredAt: instant(r.offer_at_ms), expiresAt: expiry(r) }
      : null,
  expiredOffer:
    r.expired_offer === 1 && r.offer_slot_start && r.offer_slot_end ? { slotStart: r.offer_slot_start, slotEnd: r.offer_slot_end, expiredAt: expiry(r)! } : null,
});

const byPlacement = (a: LeanRow, b: LeanRow): number =>
  a.place_hlc < b.place_hlc ? -1 : a.place_hlc > b.place_hlc ? 1 : a.booking_id < b.booking_id ? -1 : a.booking_id > b.booking_id ? 1 : 0;

export function createBoothQueries(db: Db) {
  const boothRef = db.prepare<[string], Omit<BoothRef, 'removed'> & { removed: number }>(`
    SELECT b.id, b.stop_id AS stopId, b.institution_id AS institutionId, b.location, COALESCE(i.short_name, b.institution_id) AS shortName,
           s.date, s.time_zone AS timeZone, b.removed
    FROM booths b JOIN stops s ON s.id = b.stop_id LEFT JOIN institutions i ON i.id = b.institution_id WHERE b.id = ?`);
  // A removed booth (issue #18) has no plan any more: its bookings fall outside every plan (off_plan conflicts).
  const boothOfInstitution = db.prepare<[string, string], { id: string }>('SELECT id FROM booths WHERE stop_id = ? AND institution_id = ? AND removed = 0 ORDER BY id LIMIT 1');
  const boothsOfStop = db.prepare<[string], { id: string; institution_id: string }>('SELECT id, institution_id FROM booths WHERE stop_id = ? AND removed = 0 ORDER BY id');
  const plan = db.prepare<[string], PlanRow>('SELECT p.* FROM booth_plans p JOIN booths b ON b.id = p.booth_id WHERE p.booth_id = ? AND b.removed = 0');
  const plansOfStop = db.prepare<[string], PlanRow>('SELECT p.* FROM booth_plans p JOIN booths b ON b.id = p.booth_id WHERE b.stop_id = ? AND b.removed = 0');
  const booking = db.prepare<[string], BookingRow & { made: number }>(`${SELECT_BOOKING.replace('SELECT', 'SELECT b.made_hlc IS NOT NULL AS made,')} WHERE b.booking_id = ?`);
  const listedOfStop = db.prepare<[string], BookingRow>(`${SELECT_BOOKING} WHERE b.stop_id = ? AND b.made_hlc IS NOT NULL AND b.cancelled_hlc IS NULL ORDER BY b.slot_start, b.place_hlc, b.booking_id`);
  const leanOfStop = db.prepare<[string], LeanRow>(`SELECT b.booking_id, b.booth_id, b.slot_start, b.slot_end, b.attendee_id, b.place_hlc, b.attendance
    FROM bookings b WHERE b.stop_id = ? AND b.made_hlc IS NOT NULL AND b.cancelled_hlc IS NULL`);
  const liveInSlot = db.prepare<[string, string], { n: number }>(`SELECT COUNT(*) AS n FROM bookings b WHERE b.booth_id = ? AND b.slot_start = ? AND ${LIVE}`);
  const liveAtBooth = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM bookings b WHERE b.booth_id = ? AND ${LIVE}`);
  // A person is one merged group (two records of one person are never in overlapping slots either).
  const liveOfAttendee = db.prepare<{ a: string; stopId: string }, BookingRow>(
    `${SELECT_BOOKING} WHERE b.attendee_id IN ${mergedGroupOf('@a')} AND b.stop_id = @stopId AND ${LIVE} ORDER BY b.slot_start`,
  );
  const canonicalOfStop = db.prepare<[string], { attendee_id: string; canonical_id: string }>(
    'SELECT DISTINCT ac.attendee_id, ac.canonical_id FROM bookings b JOIN attendee_canonical ac ON ac.attendee_id = b.attendee_id WHERE b.stop_id = ?',
  );
  // Most stores hold no merge at all: then no look-up per booking (conflicts are derived at every booking).
  const anyMerge = db.prepare<[], { n: number }>('SELECT EXISTS (SELECT 1 FROM attendee_canonical) AS n');
  // `@now`: the host's clock in ms, for the derived expiry of offers.
  const entries = db.prepare<[{ id: string; now: number }], EntryRow>(`${SELECT_ENTRY} WHERE w.booth_id = @id AND w.joined_hlc IS NOT NULL AND w.left_hlc IS NULL ORDER BY w.joined_hlc, w.entry_id`);
  const entriesOfStop = db.prepare<[{ id: string; now: number }], EntryRow>(`${SELECT_ENTRY} WHERE w.stop_id = @id AND w.joined_hlc IS NOT NULL AND w.left_hlc IS NULL ORDER BY w.joined_hlc, w.entry_id`);
  const entry = db.prepare<[{ id: string; now: number }], EntryRow & { left: number }>(`${SELECT_ENTRY.replace('SELECT', 'SELECT w.left_hlc IS NOT NULL AS left,')} WHERE w.entry_id = @id AND w.joined_hlc IS NOT NULL`);
  const openOffersInSlot = db.prepare<[{ boothId: string; slotStart: string; now: number }], { entry_id: string; offer_hlc: string }>(
    `SELECT w.entry_id, w.offer_hlc FROM waitlist_entries w WHERE w.booth_id = @boothId AND w.offer_slot_start = @slotStart AND ${OPEN_OFFER} ORDER BY w.offer_hlc, w.entry_id`,
  );
  const kept = db.prepare<[string], { booking_id: string; kind: ConflictKind; booth_id: string; slot_start: string }>(`
    SELECT r.booking_id, r.kind, r.booth_id, r.slot_start FROM booking_conflict_resolutions r JOIN bookings b ON b.booking_id = r.booking_id
    WHERE b.stop_id = ? AND r.action = 'kept'`);

  const slotCache = new Map<string, Slot[]>();
  function slotsOf(p: BoothPlan, date: string, timeZone: string): Slot[] {
    const key = JSON.stringify([p.startTime, p.endTime, p.slotMinutes, p.breaks, date, timeZone]);
    let s = slotCache.get(key);
    if (!s) {
      s = generateSlots(p, date, timeZone);
      if (slotCache.size > 500) slotCache.clear();
      slotCache.set(key, s);
    }
    return s;
  }

  function toBooking(r: BookingRow, conflicted: ReadonlySet<string>): BookingView {
    return {
      bookingId: r.booking_id,
      boothId: r.booth_id,
      stopId: r.stop_id,
      slotStart: r.slot_start,
      slotEnd: r.slot_end,
      attendee: toAttendee(r),
      registrationId: r.registration_id,
      source: r.source,
      attendance: r.attendance,
      attendanceAuto: r.attendance_source === 'auto',
      checkedIn: r.checked_in === 1,
      scanToken: r.scan_token,
      conflicted: conflicted.has(r.booking_id),
      bookedAt: r.made_at,
    };
  }

  /**
   * The conflicts of a stop, derived from the tables alone (so every laptop holding the same events
   * lists the same ones): places beyond a slot's capacity in HLC order of placement, a person in
   * overlapping slots, over every record of a merged person (the later placement is the conflicted one), bookings the plan no longer has.
   */
  function computeConflicts<R extends LeanRow>(stopId: string, date: string, timeZone: string, rows: readonly R[]) {
    const live = rows.filter((r) => r.attendance !== 'no_show').sort(byPlacement);
    const plans = new Map(plansOfStop.all(stopId).map((p) => [p.booth_id, toPlan(p)]));
    const keptSet = new Set(kept.all(stopId).map((k) => `${k.kind}|${k.booking_id}|${k.booth_id}|${k.slot_start}`));
    const isKept = (kind: ConflictKind, b: R) => keptSet.has(`${kind}|${b.booking_id}|${b.booth_id}|${b.slot_start}`);
    const raw: { key: string; kind: ConflictKind; boothId: string; slotStart: string; capacity: number | null; involved: R[]; conflicted: R[] }[] = [];

    const bySlot = new Map<string, R[]>();
    for (const b of live) {
      const k = `${b.booth_id}|${b.slot_start}`;
      const list = bySlot.get(k);
      if (list) list.push(b);
      else bySlot.set(k, [b]);
    }
    for (const [k, list] of bySlot) {
      const p = plans.get(list[0]!.booth_id);
      if (!p || list.length <= p.capacity) continue;
      const beyond = list.slice(p.capacity).filter((b) => !isKept('over_capacity', b));
      if (beyond.length > 0) raw.push({ key: `over_capacity:${k}`, kind: 'over_capacity', boothId: list[0]!.booth_id, slotStart: list[0]!.slot_start, capacity: p.capacity, involved: list, conflicted: beyond });
    }

    // By person: the records of one merged group count as one (attendee_canonical).
    const canonical = new Map(anyMerge.get()!.n === 1 ? canonicalOfStop.all(stopId).map((r) => [r.attendee_id, r.canonical_id]) : []);
    const byAttendee = new Map<string, R[]>();
    for (const b of live) {
      const person = canonical.get(b.attendee_id) ?? b.attendee_id;
      const list = byAttendee.get(person);
      if (list) list.push(b);
      else byAttendee.set(person, [b]);
    }
    for (const list of byAttendee.values()) {
      list.forEach((b, i) => {
        const earlier = list.slice(0, i).filter((a) => overlaps(a.slot_start, a.slot_end, b.slot_start, b.slot_end));
        if (earlier.length > 0 && !isKept('double_booked', b)) {
          raw.push({ key: `double_booked:${b.booking_id}`, kind: 'double_booked', boothId: b.booth_id, slotStart: b.slot_start, capacity: null, involved: [...earlier, b], conflicted: [b] });
        }
      });
    }

    const planSlots = new Map<string, Set<string>>();
    for (const [boothId, p] of plans) planSlots.set(boothId, new Set(slotsOf(p, date, timeZone).map((x) => `${x.start}|${x.end}`)));
    for (const b of live) {
      const inPlan = planSlots.get(b.booth_id)?.has(`${b.slot_start}|${b.slot_end}`) ?? false;
      if (!inPlan && !isKept('off_plan', b)) {
        raw.push({ key: `off_plan:${b.booking_id}`, kind: 'off_plan', boothId: b.booth_id, slotStart: b.slot_start, capacity: plans.get(b.booth_id)?.capacity ?? null, involved: [b], conflicted: [b] });
      }
    }
    raw.sort((a, b) => (a.slotStart < b.slotStart ? -1 : a.slotStart > b.slotStart ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { raw, ids: new Set(raw.flatMap((c) => c.conflicted.map((b) => b.booking_id))) };
  }

  /** The conflict list with full booking views, and every listed booking of the stop (for the schedule). */
  function conflictsOf(stopId: string, date: string, timeZone: string): { conflicts: ConflictView[]; ids: Set<string>; rows: BookingRow[] } {
    const rows = listedOfStop.all(stopId);
    const { raw, ids } = computeConflicts(stopId, date, timeZone, rows);
    const conflicts = raw.map((c) => ({
      key: c.key,
      kind: c.kind,
      boothId: c.boothId,
      slotStart: c.slotStart,
      capacity: c.capacity,
      bookings: c.involved.map((b) => toBooking(b, ids)),
      conflictedBookingIds: c.conflicted.map((b) => b.booking_id),
    }));
    return { conflicts, ids, rows };
  }

  /** Only which bookings are conflicted and why (no views): what single-booking answers need. */
  function conflictKinds(stopId: string, date: string, timeZone: string): Map<string, ConflictKind[]> {
    const out = new Map<string, ConflictKind[]>();
    for (const c of computeConflicts(stopId, date, timeZone, leanOfStop.all(stopId)).raw) {
      for (const b of c.conflicted) out.set(b.booking_id, [...(out.get(b.booking_id) ?? []), c.kind]);
    }
    return out;
  }

  return {
    boothRef(boothId: string): BoothRef | null {
      const r = boothRef.get(boothId);
      return r ? { ...r, removed: r.removed === 1 } : null;
    },
    boothOfInstitution: (stopId: string, institutionId: string): string | null => boothOfInstitution.get(stopId, institutionId)?.id ?? null,
    boothsOfStop: (stopId: string) => boothsOfStop.all(stopId),
    plan(boothId: string): BoothPlan | null {
      const r = plan.get(boothId);
      return r ? toPlan(r) : null;
    },
    plansOfStop: (stopId: string): BoothPlan[] => plansOfStop.all(stopId).map(toPlan),
    slotsOf,
    /** The booking's row: `made` false while only later events of it are known; `cancelled` once any cancel is. */
    bookingState(bookingId: string) {
      const r = booking.get(bookingId);
      if (!r || r.made !== 1) return null;
      return { row: r, cancelled: r.cancelled === 1, live: r.cancelled !== 1 && r.attendance !== 'no_show' };
    },
    bookingView(bookingId: string, date: string, timeZone: string): BookingView | null {
      const r = booking.get(bookingId);
      if (!r || r.made !== 1) return null;
      return toBooking(r, new Set(conflictKinds(r.stop_id, date, timeZone).keys()));
    },
    liveInSlot: (boothId: string, slotStart: string): number => liveInSlot.get(boothId, slotStart)!.n,
    /** Bookings holding a place at the booth (what a removal keeps, listed as conflicts). */
    liveAtBooth: (boothId: string): number => liveAtBooth.get(boothId)!.n,
    /** Entries holding a place of the slot with an open (unexpired at `now`) offer, earliest offer first. */
    openOffersInSlot: (boothId: string, slotStart: string, now: number): { entryId: string; offerHlc: string }[] =>
      openOffersInSlot.all({ boothId, slotStart, now }).map((r) => ({ entryId: r.entry_id, offerHlc: r.offer_hlc })),
    /** The person's live bookings at the stop, over every record of their merged group. */
    liveOfAttendee: (attendeeId: string, stopId: string) => liveOfAttendee.all({ a: attendeeId, stopId }),
    /** People waiting at a booth, first come first (offers open or expired as of `now`). */
    waitlist: (boothId: string, now: number) =>
      entries.all({ id: boothId, now }).map((r) => ({ view: toEntry(r), declinedSlotStart: r.declined_slot_start, attendeeId: r.attendee_id })),
    waitlistOfStop: (stopId: string, now: number): WaitlistEntryView[] => entriesOfStop.all({ id: stopId, now }).map(toEntry),
    entry(entryId: string, now: number) {
      const r = entry.get({ id: entryId, now });
      return r ? { view: toEntry(r), left: r.left === 1, attendeeId: r.attendee_id } : null;
    },
    conflictsOf,
    conflictKinds,
    toBooking,
  };
}
export type BoothQueries = ReturnType<typeof createBoothQueries>;
