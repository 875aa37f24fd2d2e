import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReactElement } from 'react';
import { pairKey } from '../../../core/domain/personMatch';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { AppError } from '../../../shared/errors';
import { Id } from '../../../shared/schemas/common';
import { LANGUAGES, type Language } from '../../../shared/vocab';
import { issueEnrollmentCode } from '../auth';
import { syncCaller } from '../syncRoutes';
import { LastSyncTracker } from './lastSync';
import type { HqProjections } from '../hqProjections';
import type { HqStorage } from '../storage';
import { SignInLimiter, type AdminSession, type AdminStore } from '../admin/adminStore';
import { importBundleAtHq } from '../admin/bundleImport';
import { HqActions } from '../admin/hqActions';
import { storeSource } from '../../../core/store/openStore';
import { SqliteHqStorage } from '../sqliteStorage';
import { CONFLICT_KINDS, deviceViews, PAGE_SIZE, type ConflictFilter, type ConflictKind, type MatchFilter } from './dashboardData';
import { DashboardReader } from './dashboardReader';
import { DASHBOARD_TEXT, fill } from './dashboardText';
import { BundlesPage, ConflictsPage, DevicesPage, EnrollmentPage, ExportsPage, MatchesPage, NotFoundPage, OverviewPage, renderPage, SignInPage, type DeviceFilter, type HubPin, type PageContext } from './pages';
import { stopReportPdf, StopReportPage } from './stopReport';
import type { MatchRule } from '../../../core/domain/personMatch';
import { registerTourRoutes } from './tourRoutes';
import { registerOutcomeRoutes } from './outcomeRoutes';
import type { LeadOutcomes } from '../leads/leadOutcomes';
import { registerPortalRoutes, type RouteAccess } from '../portal/portalRoutes';
import { registerAccountRoutes } from '../portal/accountRoutes';
import { ForbiddenPage } from '../portal/portalPages';
import type { MailService } from '../mail/mailService';
import { registerMessagesPage } from '../mail/messagesPage';

export interface DashboardDeps {
  storage: HqStorage;
  projections: HqProjections;
  admin: AdminStore;
  dataDir: string;
  /** Secure cookies (HQ behind TLS). */
  secureCookies?: boolean;
  /** A venue hub's self-signed certificate, shown on the enrollment page for desks to pin. */
  hubPin?: HubPin;
  now?: () => number;
  /** Where the pages read (default: a worker thread on HQ's stores, dashboardReader.ts). */
  reader?: DashboardReader;
  /** HQ's decisions, when shared with other pages (self-booking); default: the dashboard's own. */
  actions?: HqActions;
  /** Institutions' lead outcomes (HqRuntime.leads): with them, the institution portal at /portal (issue #21). */
  leads?: LeadOutcomes;
  /** HQ's public address, for links HQ hands out (an institution account's setup link). */
  publicUrl?: string;
  /** Attendee messages (issue #21): the Messages page's log and sending state. */
  mail?: MailService | null;
}

const MATCH_RULES: readonly MatchRule[] = ['email', 'latin_name_affiliation', 'hangul_name_affiliation'];

/** `?page=N` (1 when absent or not a number). */
export const pageParam = (q: unknown): number => {
  const n = Number((q as { page?: string } | undefined)?.page);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1_000_000) : 1;
};
const param = (q: unknown, name: string, max = 200): string | undefined => {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined;
};
export function conflictFilter(q: unknown): ConflictFilter {
  const kind = param(q, 'kind');
  return { stopId: param(q, 'stop', 64), kind: kind && (CONFLICT_KINDS as readonly string[]).includes(kind) ? (kind as ConflictKind) : undefined };
}
export function matchFilter(q: unknown): MatchFilter {
  const rule = param(q, 'rule');
  return { q: param(q, 'q', 100), rule: rule && (MATCH_RULES as readonly string[]).includes(rule) ? (rule as MatchRule) : undefined };
}
export function deviceFilter(q: unknown): DeviceFilter {
  const status = param(q, 'status');
  return { status: status === 'active' || status === 'revoked' ? status : undefined, after: param(q, 'after', 64), before: param(q, 'before', 64) };
}
/** The list query an action came from (its form's hidden `back`, "?stop=…&page=2"), read by the list's own parsers. */
export const backQuery = (f: Record<string, string>): Record<string, string> => Object.fromEntries(new URLSearchParams(String(f.back ?? '').slice(0, 500)));

/** A list's address with its filter and page (after an action, the admin is back where they were). */
export function listUrl(path: string, fields: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '' && !(k === 'page' && Number(v) === 1)) q.set(k, String(v));
  const text = q.toString();
  return text ? `${path}?${text}` : path;
}

const SESSION_COOKIE = 'rsd_admin';
const PRE_COOKIE = 'rsd_pre'; // the sign-in form's CSRF token before a session exists
const LANG_COOKIE = 'rsd_lang';
const here = path.dirname(fileURLToPath(import.meta.url));
/** resources/icons of the repository (HQ runs from its source folder). */
const ICONS = path.join(here, '..', '..', '..', 'resources', 'icons');
const require = createRequire(import.meta.url);

const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function cookies(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function setCookie(reply: FastifyReply, name: string, value: string, opts: { maxAge?: number; secure?: boolean; httpOnly?: boolean; path?: string }): void {
  // Path=/: the session and language cover the dashboard and the institution portal (/portal) alike.
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${opts.path ?? '/'}`, 'SameSite=Strict'];
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  if (opts.secure) parts.push('Secure');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  const prev = reply.getHeader('set-cookie');
  reply.header('set-cookie', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), parts.join('; ')]);
}

const form = (req: FastifyRequest): Record<string, string> => (req.body && typeof req.body === 'object' ? (req.body as Record<string, string>) : {});

/**
 * The HQ dashboard: server-rendered pages under /dashboard for HQ admins (sign-in with scrypt
 * passwords, sessions that expire, a sign-in rate limit, CSRF tokens on every form). Actions that
 * change the tour become events (HqActions) and flow back to the laptops by pull.
 */
export function registerDashboard(app: FastifyInstance, deps: DashboardDeps): void {
  const now = deps.now ?? Date.now;
  const store = deps.projections.store;
  const actions = deps.actions ?? new HqActions(store, deps.storage, deps.dataDir);
  const source = storeSource(store);
  const reader =
    deps.reader ??
    new DashboardReader({
      projections: source,
      log: deps.storage instanceof SqliteHqStorage ? deps.storage.source : null,
      inProcess: () => ({ db: store.db, log: null, cacheable: false }),
    });
  app.addHook('onClose', async () => reader.close());
  const limiter = new SignInLimiter();

  // Who may use a route is part of the MATCHED route (its config), never a test on the URL's spelling: every
  // /dashboard route is for HQ admins and every /portal route for institution accounts unless it says otherwise
  // (sign-in, assets, a setup link: 'public'). Routes registered after this hook get the default.
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { access?: RouteAccess };
    if (config.access) return;
    if (route.url === '/dashboard' || route.url.startsWith('/dashboard/')) route.config = { ...config, access: 'admin' };
    else if (route.url === '/portal' || route.url.startsWith('/portal/')) route.config = { ...config, access: 'institution' };
  });
  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config?.access;
    if (access !== 'admin' && access !== 'institution') return;
    const s = session(req);
    // Without a session the route's own guard sends the browser to sign in.
    if (!s || s.admin.role === access) return;
    return forbidden(req, reply, s);
  });
  const assets: Record<string, { file: string; type: string }> = {
    'dashboard.js': { file: path.join(here, 'assets', 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
    'dashboard.css': { file: path.join(here, 'assets', 'dashboard.css'), type: 'text/css; charset=utf-8' },
    // chart.js exports no subpaths: its main entry lives in dist/, beside the UMD build.
    'chart.umd.min.js': { file: path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), type: 'text/javascript; charset=utf-8' },
    // The app's own icon in the browser tab (the same file the desktop app is built with).
    'favicon.svg': { file: path.join(ICONS, 'icon.svg'), type: 'image/svg+xml' },
    'favicon.ico': { file: path.join(ICONS, 'icon.ico'), type: 'image/x-icon' },
  };
  const assetCache = new Map<string, Buffer>();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  // When each device last completed a sync call: the devices page's "last sync". Kept in memory on
  // the sync path (the device is the one the route authenticated), written lazily (lastSync.ts).
  const lastSync = new LastSyncTracker(deps.admin);
  app.addHook('onClose', async () => lastSync.flush());
  app.addHook('onResponse', async (req, reply) => {
    // The route the router matched (as every check here), never the raw URL's spelling.
    const route = req.routeOptions.url ?? '';
    if (!route.startsWith('/v1/sync/') || reply.statusCode !== 200) return;
    const device = syncCaller(req);
    if (device) lastSync.note(device, route.slice('/v1/sync/'.length), new Date(now()));
  });

  /** Secure cookies on HTTPS: HQ's own TLS, or a trusted proxy's `X-Forwarded-Proto: https` (Fastify's trustProxy). */
  const secure = (req: FastifyRequest): boolean => Boolean(deps.secureCookies) || req.protocol === 'https';

  function language(req: FastifyRequest, reply: FastifyReply): Language {
    const q = (req.query as { lang?: string } | undefined)?.lang;
    if (q && (LANGUAGES as readonly string[]).includes(q)) {
      setCookie(reply, LANG_COOKIE, q, { maxAge: 365 * 86400, secure: secure(req) });
      return q as Language;
    }
    const c = cookies(req)[LANG_COOKIE];
    if (c && (LANGUAGES as readonly string[]).includes(c)) return c as Language;
    return /^ko\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'ko' : 'en';
  }

  function session(req: FastifyRequest): AdminSession | null {
    return deps.admin.session(cookies(req)[SESSION_COOKIE], new Date(now()));
  }

  /** 403, translated: an institution account on an admin page, or an admin on the portal. */
  function forbidden(req: FastifyRequest, reply: FastifyReply, s: AdminSession): FastifyReply {
    const lang = language(req, reply);
    const inst = s.admin.institutionId ? createMasterDataQueries(store.db).institution(s.admin.institutionId) : null;
    const institution = inst ? (lang === 'ko' && inst.nameKo ? inst.nameKo : inst.name) : (s.admin.institutionId ?? '');
    return send(reply, <ForbiddenPage ctx={{ t: DASHBOARD_TEXT[lang], lang, admin: s.admin, csrf: s.csrf, path: req.url.split('?')[0]!, institution }} />, 403);
  }

  /** Where an account lands after signing in. */
  const home = (role: AdminSession['admin']['role']) => (role === 'institution' ? '/portal' : '/dashboard');

  function send(reply: FastifyReply, page: ReactElement, status = 200): FastifyReply {
    return reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(renderPage(page));
  }

  type Handler = (req: FastifyRequest, reply: FastifyReply, ctx: PageContext, s: AdminSession) => Promise<unknown> | unknown;
  const FLASH_KEYS = ['resolved', 'merged', 'dismissed', 'revoked'] as const;

  /** A signed-in page: otherwise to the sign-in form. POSTs must carry the session's CSRF token. */
  function guarded(handler: Handler) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const lang = language(req, reply);
      const s = session(req);
      if (!s) return reply.redirect('/dashboard/sign-in', 303);
      // Admins only (the onRequest hook refuses others first; this guard is the handler's own check).
      if (s.admin.role !== 'admin') return forbidden(req, reply, s);
      const t = DASHBOARD_TEXT[lang];
      const ctx: PageContext = { t, lang, admin: s.admin, csrf: s.csrf, path: req.url.split('?')[0]!, query: req.url.split('?')[1] ?? '' };
      if (req.method === 'POST') {
        const token = form(req)._csrf ?? (req.headers['x-csrf-token'] as string | undefined);
        if (token !== s.csrf) return send(reply, <NotFoundPage ctx={{ ...ctx, flash: { ok: false, text: t.errors.csrf } }} />, 403);
      } else {
        const q = req.query as { done?: string; error?: string };
        if (q.done && (FLASH_KEYS as readonly string[]).includes(q.done)) {
          const text = q.done === 'resolved' ? t.conflicts.resolved : q.done === 'merged' ? t.matches.merged : q.done === 'dismissed' ? t.matches.dismissed : fill(t.devices.revokedDone, { device: String((req.query as { device?: string }).device ?? '') });
          ctx.flash = { ok: true, text };
        } else if (q.error) ctx.flash = { ok: false, text: fill(t.errors.failed, { message: q.error.slice(0, 300) }) };
      }
      return handler(req, reply, ctx, s);
    };
  }

  const fail = (reply: FastifyReply, to: string, message: string) => reply.redirect(`${to}?error=${encodeURIComponent(message)}`, 303);

  // Browsers ask for /favicon.ico on their own (a JSON answer, a download): no 404 in the log.
  app.get('/favicon.ico', async (_req, reply) => reply.redirect('/dashboard/assets/favicon.ico', 301));
  const publicRoute = { config: { access: 'public' as const } };
  app.get<{ Params: { name: string } }>('/dashboard/assets/:name', publicRoute, async (req, reply) => {
    const a = assets[req.params.name];
    if (!a) return reply.code(404).send('not found');
    let body = assetCache.get(req.params.name);
    if (!body) assetCache.set(req.params.name, (body = readFileSync(a.file)));
    return reply.header('content-type', a.type).header('cache-control', 'max-age=3600').header('x-content-type-options', 'nosniff').send(body);
  });

  // ---- sign-in ----
  app.get('/dashboard/sign-in', publicRoute, async (req, reply) => {
    const lang = language(req, reply);
    const signedIn = session(req);
    if (signedIn) return reply.redirect(home(signedIn.admin.role), 303);
    const pre = cookies(req)[PRE_COOKIE] ?? randomBytes(18).toString('base64url');
    setCookie(reply, PRE_COOKIE, pre, { maxAge: 3600, secure: secure(req) });
    const q = req.query as { failed?: string; wait?: string };
    const t = DASHBOARD_TEXT[lang];
    const flash = q.wait ? { ok: false, text: fill(t.signIn.limited, { minutes: Math.max(1, Number(q.wait) || 1) }) } : q.failed ? { ok: false, text: t.signIn.failed } : undefined;
    return send(reply, <SignInPage ctx={{ t, lang, admin: null, csrf: pre, path: '/dashboard/sign-in', flash }} email="" />);
  });

  app.post('/dashboard/sign-in', publicRoute, async (req, reply) => {
    const f = form(req);
    const pre = cookies(req)[PRE_COOKIE];
    if (!pre || f._csrf !== pre) return reply.redirect('/dashboard/sign-in', 303);
    const email = String(f.email ?? '').trim().toLowerCase().slice(0, 254);
    // The pair is held back after 5 failures; the address alone after 20, the account alone after 100 (a
    // stranger cannot lock an admin out from one address; spraying many accounts from one address is slowed).
    const pair = `pair:${email}|${req.ip}`;
    const keys = [
      { key: pair, free: 5 },
      { key: `ip:${req.ip}`, free: 20 },
      { key: `email:${email}`, free: 100 },
    ];
    const wait = limiter.retryAfter(keys, now());
    if (wait > 0) return reply.code(429).redirect(`/dashboard/sign-in?wait=${Math.ceil(wait / 60_000)}`, 303);
    const admin = await deps.admin.checkPassword(email, String(f.password ?? ''));
    if (!admin) {
      limiter.fail(keys, now());
      return reply.redirect('/dashboard/sign-in?failed=1', 303);
    }
    limiter.succeed(pair);
    return reply.redirect(startSession(req, reply, admin), 303);
  });

  function startSession(req: FastifyRequest, reply: FastifyReply, account: AdminSession['admin']): string {
    const s = deps.admin.createSession(account.id, new Date(now()));
    setCookie(reply, SESSION_COOKIE, s.token, { maxAge: Math.floor((Date.parse(s.expiresAt) - now()) / 1000), secure: secure(req) });
    return home(account.role);
  }
  function endSession(req: FastifyRequest, reply: FastifyReply): void {
    const token = cookies(req)[SESSION_COOKIE];
    if (token) deps.admin.endSession(token);
    setCookie(reply, SESSION_COOKIE, '', { maxAge: 0, secure: secure(req) });
    // A cookie set before the portal existed (Path=/dashboard) goes too.
    setCookie(reply, SESSION_COOKIE, '', { maxAge: 0, secure: secure(req), path: '/dashboard' });
  }

  app.post(
    '/dashboard/sign-out',
    guarded((req, reply) => {
      endSession(req, reply);
      return reply.redirect('/dashboard/sign-in', 303);
    }),
  );

  // ---- pages ----
  app.get(
    '/dashboard',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      return send(reply, <OverviewPage ctx={ctx} data={await reader.run('overview', { page: pageParam(req.query) })} />);
    }),
  );

  app.get(
    '/dashboard/devices',
    guarded(async (req, reply, ctx) => {
      const filter = deviceFilter(req.query);
      const page = await deps.storage.devicePage({ ...filter, limit: PAGE_SIZE });
      const ids = page.devices.map((d) => d.deviceId);
      const sqlite = deps.storage.kind === 'sqlite';
      const details = await reader.run('deviceDetails', { deviceIds: ids, lang: ctx.lang, digests: sqlite });
      // PostgreSQL: the page's digests by async queries (the event loop stays free between its pages of rows).
      const digests = details.digests ?? (await Promise.all(ids.map((id) => deps.storage.digest(id)))).flat();
      return send(reply, <DevicesPage ctx={ctx} devices={deviceViews(page.devices, details.stops, digests, lastSync.all())} page={page} filter={filter} />);
    }),
  );
  app.post(
    '/dashboard/devices/revoke',
    guarded(async (req, reply) => {
      const id = String(form(req).deviceId ?? '');
      const done = await deps.storage.revokeDevice(id, new Date(now()).toISOString());
      return done ? reply.redirect(`/dashboard/devices?done=revoked&device=${encodeURIComponent(id)}`, 303) : fail(reply, '/dashboard/devices', `No active device ${id}`);
    }),
  );

  app.get(
    '/dashboard/enrollment',
    guarded((_req, reply, ctx) => send(reply, <EnrollmentPage pin={deps.hubPin} ctx={ctx} />)),
  );
  app.post(
    '/dashboard/enrollment',
    guarded(async (req, reply, ctx) => {
      const f = form(req);
      const hours = Number(f.hours);
      const deviceId = String(f.deviceId ?? '').trim();
      if (!Number.isInteger(hours) || hours < 1 || hours > 720) return send(reply, <EnrollmentPage pin={deps.hubPin} ctx={{ ...ctx, flash: { ok: false, text: ctx.t.enrollment.badHours } }} />, 400);
      if (deviceId && !Id.safeParse(deviceId).success) return send(reply, <EnrollmentPage pin={deps.hubPin} ctx={{ ...ctx, flash: { ok: false, text: fill(ctx.t.errors.failed, { message: deviceId }) } }} />, 400);
      const label = String(f.label ?? '').trim().slice(0, 100);
      const hub = f.hub === '1';
      const made = await issueEnrollmentCode(deps.storage, { label, deviceId: deviceId || null, validHours: hours, now: new Date(now()), role: hub ? 'hub' : 'desk' });
      return send(reply, <EnrollmentPage pin={deps.hubPin} ctx={ctx} made={{ ...made, label, hub }} />);
    }),
  );

  app.get(
    '/dashboard/conflicts',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      const filter = conflictFilter(req.query);
      return send(reply, <ConflictsPage ctx={ctx} data={await reader.run('conflicts', { page: pageParam(req.query), filter })} filter={filter} />);
    }),
  );
  app.post(
    '/dashboard/conflicts/resolve',
    guarded(async (req, reply, ctx, s) => {
      const f = form(req);
      let r: { ok: boolean; error?: { message: string } };
      if (f.kind === 'double_check_in') {
        r = await actions.call('checkin:void', { checkInEventId: String(f.checkInEventId ?? ''), reason: ctx.t.conflicts.reasonDuplicate }, s.admin.id);
      } else if (f.kind === 'booking') {
        const action = f.action === 'cancel' ? 'cancel' : 'keep';
        r = await actions.call('booths:resolveConflict', { bookingId: String(f.bookingId ?? ''), action, note: `HQ: ${s.admin.name}` }, s.admin.id);
      } else if (f.kind === 'consultation') {
        const d = await actions.call('consultations:get', { consultationId: String(f.consultationId ?? '') }, s.admin.id);
        r = d.ok
          ? await actions.call('consultations:resolve', { consultationId: d.value.consultationId, revisionIds: d.value.headRevisionIds, editor: `HQ · ${s.admin.name}`.slice(0, 100), content: d.value.content }, s.admin.id)
          : d;
      } else r = { ok: false, error: { message: 'Unknown conflict kind' } };
      const q = backQuery(f);
      const back = conflictFilter(q);
      const to = (extra: Record<string, string>) => listUrl('/dashboard/conflicts', { stop: back.stopId, kind: back.kind, page: pageParam(q), ...extra });
      return reply.redirect(to(r.ok ? { done: 'resolved' } : { error: r.error?.message ?? 'failed' }), 303);
    }),
  );

  app.get(
    '/dashboard/matches',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      const filter = matchFilter(req.query);
      const data = await reader.run('matches', { page: pageParam(req.query), filter, dismissed: [...deps.admin.dismissedMatches()], lang: ctx.lang });
      return send(reply, <MatchesPage ctx={ctx} data={data} filter={filter} />);
    }),
  );
  app.post(
    '/dashboard/matches/confirm',
    guarded(async (req, reply, _ctx, s) => {
      const f = form(req);
      const fromId = Id.safeParse(f.fromId);
      const intoId = Id.safeParse(f.intoId);
      const q = backQuery(f);
      const back = (extra: Record<string, string>) => listUrl('/dashboard/matches', { q: matchFilter(q).q, rule: matchFilter(q).rule, page: pageParam(q), ...extra });
      if (!fromId.success || !intoId.success) return reply.redirect(back({ error: 'Unknown records' }), 303);
      try {
        await actions.append('attendee_merged', { fromAttendeeId: fromId.data, intoAttendeeId: intoId.data, reason: String(f.rules ?? '').slice(0, 200) }, s.admin.id);
      } catch (err) {
        if (err instanceof AppError) return reply.redirect(back({ error: err.message }), 303);
        throw err;
      }
      return reply.redirect(back({ done: 'merged' }), 303);
    }),
  );
  app.post(
    '/dashboard/matches/dismiss',
    guarded((req, reply, _ctx, s) => {
      const f = form(req);
      const q = backQuery(f);
      const back = (extra: Record<string, string>) => listUrl('/dashboard/matches', { q: matchFilter(q).q, rule: matchFilter(q).rule, page: pageParam(q), ...extra });
      if (!f.fromId || !f.intoId) return reply.redirect(back({ error: 'Unknown records' }), 303);
      deps.admin.dismissMatch(pairKey(String(f.fromId), String(f.intoId)), s.admin.id, new Date(now()));
      return reply.redirect(back({ done: 'dismissed' }), 303);
    }),
  );

  app.get(
    '/dashboard/exports',
    guarded((_req, reply, ctx) => send(reply, <ExportsPage ctx={ctx} institutions={createMasterDataQueries(store.db).institutions()} />)),
  );
  app.post(
    '/dashboard/exports',
    guarded(async (req, reply) => {
      const f = form(req);
      const institutionId = Id.safeParse(f.institutionId);
      if (!institutionId.success) return fail(reply, '/dashboard/exports', 'Unknown institution');
      await deps.projections.catchUp();
      // Built on the dashboard's worker (a whole tour's XLSX takes a while): sync keeps answering meanwhile.
      let file;
      try {
        file = await reader.run('followUpExport', { institutionId: institutionId.data, stopId: null, format: f.format === 'xlsx' ? 'xlsx' : 'csv', language: f.language === 'en' ? 'en' : 'ko', now: new Date(now()).toISOString() });
      } catch (err) {
        if (err instanceof AppError) return fail(reply, '/dashboard/exports', err.message);
        throw err;
      }
      return reply
        .header('content-type', file.mimeType)
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'no-store')
        .send(file.bytes);
    }),
  );

  app.get(
    '/dashboard/bundles',
    guarded((_req, reply, ctx) => send(reply, <BundlesPage ctx={ctx} />)),
  );
  app.post(
    '/dashboard/bundles',
    {
      bodyLimit: 64 * 1024 * 1024,
      // The large body is read only for a signed-in admin: anyone else is refused before the upload.
      onRequest: async (req, reply) => {
        if (session(req)?.admin.role !== 'admin') return reply.code(401).header('content-type', 'application/json; charset=utf-8').send({ ok: false, message: 'Sign in first.' });
      },
    },
    guarded(async (req, reply, ctx) => {
      if (!Buffer.isBuffer(req.body)) return reply.code(415).send({ ok: false, message: fill(ctx.t.errors.failed, { message: 'send the file as application/octet-stream' }) });
      try {
        const r = await importBundleAtHq(deps.storage, deps.projections, req.body, { trustKey: req.headers['x-trust-key'] === '1' });
        return { ok: r.rejected === 0, report: r, message: fill(ctx.t.bundles.report, { device: r.deviceId, events: r.events, added: r.added, held: r.alreadyHeld, rejected: r.rejected }) + (r.refusedBecause ? ` (${r.refusedBecause})` : '') };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return reply.code(400).send({ ok: false, reason: err.details?.reason, message: fill(ctx.t.errors.failed, { message: err.message }) });
      }
    }),
  );

  registerTourRoutes(app, { store, projections: deps.projections, actions, guarded, send, form, signedIn: (req) => session(req)?.admin.role === 'admin', now });
  registerOutcomeRoutes(app, { projections: deps.projections, reader, guarded, send, now });
  registerAccountRoutes(app, { store, admin: deps.admin, guarded, send, form, publicUrl: deps.publicUrl, now });
  if (deps.leads) {
    registerPortalRoutes(app, {
      store,
      projections: deps.projections,
      leads: deps.leads,
      admin: deps.admin,
      reader,
      language,
      session,
      send,
      form,
      preToken: (req, reply) => {
        const pre = cookies(req)[PRE_COOKIE] ?? randomBytes(18).toString('base64url');
        setCookie(reply, PRE_COOKIE, pre, { maxAge: 3600, secure: secure(req) });
        return pre;
      },
      preTokenOk: (req, token) => Boolean(token) && cookies(req)[PRE_COOKIE] === token,
      signInAs: startSession,
      signOut: endSession,
      now,
    });
  }
  registerMessagesPage(app, { mail: deps.mail ?? null, guarded, send });

  app.get<{ Params: { stopId: string } }>(
    '/dashboard/stops/:stopId/report',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      const data = await reader.run('stopReport', { stopId: (req.params as { stopId: string }).stopId });
      if (!data) return send(reply, <NotFoundPage ctx={ctx} />, 404);
      return send(reply, <StopReportPage ctx={ctx} data={data} />);
    }),
  );
  app.get<{ Params: { stopId: string } }>(
    '/dashboard/stops/:stopId/report.pdf',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      const data = await reader.run('stopReport', { stopId: (req.params as { stopId: string }).stopId });
      if (!data) return send(reply, <NotFoundPage ctx={ctx} />, 404);
      const pdf = await stopReportPdf(data, ctx.lang, new Date(now()));
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="stop-report-${data.stop.id.replace(/[^A-Za-z0-9._-]/g, '_')}-${ctx.lang}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    }),
  );
}

