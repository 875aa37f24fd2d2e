import type { ProjectionFactory } from './projection';
import { SELF_ACTOR_PREFIX } from '../../../shared/schemas/booths';

interface BookingRow {
  booking_id: string;
  stop_id: string | null;
  attendee_id: string | null;
  registration_id: string | null;
  source: string | null;
  made_hlc: string | null;
  made_at: string | null;
  booth_id: string | null;
  slot_start: string | null;
  slot_end: string | null;
  place_hlc: string | null;
  cancelled_hlc: string | null;
  cancel_reason: string | null;
  attendance: string;
  attendance_hlc: string | null;
  /** NULL: a person marked it (or a walk-up); 'auto': the host's automatic no-show. */
  attendance_source: string | null;
}

interface WaitlistRow {
  entry_id: string;
  booth_id: string | null;
  stop_id: string | null;
  attendee_id: string | null;
  registration_id: string | null;
  joined_hlc: string | null;
  joined_at: string | null;
  left_hlc: string | null;
  left_reason: string | null;
  offer_slot_start: string | null;
  offer_slot_end: string | null;
  offer_hlc: string | null;
  /** The winning offer event's recordedAt in ms (issue #19: the base of its expiry). */
  offer_ms: number | null;
  declined_slot_start: string | null;
  declined_hlc: string | null;
}

const emptyBooking = (id: string): BookingRow => ({
  booking_id: id,
  stop_id: null,
  attendee_id: null,
  registration_id: null,
  source: null,
  made_hlc: null,
  made_at: null,
  booth_id: null,
  slot_start: null,
  slot_end: null,
  place_hlc: null,
  cancelled_hlc: null,
  cancel_reason: null,
  attendance: 'pending',
  attendance_hlc: null,
  attendance_source: null,
});

const emptyEntry = (id: string): WaitlistRow => ({
  entry_id: id,
  booth_id: null,
  stop_id: null,
  attendee_id: null,
  registration_id: null,
  joined_hlc: null,
  joined_at: null,
  left_hlc: null,
  left_reason: null,
  offer_slot_start: null,
  offer_slot_end: null,
  offer_hlc: null,
  offer_ms: null,
  declined_slot_start: null,
  declined_hlc: null,
});

/** Canonical UTC ISO (with milliseconds), so instants compare as strings whatever a device sent. */
const iso = (s: string): string => new Date(s).toISOString();
const later = (hlc: string, than: string | null): boolean => than === null || hlc > than;
const earlier = (hlc: string, than: string | null): boolean => than === null || hlc < than;
/**
 * Attendance is the greatest mark by (made by a person, HLC): a person's mark always beats the
 * host's automatic no-show, whatever their clocks say; among marks of one kind the latest wins.
 */
function mark(row: BookingRow, attendance: string, hlc: string, auto: boolean): void {
  if (row.attendance_hlc !== null) {
    const rowAuto = row.attendance_source === 'auto';
    if (auto && !rowAuto) return;
    if (auto === rowAuto && !later(hlc, row.attendance_hlc)) return;
  }
  row.attendance = attendance;
  row.attendance_hlc = hlc;
  row.attendance_source = auto ? 'auto' : null;
}

/**
 * Booth scheduling. Every column group is a pure function of the set of events (highest or lowest
 * HLC), so the tables do not depend on delivery order. Who keeps a place in a full slot and who is
 * double-booked is derived by queries (core/store/queries/boothQueries.ts) from these tables.
 */
export const boothProjection: ProjectionFactory = (db) => {
  const plan = db.prepare(`
    INSERT INTO booth_plans (booth_id, stop_id, start_time, end_time, slot_minutes, capacity, breaks, fields, copied_from_stop_id, hlc)
    VALUES (@boothId, @stopId, @startTime, @endTime, @slotMinutes, @capacity, @breaks, @fields, @copiedFromStopId, @hlc)
    ON CONFLICT(booth_id) DO UPDATE SET stop_id = excluded.stop_id, start_time = excluded.start_time, end_time = excluded.end_time,
      slot_minutes = excluded.slot_minutes, capacity = excluded.capacity, breaks = excluded.breaks, fields = excluded.fields,
      copied_from_stop_id = excluded.copied_from_stop_id, hlc = excluded.hlc
    WHERE excluded.hlc > booth_plans.hlc`);
  const getBooking = db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE booking_id = ?');
  const putBooking = db.prepare(`
    INSERT INTO bookings (booking_id, stop_id, attendee_id, registration_id, source, made_hlc, made_at, booth_id, slot_start, slot_end,
      place_hlc, cancelled_hlc, cancel_reason, attendance, attendance_hlc, attendance_source)
    VALUES (@booking_id, @stop_id, @attendee_id, @registration_id, @source, @made_hlc, @made_at, @booth_id, @slot_start, @slot_end,
      @place_hlc, @cancelled_hlc, @cancel_reason, @attendance, @attendance_hlc, @attendance_source)
    ON CONFLICT(booking_id) DO UPDATE SET stop_id = excluded.stop_id, attendee_id = excluded.attendee_id,
      registration_id = excluded.registration_id, source = excluded.source, made_hlc = excluded.made_hlc, made_at = excluded.made_at,
      booth_id = excluded.booth_id, slot_start = excluded.slot_start, slot_end = excluded.slot_end, place_hlc = excluded.place_hlc,
      cancelled_hlc = excluded.cancelled_hlc, cancel_reason = excluded.cancel_reason, attendance = excluded.attendance,
      attendance_hlc = excluded.attendance_hlc, attendance_source = excluded.attendance_source`);
  const getEntry = db.prepare<[string], WaitlistRow>('SELECT * FROM waitlist_entries WHERE entry_id = ?');
  const putEntry = db.prepare(`
    INSERT INTO waitlist_entries (entry_id, booth_id, stop_id, attendee_id, registration_id, joined_hlc, joined_at, left_hlc, left_reason,
      offer_slot_start, offer_slot_end, offer_hlc, offer_ms, declined_slot_start, declined_hlc)
    VALUES (@entry_id, @booth_id, @stop_id, @attendee_id, @registration_id, @joined_hlc, @joined_at, @left_hlc, @left_reason,
      @offer_slot_start, @offer_slot_end, @offer_hlc, @offer_ms, @declined_slot_start, @declined_hlc)
    ON CONFLICT(entry_id) DO UPDATE SET booth_id = excluded.booth_id, stop_id = excluded.stop_id, attendee_id = excluded.attendee_id,
      registration_id = excluded.registration_id, joined_hlc = excluded.joined_hlc, joined_at = excluded.joined_at,
      left_hlc = excluded.left_hlc, left_reason = excluded.left_reason, offer_slot_start = excluded.offer_slot_start,
      offer_slot_end = excluded.offer_slot_end, offer_hlc = excluded.offer_hlc, offer_ms = excluded.offer_ms, declined_slot_start = excluded.declined_slot_start,
      declined_hlc = excluded.declined_hlc`);
  const resolution = db.prepare(`
    INSERT OR IGNORE INTO booking_conflict_resolutions (event_id, booking_id, kind, action, booth_id, slot_start, note, actor_id, device_id, hlc, at)
    VALUES (@eventId, @bookingId, @kind, @action, @boothId, @slotStart, @note, @actorId, @deviceId, @hlc, @at)`);

  function booking(id: string, change: (row: BookingRow) => void): void {
    const row = getBooking.get(id) ?? emptyBooking(id);
    change(row);
    putBooking.run(row);
  }
  function entry(id: string, change: (row: WaitlistRow) => void): void {
    const row = getEntry.get(id) ?? emptyEntry(id);
    change(row);
    putEntry.run(row);
  }
  function made(row: BookingRow, p: { stopId: string; attendeeId: string; registrationId: string }, source: string, hlc: string, at: string): void {
    if (!earlier(hlc, row.made_hlc)) return;
    row.stop_id = p.stopId;
    row.attendee_id = p.attendeeId;
    row.registration_id = p.registrationId;
    row.source = source;
    row.made_hlc = hlc;
    row.made_at = at;
  }
  function place(row: BookingRow, p: { boothId: string; slotStart: string; slotEnd: string }, hlc: string): void {
    if (!later(hlc, row.place_hlc)) return;
    row.booth_id = p.boothId;
    row.slot_start = iso(p.slotStart);
    row.slot_end = iso(p.slotEnd);
    row.place_hlc = hlc;
  }

  return {
    tables: [
      { name: 'booth_plans', orderBy: 'booth_id' },
      { name: 'bookings', orderBy: 'booking_id' },
      { name: 'waitlist_entries', orderBy: 'entry_id' },
      { name: 'booking_conflict_resolutions', orderBy: 'event_id' },
    ],
    handlers: {
      booth_plan_set: (e) =>
        void plan.run({
          ...e.payload,
          breaks: JSON.stringify([...e.payload.breaks].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))),
          fields: JSON.stringify([...e.payload.fields].sort()),
          hlc: e.hlc,
        }),
      booking_made: (e) =>
        booking(e.payload.bookingId, (row) => {
          // Booked by the attendee from HQ's self-booking link (issue #21): the event's actor says so.
          made(row, e.payload, e.payload.source === 'desk' && e.actorId?.startsWith(SELF_ACTOR_PREFIX) ? 'self' : e.payload.source, e.hlc, e.recordedAt);
          place(row, e.payload, e.hlc);
        }),
      walk_up_recorded: (e) =>
        booking(e.payload.bookingId, (row) => {
          made(row, e.payload, 'walk_up', e.hlc, e.recordedAt);
          place(row, e.payload, e.hlc);
          mark(row, 'attended', e.hlc, false);
        }),
      booking_moved: (e) => booking(e.payload.bookingId, (row) => place(row, e.payload, e.hlc)),
      booking_cancelled: (e) =>
        booking(e.payload.bookingId, (row) => {
          if (!earlier(e.hlc, row.cancelled_hlc)) return;
          row.cancelled_hlc = e.hlc;
          row.cancel_reason = e.payload.reason;
        }),
      attendance_marked: (e) =>
        booking(e.payload.bookingId, (row) => mark(row, e.payload.attendance, e.hlc, e.payload.source === 'auto')),
      waitlist_joined: (e) =>
        entry(e.payload.entryId, (row) => {
          if (!earlier(e.hlc, row.joined_hlc)) return;
          row.booth_id = e.payload.boothId;
          row.stop_id = e.payload.stopId;
          row.attendee_id = e.payload.attendeeId;
          row.registration_id = e.payload.registrationId;
          row.joined_hlc = e.hlc;
          row.joined_at = e.recordedAt;
        }),
      waitlist_left: (e) =>
        entry(e.payload.entryId, (row) => {
          if (!earlier(e.hlc, row.left_hlc)) return;
          row.left_hlc = e.hlc;
          row.left_reason = e.payload.reason;
        }),
      waitlist_offered: (e) =>
        entry(e.payload.entryId, (row) => {
          if (!later(e.hlc, row.offer_hlc)) return;
          row.offer_slot_start = iso(e.payload.slotStart);
          row.offer_slot_end = iso(e.payload.slotEnd);
          row.offer_hlc = e.hlc;
          row.offer_ms = Date.parse(e.recordedAt);
        }),
      waitlist_offer_declined: (e) =>
        entry(e.payload.entryId, (row) => {
          if (!later(e.hlc, row.declined_hlc)) return;
          row.declined_slot_start = iso(e.payload.slotStart);
          row.declined_hlc = e.hlc;
        }),
      booking_conflict_resolved: (e) =>
        void resolution.run({
          ...e.payload,
          slotStart: iso(e.payload.slotStart),
          eventId: e.eventId,
          actorId: e.actorId,
          deviceId: e.deviceId,
          hlc: e.hlc,
          at: e.recordedAt,
        }),
    },
  };
};
