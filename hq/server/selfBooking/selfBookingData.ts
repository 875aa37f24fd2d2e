import type { Db } from '../../../core/store/sqlite';
import { perDb } from '../../../core/store/perDb';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createRegistrationQueries } from '../../../core/store/queries/registrationQueries';
import type { Attendee } from '../../../shared/schemas/attendees';
import type { BoothSchedule } from '../../../shared/schemas/booths';
import type { Stop } from '../../../shared/schemas/masterData';
import { LANGUAGES, type Language } from '../../../shared/vocab';
import { nameIn, zoneLabel } from '../dashboard/tourDisplay';

/**
 * What a self-booking link may see and touch: one person (the link's attendee and the records merged
 * with it) at one stop. Everything else on the page comes from `booths:schedule`, the desk's own read,
 * filtered to this person: other people's bookings are only counted, never shown.
 */
export interface LinkSubject {
  attendeeId: string;
  stop: Stop;
  attendee: Attendee;
  /** The person's registrations at the stop: the link's own record first (the one new bookings go to). */
  registrationIds: string[];
}

const queries = perDb((db: Db) => {
  const regsOf = db.prepare<{ a: string; s: string }, { id: string; attendee_id: string }>(`
    SELECT r.id, r.attendee_id FROM registrations r LEFT JOIN attendee_canonical c ON c.attendee_id = r.attendee_id
    WHERE r.stop_id = @s AND COALESCE(c.canonical_id, r.attendee_id) = COALESCE((SELECT canonical_id FROM attendee_canonical WHERE attendee_id = @a), @a)
    ORDER BY r.attendee_id = @a DESC, r.id`);
  // The attendee's language (issue #21, messages): a column another part of HQ may add; absent here, null.
  const columns = (table: string) => new Set(db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name));
  const regLang = columns('registrations').has('language') ? db.prepare<[string], { language: string | null }>('SELECT language FROM registrations WHERE id = ?') : null;
  const attLang = columns('attendees').has('language') ? db.prepare<[string], { language: string | null }>('SELECT language FROM attendees WHERE id = ?') : null;
  // The language the person chose for their messages (attendee_language_set, HQ's projection store).
  const chosen = columns('attendee_languages').has('language') ? db.prepare<[string], { language: string | null }>('SELECT language FROM attendee_languages WHERE attendee_id = ?') : null;
  return {
    regsOf: (attendeeId: string, stopId: string) => regsOf.all({ a: attendeeId, s: stopId }),
    language(registrationId: string, attendeeId: string): Language | null {
      const v = chosen?.get(attendeeId)?.language ?? regLang?.get(registrationId)?.language ?? attLang?.get(attendeeId)?.language ?? null;
      return v && (LANGUAGES as readonly string[]).includes(v) ? (v as Language) : null;
    },
  };
});

/** The link's person at the link's stop, or null when HQ holds no registration of theirs there. */
export function linkSubject(db: Db, attendeeId: string, stopId: string): LinkSubject | null {
  const stop = createMasterDataQueries(db).stop(stopId);
  if (!stop) return null;
  const regs = queries(db).regsOf(attendeeId, stopId);
  if (regs.length === 0) return null;
  const first = createRegistrationQueries(db).byId(regs[0]!.id);
  if (!first) return null;
  return { attendeeId, stop, attendee: first.attendee, registrationIds: regs.map((r) => r.id) };
}

/** The language the registration records for the person (when HQ keeps one), else null. */
export function registeredLanguage(db: Db, subject: LinkSubject): Language | null {
  return queries(db).language(subject.registrationIds[0]!, subject.attendeeId);
}

export interface SlotCell {
  start: string;
  end: string;
  /** "13:00–13:15", the stop's wall-clock time. */
  label: string;
  capacity: number;
  free: number;
  past: boolean;
  /** The person's own booking of this slot. */
  mine: string | null;
}

export interface BoothCard {
  boothId: string;
  /** The institution's short name ("KAIST"), as on the booth's sign. */
  name: string;
  fullName: string;
  location: string;
  hasPlan: boolean;
  slots: SlotCell[];
  /** Slots not yet started with a free place (the person's own excluded). */
  freeAhead: number;
  /** Slots not yet started (a booth whose are all taken can be waited for). */
  ahead: number;
  waiting: WaitCard | null;
}

export interface BookingCard {
  bookingId: string;
  boothId: string;
  booth: string;
  location: string;
  slotStart: string;
  slotEnd: string;
  label: string;
  past: boolean;
  conflicted: boolean;
}

export interface WaitCard {
  entryId: string;
  boothId: string;
  booth: string;
  offer: { slotStart: string; label: string; until: string | null } | null;
}

export interface SelfBookingView {
  name: string;
  stop: Stop;
  cityName: string;
  zone: string;
  /** Every slot of the stop has started: nothing more can be booked. */
  closed: boolean;
  booths: BoothCard[];
  bookings: BookingCard[];
  waiting: WaitCard[];
}

/** "13:00" of an instant, in the stop's zone. */
export function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function personName(a: Attendee, lang: Language): string {
  const latin = [a.givenName, a.familyName].filter(Boolean).join(' ');
  if (lang === 'ko') return a.nameKo || latin;
  return latin || a.nameKo;
}

/** The page's data: the desk's schedule of the stop, seen by one person. */
export function selfBookingView(schedule: BoothSchedule, subject: LinkSubject, lang: Language, now: number): SelfBookingView {
  const mine = new Set(subject.registrationIds);
  const tz = schedule.timeZone;
  const range = (start: string, end: string) => `${localTime(start, tz)}–${localTime(end, tz)}`;
  const boothName = new Map<string, { name: string; location: string }>();
  for (const r of schedule.rows) boothName.set(r.booth.id, { name: r.booth.institution.shortName, location: r.booth.location });
  const bookings: BookingCard[] = schedule.bookings
    .filter((b) => mine.has(b.registrationId) && b.stopId === subject.stop.id && b.attendance !== 'no_show')
    .map((b) => ({
      bookingId: b.bookingId,
      boothId: b.boothId,
      booth: boothName.get(b.boothId)?.name ?? b.boothId,
      location: boothName.get(b.boothId)?.location ?? '',
      slotStart: b.slotStart,
      slotEnd: b.slotEnd,
      label: range(b.slotStart, b.slotEnd),
      past: Date.parse(b.slotStart) <= now,
      conflicted: b.conflicted,
    }))
    .sort((a, b) => (a.slotStart < b.slotStart ? -1 : a.slotStart > b.slotStart ? 1 : 0));
  const bookedSlot = new Map(bookings.map((b) => [`${b.boothId}|${b.slotStart}`, b.bookingId]));
  const waiting: WaitCard[] = [];
  const booths: BoothCard[] = [];
  for (const row of schedule.rows) {
    if (row.booth.removed) continue;
    const name = boothName.get(row.booth.id)!.name;
    const entry = row.waitlist.find((w) => mine.has(w.registrationId));
    const wait: WaitCard | null = entry
      ? {
          entryId: entry.entryId,
          boothId: row.booth.id,
          booth: name,
          offer: entry.offer ? { slotStart: entry.offer.slotStart, label: range(entry.offer.slotStart, entry.offer.slotEnd), until: entry.offer.expiresAt ? localTime(entry.offer.expiresAt, tz) : null } : null,
        }
      : null;
    if (wait) waiting.push(wait);
    const slots: SlotCell[] = row.slots.map((s) => {
      const own = bookedSlot.get(`${row.booth.id}|${s.start}`) ?? null;
      return {
        start: s.start,
        end: s.end,
        label: `${s.localStart}–${s.localEnd}`,
        capacity: s.capacity,
        free: Math.max(0, s.capacity - s.booked - s.held),
        past: Date.parse(s.start) <= now,
        mine: own,
      };
    });
    const ahead = slots.filter((s) => !s.past);
    booths.push({
      boothId: row.booth.id,
      name,
      fullName: nameIn(lang, row.booth.institution.name, row.booth.institution.nameKo),
      location: row.booth.location,
      hasPlan: row.plan !== null,
      slots,
      freeAhead: ahead.filter((s) => s.free > 0 && !s.mine).length,
      ahead: ahead.length,
      waiting: wait,
    });
  }
  booths.sort((a, b) => a.location.localeCompare(b.location) || a.name.localeCompare(b.name));
  const allSlots = booths.flatMap((b) => b.slots);
  return {
    name: personName(subject.attendee, lang),
    stop: subject.stop,
    cityName: nameIn(lang, subject.stop.city, subject.stop.cityKo),
    zone: zoneLabel(tz, subject.stop.date),
    closed: allSlots.length > 0 && allSlots.every((s) => s.past),
    booths,
    bookings,
    waiting,
  };
}
