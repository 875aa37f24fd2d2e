import { consentAllows, type ConsentFact } from '../../../core/domain/consentFilter';
import { zonedToUtcMs } from '../../../core/domain/boothSlots';
import type { Db } from '../../../core/store/sqlite';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import type { Language } from '../../../shared/vocab';
import type { LinkSigner } from '../links/signedLinks';
import { renderMessage, type ContactInfo, type MessageFacts, type SlotInfo, type StopInfo } from './mailText';
import type { MailOutbox, MessageKind, NewMessage, OutboxMessage } from './outbox';
import { selfBookingLink } from '../selfBooking/selfBookingRoutes';

export interface PlannerOptions {
  signer: LinkSigner;
  /** HQ's public address (links in the messages), without a trailing slash. */
  publicUrl: string;
  now: () => number;
  /** How long before a booked slot the reminder goes (minutes). */
  reminderMinutes: number;
  /** Thanks go out from the day after the stop, for this many days (an HQ started later does not mail old stops). */
  thanksDays: number;
  /** Rows read per step; the planner yields to the event loop between steps. */
  chunk?: number;
}

export interface PlanReport {
  planned: Record<MessageKind, number>;
}

interface StopRow {
  id: string;
  city: string;
  city_ko: string;
  venue: string;
  date: string;
  time_zone: string;
  tour_name: string | null;
  tour_name_ko: string | null;
}
interface PersonRow {
  attendee_id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
}
interface RegRow extends PersonRow {
  id: string;
  scan_token: string;
}
interface BookingRow extends PersonRow {
  booking_id: string;
  slot_start: string;
  slot_end: string;
  booth_id: string;
  location: string;
  inst_name: string | null;
  inst_name_ko: string | null;
  short_name: string | null;
}

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]/;

/**
 * The language of a person's messages: the one they chose (`attendee_language_set`, from the link in
 * any message), else Korean when their names are in Hangul only, else English (docs/messages.md).
 */
export function fallbackLanguage(p: { familyName: string; givenName: string; nameKo: string }): Language {
  const names = `${p.familyName}${p.givenName}${p.nameKo}`;
  return HANGUL.test(names) && !/[A-Za-z]/.test(names) ? 'ko' : 'en';
}

/** The person's name as a message greets them, in its language. */
export function greetingName(p: { familyName: string; givenName: string; nameKo: string }, lang: Language): string {
  const latin = [p.givenName, p.familyName].filter(Boolean).join(' ');
  return lang === 'ko' ? p.nameKo || latin : latin || p.nameKo;
}

const endOfDayMs = (date: string, timeZone: string): number => zonedToUtcMs(date, '23:59', timeZone) + 60_000;
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
/** Live booking: made, not cancelled, not a no-show (as core's booth queries). */
const LIVE = `b.made_hlc IS NOT NULL AND b.cancelled_hlc IS NULL AND b.attendance <> 'no_show'`;
const PERSON = 'a.id AS attendee_id, a.family_name, a.given_name, a.name_ko, a.email';

/**
 * Plans attendee messages from HQ's projection store (the tables the core projections keep) into the
 * outbox: each message once (dedupe key), rendered in the person's language with its signed links.
 * It reads in chunks and yields between them, on a timer of its own: never on a sync request's path.
 */
export class MailPlanner {
  private readonly q;
  private readonly booths;
  private readonly chunk: number;

  constructor(
    private readonly db: Db,
    private readonly outbox: MailOutbox,
    private readonly opts: PlannerOptions,
  ) {
    this.chunk = opts.chunk ?? 500;
    this.booths = createBoothQueries(db);
    this.q = {
      stops: db.prepare<[], StopRow>(`SELECT s.id, s.city, s.city_ko, s.venue, s.date, s.time_zone, t.name AS tour_name, t.name_ko AS tour_name_ko FROM stops s LEFT JOIN tours t ON t.id = s.tour_id ORDER BY s.date, s.id`),
      stop: db.prepare<[string], StopRow>(`SELECT s.id, s.city, s.city_ko, s.venue, s.date, s.time_zone, t.name AS tour_name, t.name_ko AS tour_name_ko FROM stops s LEFT JOIN tours t ON t.id = s.tour_id WHERE s.id = ?`),
      preRegs: db.prepare<[{ stopId: string; after: string; limit: number }], RegRow>(`
        SELECT r.id, r.scan_token, ${PERSON} FROM registrations r JOIN attendees a ON a.id = r.attendee_id
        WHERE r.stop_id = @stopId AND r.source IN ('import', 'preregistered') AND r.id > @after AND a.email <> '' ORDER BY r.id LIMIT @limit`),
      bookings: db.prepare<[{ stopId: string; now: string }], BookingRow>(`
        SELECT b.booking_id, b.slot_start, b.slot_end, b.booth_id, COALESCE(bo.location, '') AS location, i.name AS inst_name, i.name_ko AS inst_name_ko, i.short_name, ${PERSON}
        FROM bookings b JOIN attendees a ON a.id = b.attendee_id LEFT JOIN booths bo ON bo.id = b.booth_id LEFT JOIN institutions i ON i.id = bo.institution_id
        WHERE b.stop_id = @stopId AND ${LIVE} AND COALESCE(b.source, '') <> 'walk_up' AND b.slot_start > @now AND a.email <> ''`),
      booking: db.prepare<[string], BookingRow>(`
        SELECT b.booking_id, b.slot_start, b.slot_end, b.booth_id, COALESCE(bo.location, '') AS location, i.name AS inst_name, i.name_ko AS inst_name_ko, i.short_name, ${PERSON}
        FROM bookings b JOIN attendees a ON a.id = b.attendee_id LEFT JOIN booths bo ON bo.id = b.booth_id LEFT JOIN institutions i ON i.id = bo.institution_id
        WHERE b.booking_id = ? AND ${LIVE}`),
      boothInfo: db.prepare<[string], { location: string; name: string | null; name_ko: string | null; short_name: string | null }>(
        'SELECT bo.location, i.name, i.name_ko, i.short_name FROM booths bo LEFT JOIN institutions i ON i.id = bo.institution_id WHERE bo.id = ?',
      ),
      consulted: db.prepare<[{ stopId: string; after: string; limit: number }], PersonRow>(`
        SELECT DISTINCT ${PERSON} FROM consultations c JOIN attendees a ON a.id = c.attendee_id
        WHERE c.stop_id = @stopId AND a.id > @after AND a.email <> '' ORDER BY a.id LIMIT @limit`),
      institutionsConsulted: db.prepare<[string, string], { id: string; name: string; name_ko: string; contact_name: string; contact_email: string }>(`
        SELECT DISTINCT i.id, i.name, i.name_ko, i.contact_name, i.contact_email FROM consultations c JOIN institutions i ON i.id = c.institution_id
        WHERE c.stop_id = ? AND c.attendee_id = ? ORDER BY i.name`),
      consents: db.prepare<[string], { scope: ConsentFact['scope']; institution_id: string | null; hlc: string }>('SELECT scope, institution_id, hlc FROM consents WHERE attendee_id = ?'),
      language: db.prepare<[string], { language: Language }>('SELECT language FROM attendee_languages WHERE attendee_id = ?'),
      person: db.prepare<[string], PersonRow>(`SELECT ${PERSON} FROM attendees a WHERE a.id = ?`),
      // The person's records: theirs, those merged with it (attendee_canonical), and any with the same email.
      group: db.prepare<{ id: string }, { id: string }>(`
        SELECT @id AS id
        UNION SELECT ac.attendee_id FROM attendee_canonical ac WHERE ac.canonical_id = COALESCE((SELECT canonical_id FROM attendee_canonical WHERE attendee_id = @id), @id)
        UNION SELECT a2.id FROM attendees a1 JOIN attendees a2 ON a2.email = a1.email COLLATE NOCASE WHERE a1.id = @id AND a1.email <> ''`),
      unsubscribed: db.prepare<{ id: string }, { n: number }>(`
        SELECT 1 AS n FROM attendee_unsubscribes u WHERE u.attendee_id IN (
          SELECT @id
          UNION SELECT ac.attendee_id FROM attendee_canonical ac WHERE ac.canonical_id = COALESCE((SELECT canonical_id FROM attendee_canonical WHERE attendee_id = @id), @id)
          UNION SELECT a2.id FROM attendees a1 JOIN attendees a2 ON a2.email = a1.email COLLATE NOCASE WHERE a1.id = @id AND a1.email <> '')
        LIMIT 1`),
    };
  }

  /** HQ's public address, once known (a server started on port 0 learns its port when listening). */
  setPublicUrl(url: string): void {
    this.opts.publicUrl = url.replace(/\/+$/, '');
  }

  /** Every record of the person (merged ones, same email): an unsubscribe covers them all. */
  personRecords(attendeeId: string): string[] {
    return this.q.group.all({ id: attendeeId }).map((r) => r.id);
  }

  isUnsubscribed(attendeeId: string): boolean {
    return this.q.unsubscribed.get({ id: attendeeId }) !== undefined;
  }

  emailOf(attendeeId: string): string {
    return this.q.person.get(attendeeId)?.email ?? '';
  }

  knows(attendeeId: string): boolean {
    return this.q.person.get(attendeeId) !== undefined;
  }

  /** The language the person chose through a link, if they did. */
  chosenLanguage(attendeeId: string): Language | null {
    return this.q.language.get(attendeeId)?.language ?? null;
  }

  languageOf(attendeeId: string): Language {
    const chosen = this.q.language.get(attendeeId)?.language;
    if (chosen) return chosen;
    const p = this.q.person.get(attendeeId);
    return p ? fallbackLanguage({ familyName: p.family_name, givenName: p.given_name, nameKo: p.name_ko }) : 'en';
  }

  /** One pass over the tour: what is due to be said and not planned before goes into the outbox. */
  async plan(): Promise<PlanReport> {
    const report: PlanReport = { planned: { confirmation: 0, booking_confirmation: 0, booking_reminder: 0, waitlist_offer: 0, thanks: 0 } };
    const now = this.opts.now();
    for (const stop of this.q.stops.all()) {
      let end: number;
      try {
        end = endOfDayMs(stop.date, stop.time_zone);
      } catch {
        continue; // a stop with a date or zone the runtime cannot read: nothing to plan
      }
      if (now < end) await this.planUpcoming(stop, now, report);
      else if (now < end + this.opts.thanksDays * 86_400_000) await this.planThanks(stop, report);
    }
    return report;
  }

  private async planUpcoming(stop: StopRow, now: number, report: PlanReport): Promise<void> {
    // Confirmations with the QR ticket to the people registered ahead (imports, pre-registrations).
    for (let after = ''; ; ) {
      const rows = this.q.preRegs.all({ stopId: stop.id, after, limit: this.chunk });
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.id;
      const out: NewMessage[] = [];
      for (const r of rows) {
        const key = `confirmation:${r.attendee_id}:${stop.id}`;
        if (this.outbox.has(key) || this.isUnsubscribed(r.attendee_id)) continue;
        const bookUntil = stop.date;
        out.push(this.message('confirmation', key, r, stop, r.id, { kind: 'confirmation', scanToken: r.scan_token, bookUrl: this.bookUrl(r.attendee_id, stop), bookUntil }, now));
      }
      report.planned.confirmation += this.outbox.enqueue(out, new Date(now));
      await tick();
    }
    // Booking confirmations and reminders for slots not started yet.
    const nowIso = new Date(now).toISOString();
    const out: NewMessage[] = [];
    for (const b of this.q.bookings.all({ stopId: stop.id, now: nowIso })) {
      if (this.isUnsubscribed(b.attendee_id)) continue;
      const slot = this.slotOf(b, this.languageOf(b.attendee_id));
      const confirmKey = `booking_confirmation:${b.booking_id}:${b.slot_start}`;
      const confirmNow = !this.outbox.has(confirmKey);
      if (confirmNow) out.push(this.message('booking_confirmation', confirmKey, b, stop, b.booking_id, { kind: 'booking_confirmation', slot, bookUrl: this.bookUrl(b.attendee_id, stop) }, now));
      const reminderKey = `booking_reminder:${b.booking_id}:${b.slot_start}`;
      const remindAt = Date.parse(b.slot_start) - this.opts.reminderMinutes * 60_000;
      // Booked within the reminder's lead: the confirmation going now is the reminder (no second message at once).
      if (!this.outbox.has(reminderKey) && !(confirmNow && remindAt <= now)) {
        out.push(this.message('booking_reminder', reminderKey, b, stop, b.booking_id, { kind: 'booking_reminder', slot, bookUrl: this.bookUrl(b.attendee_id, stop) }, Math.max(now, remindAt)));
      }
    }
    report.planned.booking_confirmation += this.outbox.enqueue(out.filter((m) => m.kind === 'booking_confirmation'), new Date(now));
    report.planned.booking_reminder += this.outbox.enqueue(out.filter((m) => m.kind === 'booking_reminder'), new Date(now));
    await tick();
    // Waitlist offers still open, with their deadline.
    const offers: NewMessage[] = [];
    for (const e of this.booths.waitlistOfStop(stop.id, now)) {
      if (!e.offer || !e.attendee.email || this.isUnsubscribed(e.attendee.id)) continue;
      const key = `waitlist_offer:${e.entryId}:${e.offer.slotStart}:${e.offer.offeredAt}`;
      if (this.outbox.has(key)) continue;
      const info = this.q.boothInfo.get(e.boothId);
      const lang = this.languageOf(e.attendee.id);
      const slot: SlotInfo = { institution: this.institutionName(info?.name ?? null, info?.name_ko ?? null, info?.short_name ?? null, lang), location: info?.location ?? '', start: e.offer.slotStart, end: e.offer.slotEnd };
      const person: PersonRow = { attendee_id: e.attendee.id, family_name: e.attendee.familyName, given_name: e.attendee.givenName, name_ko: e.attendee.nameKo, email: e.attendee.email };
      offers.push(this.message('waitlist_offer', key, person, stop, e.entryId, { kind: 'waitlist_offer', slot, deadline: e.offer.expiresAt, bookUrl: this.bookUrl(e.attendee.id, stop) }, now));
    }
    report.planned.waitlist_offer += this.outbox.enqueue(offers, new Date(now));
  }

  /**
   * Thanks after the stop, with the follow-up contact of each institution the person consulted AND
   * shares their details with (the consent rules of core/domain/consentFilter.ts). No covered
   * institution (no consent, `hq_stats`, or a consent withdrawn to a narrower one): no message.
   */
  private async planThanks(stop: StopRow, report: PlanReport): Promise<void> {
    const now = this.opts.now();
    for (let after = ''; ; ) {
      const rows = this.q.consulted.all({ stopId: stop.id, after, limit: this.chunk });
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.attendee_id;
      const out: NewMessage[] = [];
      for (const p of rows) {
        const key = `thanks:${p.attendee_id}:${stop.id}`;
        if (this.outbox.has(key) || this.isUnsubscribed(p.attendee_id)) continue;
        const contacts = this.sharedContacts(p.attendee_id, stop.id, this.languageOf(p.attendee_id));
        if (contacts.length === 0) continue;
        out.push(this.message('thanks', key, p, stop, stop.id, { kind: 'thanks', contacts }, now));
      }
      report.planned.thanks += this.outbox.enqueue(out, new Date(now));
      await tick();
    }
  }

  /** The institutions the person consulted at the stop that their effective consent covers, with contacts. */
  sharedContacts(attendeeId: string, stopId: string, lang: Language): ContactInfo[] {
    const consents = this.q.consents.all(attendeeId).map((c) => ({ scope: c.scope, institutionId: c.institution_id, hlc: c.hlc }));
    return this.q.institutionsConsulted
      .all(stopId, attendeeId)
      .filter((i) => consentAllows(consents, i.id))
      .map((i) => ({ institution: lang === 'ko' && i.name_ko ? i.name_ko : i.name, contactName: i.contact_name, contactEmail: i.contact_email }));
  }

  /**
   * Whether a queued message should still go (asked by the sender right before sending): not after an
   * unsubscribe; a booking's messages only while it stands at that slot; an offer only while it is open;
   * thanks only while the consent still covers an institution. Returns the reason when not.
   */
  stillWanted(m: OutboxMessage): string | null {
    if (this.isUnsubscribed(m.attendeeId)) return 'unsubscribed';
    const now = this.opts.now();
    switch (m.kind) {
      case 'booking_confirmation':
      case 'booking_reminder': {
        const b = this.q.booking.get(m.refId);
        if (!b || !m.dedupeKey.endsWith(`:${b.slot_start}`)) return 'booking_changed';
        if (Date.parse(b.slot_start) <= now) return 'slot_started';
        return null;
      }
      case 'waitlist_offer': {
        const stop = this.q.stop.get(m.stopId);
        const open = stop ? this.booths.waitlistOfStop(stop.id, now).find((e) => e.entryId === m.refId)?.offer : null;
        if (!open || !m.dedupeKey.endsWith(`:${open.slotStart}:${open.offeredAt}`)) return 'offer_closed';
        return null;
      }
      case 'thanks':
        return this.sharedContacts(m.attendeeId, m.stopId, m.language).length === 0 ? 'consent_withdrawn' : null;
      case 'confirmation':
        return null;
    }
  }

  private slotOf(b: BookingRow, lang: Language): SlotInfo {
    return { institution: this.institutionName(b.inst_name, b.inst_name_ko, b.short_name, lang), location: b.location, start: b.slot_start, end: b.slot_end };
  }

  private institutionName(name: string | null, nameKo: string | null, shortName: string | null, lang: Language): string {
    return (lang === 'ko' && nameKo ? nameKo : name) || shortName || '—';
  }

  private stopInfo(stop: StopRow, lang: Language): StopInfo {
    const ko = lang === 'ko';
    return {
      id: stop.id,
      tourName: (ko && stop.tour_name_ko ? stop.tour_name_ko : stop.tour_name) || (ko ? '한미 연구인재 로드쇼' : 'Korea–US Research Talent Roadshow'),
      city: ko && stop.city_ko ? stop.city_ko : stop.city,
      venue: stop.venue,
      date: stop.date,
      timeZone: stop.time_zone,
    };
  }

  /** The self-booking link (hq/server/selfBooking serves it), valid until the end of the stop's day. */
  bookUrl(attendeeId: string, stop: { id: string; date: string; time_zone: string }): string {
    return selfBookingLink(this.opts.signer, this.opts.publicUrl, { attendeeId, stopId: stop.id, expiresAt: new Date(endOfDayMs(stop.date, stop.time_zone)).toISOString() });
  }

  /** The unsubscribe link: valid a year after the stop (people unsubscribe from old messages too). */
  unsubscribeUrl(attendeeId: string, stop: { id: string; date: string; time_zone: string }): string {
    const token = this.opts.signer.sign({ purpose: 'unsubscribe', attendeeId, stopId: stop.id, expiresAt: new Date(endOfDayMs(stop.date, stop.time_zone) + 366 * 86_400_000).toISOString() });
    return `${this.opts.publicUrl}/unsubscribe/${token}`;
  }

  private message(kind: MessageKind, dedupeKey: string, p: PersonRow, stop: StopRow, refId: string, facts: MessageFacts, dueMs: number): NewMessage {
    const language = this.languageOf(p.attendee_id);
    const name = greetingName({ familyName: p.family_name, givenName: p.given_name, nameKo: p.name_ko }, language);
    const content = renderMessage({ language, name, stop: this.stopInfo(stop, language), unsubscribeUrl: this.unsubscribeUrl(p.attendee_id, stop), facts });
    return { dedupeKey, kind, attendeeId: p.attendee_id, stopId: stop.id, refId, toAddress: p.email, toName: name, language, content, dueAt: new Date(dueMs).toISOString() };
  }
}
