import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReactElement } from 'react';
import { perDb } from '../../../core/store/perDb';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import type { ApiInput, Channel } from '../../../shared/contract';
import { SELF_ACTOR_PREFIX, type BoothSchedule } from '../../../shared/schemas/booths';
import type { Result } from '../../../shared/result';
import { LANGUAGES, type Language } from '../../../shared/vocab';
import { SignInLimiter } from '../admin/adminStore';
import { HqActions } from '../admin/hqActions';
import type { HqProjections } from '../hqProjections';
import { LinkSigner, type LinkClaims } from '../links/signedLinks';
import type { HqStorage } from '../storage';
import { FormTokens } from './formTokens';
import { RequestBudget, type Budget } from './requestBudget';
import { linkSubject, registeredLanguage, selfBookingView, type LinkSubject, type SelfBookingView } from './selfBookingData';
import { ProblemPage, renderSelfBooking, SelfBookingPage, type Notice } from './selfBookingPages';
import { DONE_CODES, fill, REFUSAL_CODES, SELF_BOOKING_TEXT, type DoneCode, type RefusalCode, type SelfBookingText } from './selfBookingText';

export interface SelfBookingDeps {
  storage: HqStorage;
  projections: HqProjections;
  /** HQ's data folder: its link key (links/signedLinks.ts) and the forms' key live there. */
  dataDir: string;
  /** HQ's decisions (shared with the dashboard, so HQ's own events are written by one queue). */
  actions?: HqActions;
  /**
   * HQ's public address as attendees reach it (`--public-url` / `HQ_PUBLIC_URL`), e.g. https://hq.example.org:
   * the origin a form may come from besides the request's own host, and the base of the links in emails.
   */
  publicUrl?: string | undefined;
  now?: () => number;
  /** The attendee's language when HQ records one (attendee messages); default: a `language` column if the store has one. */
  languageOf?: (attendeeId: string, stopId: string) => Language | null;
  limits?: Partial<SelfBookingLimits>;
}

export interface SelfBookingLimits {
  /** Every request of the pages, per client address (a venue's NAT holds many phones). */
  perAddress: Budget;
  /** Bookings, cancellations, waitlist answers, per link. */
  actionsPerLink: Budget;
  /** Bad links and forged forms per client address before it waits (30 s, doubling). */
  badPerAddress: { free: number; windowMs: number };
}

export const DEFAULT_SELF_BOOKING_LIMITS: SelfBookingLimits = {
  perAddress: { max: 600, windowMs: 10 * 60_000 },
  actionsPerLink: { max: 40, windowMs: 10 * 60_000 },
  badPerAddress: { free: 20, windowMs: 15 * 60_000 },
};

/** The path links point at: `${publicUrl}/book/<token>` (the confirmation email carries it). */
export const SELF_BOOKING_PREFIX = '/book';

/** HQ's public base URL: the `--public-url` option, else `HQ_PUBLIC_URL`, without a trailing slash. */
export function publicBaseUrl(option?: string | undefined): string | undefined {
  const v = (option ?? process.env.HQ_PUBLIC_URL ?? '').trim().replace(/\/+$/, '');
  return v === '' ? undefined : v;
}

/** The self-booking link of one attendee at one stop, as an email carries it. */
export function selfBookingLink(signer: LinkSigner, publicUrl: string, claims: Omit<LinkClaims, 'purpose'>): string {
  return `${publicUrl.replace(/\/+$/, '')}${SELF_BOOKING_PREFIX}/${signer.sign({ ...claims, purpose: 'book' })}`;
}

/** Who self-service bookings are recorded as: the attendee themself, recognisable in every event. */
export const selfActor = (attendeeId: string): string => `${SELF_ACTOR_PREFIX}${attendeeId}`.slice(0, 64);

const CSP = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS: Record<string, { file: string; type: string }> = {
  'selfbook.css': { file: path.join(here, 'selfBooking.css'), type: 'text/css; charset=utf-8' },
  'favicon.svg': { file: path.join(here, '..', '..', '..', 'resources', 'icons', 'icon.svg'), type: 'image/svg+xml' },
};
const boothQ = perDb(createBoothQueries);

type Action = 'book' | 'cancel' | 'waitlist' | 'leave' | 'accept' | 'decline';
const ACTION_PATHS: Record<Action, string> = { book: '/book', cancel: '/cancel', waitlist: '/waitlist', leave: '/waitlist/leave', accept: '/offer/accept', decline: '/offer/decline' };
const ACTION_OF_PATH = new Map(Object.entries(ACTION_PATHS).map(([a, p]) => [p, a as Action]));

interface Outcome {
  done?: DoneCode;
  error?: RefusalCode;
  /** Where the message belongs on the page (a slot `boothId|slotStart`, a booth, a booking or entry id). */
  at?: string;
  /** The page anchor to come back to. */
  anchor?: string;
}

const field = (req: FastifyRequest, name: string, max = 200): string => {
  const v = (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {})[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
};
const queryOf = (req: FastifyRequest): Record<string, string | undefined> => (req.query && typeof req.query === 'object' ? (req.query as Record<string, string | undefined>) : {});
const isLang = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/**
 * The attendee's self-booking pages at HQ (issue #21, bullet 5): `GET /book/<token>` shows the person's stop,
 * its booths with their free places and the person's own bookings and waitlist entries; the forms below it
 * book, cancel, join or leave a waitlist and answer an offer. The signed link is the only credential: it names
 * one attendee at one stop, and every action is checked against it (the booking or entry must be the link's
 * person's, at the link's stop) before it runs the desk's own handler through HqActions, as `self:<attendeeId>`,
 * so the same rules hold (capacity, overlap, waitlist) and the booking reaches the desks by pull.
 */
export function registerSelfBooking(app: FastifyInstance, deps: SelfBookingDeps): void {
  const now = deps.now ?? Date.now;
  const store = deps.projections.store;
  const actions = deps.actions ?? new HqActions(store, deps.storage, deps.dataDir);
  const signer = LinkSigner.forDataDir(deps.dataDir);
  const forms = FormTokens.forDataDir(deps.dataDir);
  const limits = { ...DEFAULT_SELF_BOOKING_LIMITS, ...deps.limits };
  const perAddress = new RequestBudget(limits.perAddress);
  const perLink = new RequestBudget(limits.actionsPerLink);
  const badLinks = new SignInLimiter(limits.badPerAddress.windowMs, 30_000, limits.badPerAddress.windowMs);
  const badKeys = (req: FastifyRequest) => [{ key: `ip:${req.ip}`, free: limits.badPerAddress.free }];
  const publicOrigin = (() => {
    const url = publicBaseUrl(deps.publicUrl);
    try {
      return url ? new URL(url).origin : null;
    } catch {
      return null;
    }
  })();
  const assetCache = new Map<string, Buffer>();

  function send(reply: FastifyReply, page: ReactElement, status = 200): FastifyReply {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-robots-tag', 'noindex, nofollow')
      .header('cache-control', 'no-store')
      .send(renderSelfBooking(page));
  }

  /** ?lang= first (the switch link), then the language the registration records, then the browser's. */
  function language(req: FastifyRequest, subject?: LinkSubject): Language {
    const q = queryOf(req).lang ?? field(req, 'lang', 4);
    if (isLang(q)) return q;
    if (subject) {
      const recorded = deps.languageOf ? deps.languageOf(subject.attendeeId, subject.stop.id) : registeredLanguage(store.db, subject);
      if (recorded) return recorded;
    }
    return /^ko\b/i.test(String(req.headers['accept-language'] ?? '').trim()) ? 'ko' : 'en';
  }

  const pathOf = (req: FastifyRequest) => req.url.split('?')[0]!;
  const switchHref = (req: FastifyRequest, lang: Language) => `${pathOf(req)}?lang=${lang === 'ko' ? 'en' : 'ko'}`;

  function problem(req: FastifyRequest, reply: FastifyReply, status: number, kind: 'invalid' | 'expired' | 'unknown' | 'forbidden' | 'limited' | 'error', lang: Language, values: Record<string, string | number> = {}): FastifyReply {
    const t = SELF_BOOKING_TEXT[lang];
    const title = t.problem[`${kind}Title`];
    return send(reply, <ProblemPage t={t} lang={lang} switchHref={switchHref(req, lang)} title={title} text={fill(t.problem[kind], values)} />, status);
  }

  /** 429 when the address spent its budget of requests (or of bad links); answers whether to stop. */
  function limited(req: FastifyRequest, reply: FastifyReply): boolean {
    const wait = Math.max(perAddress.take(`ip:${req.ip}`, now()), badLinks.retryAfter(badKeys(req), now()));
    if (wait <= 0) return false;
    const seconds = Math.ceil(wait / 1000);
    reply.header('retry-after', String(seconds));
    problem(req, reply, 429, 'limited', language(req), { minutes: Math.max(1, Math.ceil(seconds / 60)) });
    return true;
  }

  /** The link's claims and person, or the page that explains why not (already sent). */
  function open(req: FastifyRequest, reply: FastifyReply, token: string): { token: string; claims: LinkClaims; subject: LinkSubject } | null {
    const check = signer.verify(token, 'book', new Date(now()));
    if (!check.ok) {
      if (check.reason !== 'expired') badLinks.fail(badKeys(req), now());
      problem(req, reply, check.reason === 'expired' ? 410 : 403, check.reason === 'expired' ? 'expired' : 'invalid', language(req));
      return null;
    }
    const subject = linkSubject(store.db, check.claims.attendeeId, check.claims.stopId);
    if (!subject) {
      problem(req, reply, 404, 'unknown', language(req));
      return null;
    }
    return { token, claims: check.claims, subject };
  }

  const call = <C extends Channel>(channel: C, input: ApiInput<C>, subject: LinkSubject) => actions.call(channel, input, selfActor(subject.attendeeId));

  async function schedule(subject: LinkSubject): Promise<BoothSchedule> {
    await deps.projections.catchUp();
    const r = await call('booths:schedule', { stopId: subject.stop.id }, subject);
    if (!r.ok) throw new Error(`booths:schedule: ${r.error.code}`);
    return r.value;
  }

  app.register(
    async (book) => {
      if (!book.hasContentTypeParser('application/x-www-form-urlencoded')) {
        book.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
      }
      // Never a stack trace or a JSON body on these pages: a translated page says what happened.
      book.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
        const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
        if (status === 500) console.error('[hq] self-booking failed', err);
        return problem(req, reply, status, status === 500 ? 'error' : 'invalid', language(req));
      });
      book.setNotFoundHandler((req, reply) => problem(req, reply, 404, 'invalid', language(req)));

      book.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
        const a = ASSETS[req.params.name];
        if (!a) return problem(req, reply, 404, 'invalid', language(req));
        let body = assetCache.get(req.params.name);
        if (!body) assetCache.set(req.params.name, (body = readFileSync(a.file)));
        return reply.header('content-type', a.type).header('cache-control', 'max-age=3600').header('x-content-type-options', 'nosniff').send(body);
      });

      // The token is longer than a route parameter may be (find-my-way's 100 characters): a wildcard, split here.
      book.get('/*', async (req, reply) => {
        const rest = String((req.params as { '*'?: string })['*'] ?? '');
        if (rest.includes('/')) return problem(req, reply, 404, 'invalid', language(req));
        if (limited(req, reply)) return reply;
        const link = open(req, reply, rest);
        if (!link) return reply;
        const { subject, token } = link;
        const lang = language(req, subject);
        const t = SELF_BOOKING_TEXT[lang];
        const view = selfBookingView(await schedule(subject), subject, lang, now());
        const base = `${SELF_BOOKING_PREFIX}/${token}`;
        return send(reply, <SelfBookingPage t={t} lang={lang} switchHref={`${base}?lang=${lang === 'ko' ? 'en' : 'ko'}`} view={view} base={base} formToken={forms.issue(token, now())} notice={noticeOf(req, t, view)} />);
      });

      book.post('/*', async (req, reply) => {
        const rest = String((req.params as { '*'?: string })['*'] ?? '');
        const slash = rest.indexOf('/');
        const action = slash > 0 ? ACTION_OF_PATH.get(rest.slice(slash)) : undefined;
        if (!action) return problem(req, reply, 404, 'invalid', language(req));
        if (limited(req, reply)) return reply;
        const link = open(req, reply, rest.slice(0, slash));
        if (!link) return reply;
        const { subject, token } = link;
        const lang = language(req, subject);
        // A form from another site is refused: browsers say where a POST comes from (Sec-Fetch-Site, Origin);
        // the form token below is the check that does not depend on the browser.
        const origin = req.headers.origin;
        const site = req.headers['sec-fetch-site'];
        const ownOrigin = `${req.protocol}://${req.host}`;
        const foreignSite = site !== undefined && site !== 'same-origin' && site !== 'none';
        const foreignOrigin = origin !== undefined && origin !== 'null' && origin !== ownOrigin && origin !== publicOrigin;
        if (foreignSite || foreignOrigin) return problem(req, reply, 403, 'forbidden', lang);
        const form = forms.check(token, field(req, '_form', 100), now());
        if (form === 'missing' || form === 'forged') {
          badLinks.fail(badKeys(req), now());
          return problem(req, reply, 403, 'forbidden', lang);
        }
        const back = (o: Outcome) => {
          const q = new URLSearchParams({ lang });
          if (o.done) q.set('done', o.done);
          if (o.error) q.set('error', o.error);
          if (o.at) q.set('at', o.at);
          return reply.redirect(`${SELF_BOOKING_PREFIX}/${token}?${q.toString()}${o.anchor ? `#${o.anchor}` : ''}`, 303);
        };
        if (form === 'stale') return back({ error: 'FORM_EXPIRED' });
        const wait = perLink.take(`link:${token}`, now());
        if (wait > 0) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)));
          return problem(req, reply, 429, 'limited', lang, { minutes: Math.max(1, Math.ceil(wait / 60_000)) });
        }
        const outcome = await act(action, req, subject);
        if (outcome === 'forbidden') {
          badLinks.fail(badKeys(req), now());
          return problem(req, reply, 403, 'forbidden', lang);
        }
        return back(outcome);
      });
    },
    { prefix: SELF_BOOKING_PREFIX },
  );

  /** Runs one action for the link's person, after checking that what the form names is theirs and at their stop. */
  async function act(action: Action, req: FastifyRequest, subject: LinkSubject): Promise<Outcome | 'forbidden'> {
    const sched = await schedule(subject);
    const mine = new Set(subject.registrationIds);
    const stopId = subject.stop.id;
    const q = boothQ(store.db);
    const t = now();
    const refused = (r: Result<unknown>, at: string, anchor: string): Outcome | null => {
      if (r.ok) return null;
      const code = r.error.code;
      return { error: (REFUSAL_CODES as string[]).includes(code) ? (code as RefusalCode) : code === 'VALIDATION' ? 'NOT_FOUND' : 'OTHER', at, anchor };
    };

    if (action === 'book' || action === 'waitlist') {
      const boothId = field(req, 'boothId', 64);
      const row = sched.rows.find((r) => r.booth.id === boothId);
      if (!row) return 'forbidden'; // not a booth of the link's stop
      const anchor = `booth-${boothId}`;
      if (row.booth.removed) return { error: 'BOOTH_REMOVED', at: boothId, anchor };
      if (!row.plan) return { error: 'NO_BOOTH_PLAN', at: boothId, anchor };
      if (action === 'waitlist') {
        const ahead = row.slots.filter((s) => Date.parse(s.start) > t);
        if (ahead.length === 0) return { error: 'SLOT_PAST', at: boothId, anchor };
        if (ahead.some((s) => s.booked + s.held < s.capacity)) return { error: 'BOOTH_HAS_FREE_TIMES', at: boothId, anchor };
        const r = await call('booths:waitlistJoin', { boothId, registrationId: subject.registrationIds[0]! }, subject);
        return refused(r, boothId, anchor) ?? { done: 'joined', at: boothId };
      }
      const slotStart = field(req, 'slotStart', 40);
      const slot = row.slots.find((s) => s.start === slotStart || Date.parse(s.start) === Date.parse(slotStart));
      const at = `${boothId}|${slot?.start ?? slotStart}`;
      if (!slot) return { error: 'SLOT_NOT_IN_PLAN', at: boothId, anchor };
      if (Date.parse(slot.start) <= t) return { error: 'SLOT_PAST', at, anchor };
      const r = await call('booths:book', { boothId, slotStart: slot.start, registrationId: subject.registrationIds[0]! }, subject);
      return refused(r, at, anchor) ?? { done: 'booked', at };
    }

    if (action === 'cancel') {
      const bookingId = field(req, 'bookingId', 64);
      const state = bookingId ? q.bookingState(bookingId) : null;
      if (!state) return { error: 'NOT_FOUND' };
      if (!mine.has(state.row.registration_id) || state.row.stop_id !== stopId) return 'forbidden';
      const anchor = `booking-${bookingId}`;
      if (state.cancelled) return { error: 'BOOKING_NOT_ACTIVE' };
      if (Date.parse(state.row.slot_start) <= t) return { error: 'SLOT_PAST', at: bookingId, anchor };
      const r = await call('booths:cancel', { bookingId, reason: 'Cancelled by the attendee (self-booking link)' }, subject);
      return refused(r, bookingId, anchor) ?? { done: 'cancelled' };
    }

    // The waitlist entry's answers.
    const entryId = field(req, 'entryId', 64);
    const entry = entryId ? q.entry(entryId, store.now()) : null;
    if (!entry) return { error: 'NOT_FOUND' };
    const booth = q.boothRef(entry.view.boothId);
    if (!mine.has(entry.view.registrationId) || booth?.stopId !== stopId) return 'forbidden';
    if (entry.left) return { error: action === 'leave' ? 'NOT_FOUND' : 'NO_OPEN_OFFER' };
    const anchor = `entry-${entryId}`;
    if (action === 'leave') {
      const r = await call('booths:waitlistLeave', { entryId }, subject);
      return refused(r, entryId, anchor) ?? { done: 'left' };
    }
    if (action === 'accept') {
      // A place offered in a slot already under way may still be taken (the person may be on their way), not one that ended.
      if (entry.view.offer && Date.parse(entry.view.offer.slotEnd) <= t) return { error: 'SLOT_PAST', at: entryId, anchor };
      const r = await call('booths:acceptOffer', { entryId }, subject);
      return refused(r, entryId, anchor) ?? { done: 'accepted', at: r.ok ? `${r.value.booking.boothId}|${r.value.booking.slotStart}` : undefined };
    }
    const r = await call('booths:declineOffer', { entryId }, subject);
    return refused(r, entryId, anchor) ?? { done: 'declined' };
  }
}

/** The flash of the redirect after an action (`?done=` / `?error=` with `at=`), as text beside what it is about. */
function noticeOf(req: FastifyRequest, t: SelfBookingText, view: SelfBookingView): Notice | undefined {
  const q = queryOf(req);
  const at = typeof q.at === 'string' ? q.at.slice(0, 200) : undefined;
  const [boothId, slotStart] = at ? at.split('|') : [];
  const booth = view.booths.find((b) => b.boothId === boothId);
  const slot = booth?.slots.find((s) => s.start === slotStart);
  if (q.done && (DONE_CODES as string[]).includes(q.done)) {
    const done = q.done as DoneCode;
    return { ok: true, text: fill(t.done[done], { booth: booth?.name ?? '', time: slot?.label ?? '' }) };
  }
  if (q.error && (REFUSAL_CODES as string[]).includes(q.error)) {
    const code = q.error as RefusalCode;
    let other = '';
    if (code === 'ATTENDEE_DOUBLE_BOOKED' && slot) {
      const clash = view.bookings.find((b) => Date.parse(b.slotStart) < Date.parse(slot.end) && Date.parse(slot.start) < Date.parse(b.slotEnd));
      other = clash ? `${clash.booth} ${clash.label}` : '';
    }
    const text = fill(t.refused[code], { other }).replace(' ()', '').replace('()', '');
    // Beside the slot, the booking or the entry it is about; at the top when that is no longer on the page.
    const shown = slot || booth || view.bookings.some((b) => b.bookingId === at) || view.waiting.some((w) => w.entryId === at);
    return { ok: false, text, at: shown ? at : undefined };
  }
  return undefined;
}
