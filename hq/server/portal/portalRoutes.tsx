import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactElement } from 'react';
import type { Store } from '../../../core/store/openStore';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { AppError } from '../../../shared/errors';
import { LeadOutcome } from '../../../shared/schemas/programs';
import { OUTCOME_STATUSES, type Language } from '../../../shared/vocab';
import type { Admin, AdminSession, AdminStore } from '../admin/adminStore';
import type { DashboardReader } from '../dashboard/dashboardReader';
import { DASHBOARD_TEXT, type DashboardText } from '../dashboard/dashboardText';
import type { FieldErrors, FormValues } from '../dashboard/tourForms';
import type { HqProjections } from '../hqProjections';
import type { LeadOutcomes } from '../leads/leadOutcomes';
import { leadDetail, type LeadFilter } from './portalData';
import { ForbiddenPage, LeadPageView, LeadsPage, PortalNotFoundPage, SetupPage, type LeadFormState, type PortalContext } from './portalPages';

/** Who may use a route, read by the dashboard's onRequest hook from the MATCHED route's config (never the raw URL). */
export type RouteAccess = 'public' | 'admin' | 'institution';
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** What the dashboard lends the portal: its session, language, page sender, form parser, sign-in. */
export interface PortalRouteDeps {
  store: Store;
  projections: HqProjections;
  leads: LeadOutcomes;
  admin: AdminStore;
  reader: DashboardReader;
  language: (req: FastifyRequest, reply: FastifyReply) => Language;
  session: (req: FastifyRequest) => AdminSession | null;
  send: (reply: FastifyReply, page: ReactElement, status?: number) => FastifyReply;
  form: (req: FastifyRequest) => Record<string, string>;
  /** The sign-in form's CSRF token before a session exists (set as a cookie when missing). */
  preToken: (req: FastifyRequest, reply: FastifyReply) => string;
  preTokenOk: (req: FastifyRequest, token: string | undefined) => boolean;
  /** Starts a session for the account (cookie) and answers where it lands. */
  signInAs: (req: FastifyRequest, reply: FastifyReply, account: Admin) => string;
  signOut: (req: FastifyRequest, reply: FastifyReply) => void;
  now: () => number;
}

const param = (q: unknown, name: string, max = 200): string | undefined => {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined;
};
export function leadFilter(q: unknown): LeadFilter {
  const status = param(q, 'status', 20);
  return {
    stopId: param(q, 'stop', 64),
    program: param(q, 'program', 200),
    status: status && (status === 'none' || (OUTCOME_STATUSES as readonly string[]).includes(status)) ? status : undefined,
    q: param(q, 'q', 100),
  };
}
const pageOf = (q: unknown): number => {
  const n = Number((q as { page?: string } | undefined)?.page);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1_000_000) : 1;
};

const OutcomeForm = LeadOutcome.omit({ outcomeId: true });
const FIELD_OF: Record<string, keyof DashboardText['portal']['errors']> = { status: 'status', occurredOn: 'occurredOn', programId: 'programId', note: 'note' };
const today = (now: number) => new Date(now).toISOString().slice(0, 10);

/**
 * The institution portal (issue #21): /portal for the staff of ONE institution. The institution is the signed-in
 * account's, from the session only: no URL or form field names it, so editing a form cannot reach another
 * institution. A person who is not the institution's consented lead, and an outcome that is not theirs, is
 * NOT_FOUND (404) like one that does not exist. Outcomes are written by `HqRuntime.leads` (events of `hq-leads`).
 */
export function registerPortalRoutes(app: FastifyInstance, deps: PortalRouteDeps): void {
  const { store, leads, send, form } = deps;
  const master = createMasterDataQueries(store.db);

  function institutionName(id: string | null, lang: Language): string {
    if (!id) return '';
    const i = master.institution(id);
    return i ? (lang === 'ko' && i.nameKo ? i.nameKo : i.name) : id;
  }

  function context(req: FastifyRequest, reply: FastifyReply, s: AdminSession | null): PortalContext {
    const lang = deps.language(req, reply);
    return { t: DASHBOARD_TEXT[lang], lang, admin: s?.admin ?? null, csrf: s?.csrf ?? '', path: req.url.split('?')[0]!, query: req.url.split('?')[1] ?? '', institution: institutionName(s?.admin.institutionId ?? null, lang) };
  }

  type Handler = (req: FastifyRequest, reply: FastifyReply, ctx: PortalContext, account: Admin & { institutionId: string }) => Promise<unknown> | unknown;
  /** Signed in as an institution's staff (else sign-in, or 403 for an admin); POSTs carry the session's CSRF token. */
  function portalGuarded(handler: Handler) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const s = deps.session(req);
      if (!s) return reply.redirect('/dashboard/sign-in', 303);
      const ctx = context(req, reply, s);
      if (s.admin.role !== 'institution' || !s.admin.institutionId) return send(reply, <ForbiddenPage ctx={ctx} />, 403);
      if (req.method === 'POST') {
        const token = form(req)._csrf ?? (req.headers['x-csrf-token'] as string | undefined);
        if (token !== s.csrf) return send(reply, <PortalNotFoundPage ctx={{ ...ctx, flash: { ok: false, text: ctx.t.errors.csrf } }} />, 403);
      } else {
        const done = (req.query as { done?: string }).done;
        if (done === 'recorded') ctx.flash = { ok: true, text: ctx.t.portal.recorded };
        else if (done === 'retracted') ctx.flash = { ok: true, text: ctx.t.portal.retractedDone };
      }
      return handler(req, reply, ctx, s.admin as Admin & { institutionId: string });
    };
  }

  const institutionOnly = { config: { access: 'institution' as const } };
  const publicRoute = { config: { access: 'public' as const } };

  function renderLead(reply: FastifyReply, ctx: PortalContext, personId: string, institutionId: string, state: LeadFormState | null, status = 200): FastifyReply {
    const lead = leadDetail(store.db, institutionId, personId, ctx.lang);
    if (!lead) return send(reply, <PortalNotFoundPage ctx={ctx} />, 404);
    const ids = lead.history.flatMap((h) => [h.recordedBy, ...(h.retracted ? [h.retracted.by] : [])]);
    const names = new Map([...deps.admin.accountNames(ids)].map(([id, a]) => [id, a.name]));
    const initial: LeadFormState = { values: { occurredOn: today(deps.now()), status: '', programId: '', note: '' }, errors: {} };
    return send(reply, <LeadPageView ctx={ctx} lead={lead} names={names} state={state ?? initial} />, status);
  }

  app.get('/portal/sign-in', publicRoute, async (_req, reply) => reply.redirect('/dashboard/sign-in', 303));

  app.get(
    '/portal',
    institutionOnly,
    portalGuarded(async (req, reply, ctx, account) => {
      await deps.projections.catchUp();
      const filter = leadFilter(req.query);
      const data = await deps.reader.run('portalLeads', { institutionId: account.institutionId, filter, page: pageOf(req.query), lang: ctx.lang });
      return send(reply, <LeadsPage ctx={ctx} data={data} filter={filter} />);
    }),
  );

  app.get<{ Params: { personId: string } }>(
    '/portal/leads/:personId',
    institutionOnly,
    portalGuarded(async (req, reply, ctx, account) => {
      await deps.projections.catchUp();
      return renderLead(reply, ctx, (req.params as { personId: string }).personId, account.institutionId, null);
    }),
  );

  app.post<{ Params: { personId: string } }>(
    '/portal/leads/:personId/outcomes',
    institutionOnly,
    portalGuarded(async (req, reply, ctx, account) => {
      const f = form(req);
      const p = ctx.t.portal;
      const personId = (req.params as { personId: string }).personId;
      const values: FormValues = { status: String(f.status ?? ''), occurredOn: String(f.occurredOn ?? ''), programId: String(f.programId ?? ''), note: String(f.note ?? '') };
      await deps.projections.catchUp();
      const lead = leadDetail(store.db, account.institutionId, personId, ctx.lang);
      if (!lead) return send(reply, <PortalNotFoundPage ctx={ctx} />, 404);
      const refuse = (errors: FieldErrors) => renderLead(reply, { ...ctx, flash: { ok: false, text: errors._form ?? p.notRecorded } }, personId, account.institutionId, { values, errors }, 400);
      // The institution is the session's; whatever else the form carries is ignored.
      const parsed = OutcomeForm.safeParse({ attendeeId: lead.personId, institutionId: account.institutionId, programId: values.programId || null, status: values.status, occurredOn: values.occurredOn, note: values.note });
      if (!parsed.success) {
        const errors: FieldErrors = {};
        for (const issue of parsed.error.issues) {
          const key = FIELD_OF[String(issue.path[0])];
          if (key && !errors[key]) errors[key] = p.errors[key];
        }
        return refuse(Object.keys(errors).length ? errors : { _form: p.notRecorded });
      }
      try {
        await leads.record(parsed.data, account.id);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'NOT_FOUND') return send(reply, <PortalNotFoundPage ctx={ctx} />, 404);
        if (err.code === 'CONSENT_REQUIRED') return refuse({ _form: p.errors.consent });
        if (err.code === 'VALIDATION') {
          const path = String((err.details?.issues as { path?: unknown }[] | undefined)?.[0]?.path ?? '');
          const key = FIELD_OF[path];
          return refuse(key ? { [key]: p.errors[key] } : { _form: p.notRecorded });
        }
        throw err;
      }
      return reply.redirect(`/portal/leads/${encodeURIComponent(lead.personId)}?done=recorded#history`, 303);
    }),
  );

  app.post<{ Params: { personId: string; outcomeId: string } }>(
    '/portal/leads/:personId/outcomes/:outcomeId/retract',
    institutionOnly,
    portalGuarded(async (req, reply, ctx, account) => {
      const { personId, outcomeId } = req.params as { personId: string; outcomeId: string };
      const p = ctx.t.portal;
      const reason = String(form(req).reason ?? '').trim();
      await deps.projections.catchUp();
      const lead = leadDetail(store.db, account.institutionId, personId, ctx.lang);
      // Only an outcome of this lead at this institution (the history holds no other institution's).
      if (!lead || !lead.history.some((h) => h.outcomeId === outcomeId)) return send(reply, <PortalNotFoundPage ctx={ctx} />, 404);
      if (reason === '' || reason.length > 500) {
        const state: LeadFormState = { values: { occurredOn: today(deps.now()) }, errors: {}, retract: { outcomeId, reason, error: p.errors.reason } };
        return renderLead(reply, { ...ctx, flash: { ok: false, text: p.errors.reason } }, personId, account.institutionId, state, 400);
      }
      try {
        await leads.retract(outcomeId, account.institutionId, reason, account.id);
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return send(reply, <PortalNotFoundPage ctx={ctx} />, 404);
        throw err;
      }
      return reply.redirect(`/portal/leads/${encodeURIComponent(lead.personId)}?done=retracted#history`, 303);
    }),
  );

  app.get(
    '/portal/export',
    institutionOnly,
    portalGuarded(async (req, reply, ctx, account) => {
      await deps.projections.catchUp();
      const q = req.query as { format?: string; language?: string };
      // Built on the dashboard's worker from the same rows as the list (same filter, every page).
      const file = await deps.reader.run('portalExport', {
        institutionId: account.institutionId,
        filter: leadFilter(req.query),
        format: q.format === 'csv' ? 'csv' : 'xlsx',
        language: q.language === 'en' || q.language === 'ko' ? q.language : ctx.lang,
        now: new Date(deps.now()).toISOString(),
      });
      const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
      return reply
        .header('content-type', file.mimeType)
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    }),
  );

  app.post(
    '/portal/sign-out',
    institutionOnly,
    portalGuarded((req, reply) => {
      deps.signOut(req, reply);
      return reply.redirect('/dashboard/sign-in', 303);
    }),
  );

  // ---- the one-time setup link of a new account (no session yet) ----
  app.get<{ Params: { token: string } }>('/portal/setup/:token', publicRoute, async (req, reply) => {
    const ctx = context(req, reply, null);
    const token = (req.params as { token: string }).token;
    const account = deps.admin.setupAccount(token, new Date(deps.now()));
    return send(reply, <SetupPage ctx={{ ...ctx, csrf: deps.preToken(req, reply) }} email={account?.email ?? null} token={token} />, account ? 200 : 404);
  });
  app.post<{ Params: { token: string } }>('/portal/setup/:token', publicRoute, async (req, reply) => {
    const ctx = context(req, reply, null);
    const f = form(req);
    const token = (req.params as { token: string }).token;
    if (!deps.preTokenOk(req, f._csrf)) return reply.redirect(`/portal/setup/${encodeURIComponent(token)}`, 303);
    const account = deps.admin.setupAccount(token, new Date(deps.now()));
    const page = (error: string, status: number) => send(reply, <SetupPage ctx={{ ...ctx, csrf: deps.preToken(req, reply) }} email={account?.email ?? null} token={token} error={error} />, status);
    if (!account) return page('', 404);
    const password = String(f.password ?? '');
    if (password.length < 12) return page(ctx.t.portal.setupShort, 400);
    if (password !== String(f.repeat ?? '')) return page(ctx.t.portal.setupMismatch, 400);
    const done = deps.admin.completeSetup(token, password, new Date(deps.now()));
    if (!done) return page('', 404);
    return reply.redirect(deps.signInAs(req, reply, done), 303);
  });
}
