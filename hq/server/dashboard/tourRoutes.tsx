import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Store } from '../../../core/store/openStore';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import { createStaffQueries } from '../../../core/store/queries/staffQueries';
import type { ApiOutput, Channel } from '../../../shared/contract';
import type { TourSheetReport } from '../../../shared/schemas/tourSheet';
import type { AdminSession } from '../admin/adminStore';
import type { HqActions } from '../admin/hqActions';
import type { HqProjections } from '../hqProjections';
import { fill, type DashboardText } from './dashboardText';
import { NotFoundPage, type PageContext } from './pages';
import { SheetReportView } from './sheetReport';
import { StopPlanPage, type StopPlanState } from './stopPlanPage';
import { boothInput, checkInput, institutionInput, programInput, refusalErrors, sessionInput, sessionValues, staffInput, stopInput, tourInput, type FieldErrors, type FormId, type FormValues } from './tourForms';
import { ToursPage, TourPage, type TourPageState } from './tourPages';

type GuardedHandler = (req: FastifyRequest, reply: FastifyReply, ctx: PageContext, s: AdminSession) => Promise<unknown> | unknown;

/** What the dashboard lends these routes: its session guard (CSRF on POSTs), its page sender and form parser. */
export interface TourRouteDeps {
  store: Store;
  projections: HqProjections;
  actions: HqActions;
  guarded: (handler: GuardedHandler) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  send: (reply: FastifyReply, page: ReactElement, status?: number) => FastifyReply;
  form: (req: FastifyRequest) => Record<string, string>;
  /** A signed-in admin sent this request (checked before a large upload body is read). */
  signedIn: (req: FastifyRequest) => boolean;
  now: () => number;
}

type FlashKey = keyof DashboardText['flash'] | keyof DashboardText['programs']['flash'];
/** Numbers a flash message names, passed through the redirect's query. */
const FLASH_VARS = ['count', 'created', 'plans', 'skipped'] as const;

/** A setup code lives this long in memory for the one page view that shows it. */
const CODE_TTL_MS = 10 * 60_000;

const safeFile = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');
const without = (v: FormValues, ...keys: string[]): FormValues => Object.fromEntries(Object.entries(v).filter(([k]) => !keys.includes(k)));

/**
 * Tour planning at HQ (issue #18): /dashboard/tours, /dashboard/tours/:tourId and
 * /dashboard/stops/:stopId/plan. Each POST runs the core API handler through HqActions (an event of
 * device `hq` that desks pull), then redirects with a flash; a refusal re-renders the page (400) with the
 * message beside the field and what the admin typed.
 */
export function registerTourRoutes(app: FastifyInstance, deps: TourRouteDeps): void {
  const { store, actions, guarded, send, form } = deps;
  const master = createMasterDataQueries(store.db);
  const boothQ = createBoothQueries(store.db);
  const staffQ = createStaffQueries(store.db);
  const programQ = createProgramQueries(store.db);
  // A new person's setup code, kept for the one GET after the redirect (redirect-after-POST, and a reload
  // cannot show it again); bound to the admin who made it. HQ never stores the code itself.
  const shownOnce = new Map<string, { adminId: string; name: string; code: string; until: number }>();

  function flashFrom(req: FastifyRequest, ctx: PageContext): PageContext {
    const q = req.query as Record<string, string | undefined>;
    const key = q.done as FlashKey | undefined;
    const texts: Record<string, string> = { ...ctx.t.flash, ...ctx.t.programs.flash };
    if (ctx.flash || !key || !Object.prototype.hasOwnProperty.call(texts, key)) return ctx;
    const vars = Object.fromEntries(FLASH_VARS.map((k) => [k, Number(q[k]) || 0]));
    return { ...ctx, flash: { ok: true, text: fill(texts[key]!, vars) } };
  }

  const redirect = (reply: FastifyReply, to: string, done: FlashKey, vars: Record<string, string | number> = {}, hash = '') =>
    reply.redirect(`${to}?${new URLSearchParams({ done, ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])) }).toString()}${hash}`, 303);

  /** The channel's schema first (full issues for the messages), then the handler itself. */
  async function save<C extends Channel>(channel: C, raw: unknown, id: FormId, values: FormValues, ctx: PageContext, s: AdminSession): Promise<{ ok: true; value: ApiOutput<C> } | { ok: false; errors: FieldErrors }> {
    const checked = checkInput(channel, raw, id, values, ctx.t);
    if (!checked.ok) return checked;
    const r = await actions.call(channel, checked.input, s.admin.id);
    return r.ok ? { ok: true, value: r.value } : { ok: false, errors: refusalErrors(r.error, id, ctx.t) };
  }

  const refused = (ctx: PageContext, errors: FieldErrors): PageContext => ({ ...ctx, flash: { ok: false, text: errors._form ?? ctx.t.tours.notSaved } });
  const editOf = <K extends string>(q: unknown, kinds: readonly K[]): { kind: K; id: string } | undefined => {
    const m = /^([a-z]+):(.+)$/.exec(String((q as { edit?: string }).edit ?? ''));
    return m && (kinds as readonly string[]).includes(m[1]!) ? { kind: m[1] as K, id: m[2]! } : undefined;
  };

  // ---- data of the pages ----

  function toursData() {
    return { tours: master.tours().map((tour) => ({ tour, stops: master.stopsOfTour(tour.id).length })) };
  }

  function tourData(tourId: string) {
    const tour = master.tourById(tourId);
    if (!tour) return null;
    const stops = master.stopsOfTour(tour.id).map((stop) => ({ stop, sessions: master.sessions(stop.id).length, booths: master.booths(stop.id).length }));
    return { tour, stops, institutions: master.institutions(), programs: programQ.list(), staff: staffQ.list(), stopTours: new Map(master.stops().map((st) => [st.id, st.tourId])) };
  }

  function stopData(stopId: string) {
    const stop = master.stop(stopId);
    const tour = stop && master.tourById(stop.tourId);
    if (!stop || !tour) return null;
    return {
      tour,
      stop,
      sessions: master.sessions(stop.id),
      booths: master.allBooths(stop.id).map((booth) => ({ booth, plan: booth.removed ? null : boothQ.plan(booth.id) })),
      institutions: master.institutions(),
      otherStops: master.stops().filter((o) => o.id !== stop.id),
    };
  }

  function renderTour(reply: FastifyReply, ctx: PageContext, tourId: string, state: TourPageState, status = 200) {
    const data = tourData(tourId);
    if (!data) return send(reply, <NotFoundPage ctx={ctx} />, 404);
    return send(reply, <TourPage ctx={ctx} data={data} state={state} />, status);
  }

  function renderStop(reply: FastifyReply, ctx: PageContext, stopId: string, state: StopPlanState, status = 200) {
    const data = stopData(stopId);
    if (!data) return send(reply, <NotFoundPage ctx={ctx} />, 404);
    return send(reply, <StopPlanPage ctx={ctx} data={data} state={state} />, status);
  }

  const tourIdOf = (req: FastifyRequest) => (req.params as { tourId: string }).tourId;
  const stopIdOf = (req: FastifyRequest) => (req.params as { stopId: string }).stopId;

  // ---- tours ----

  app.get(
    '/dashboard/tours',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      return send(reply, <ToursPage ctx={flashFrom(req, ctx)} data={toursData()} year={new Date(deps.now()).getUTCFullYear()} />);
    }),
  );
  app.post(
    '/dashboard/tours',
    guarded(async (req, reply, ctx, s) => {
      const values = without(form(req), '_csrf', 'id');
      const r = await save('tour:upsert', tourInput(values), 'tour-new', values, ctx, s);
      if (r.ok) return redirect(reply, `/dashboard/tours/${encodeURIComponent(r.value.id)}`, 'tour_created', {}, '#stops');
      return send(reply, <ToursPage ctx={refused(ctx, r.errors)} data={toursData()} failed={{ form: 'tour-new', values, errors: r.errors }} year={new Date(deps.now()).getUTCFullYear()} />, 400);
    }),
  );

  app.get(
    '/dashboard/tours/:tourId',
    guarded(async (req, reply, ctx, s) => {
      await deps.projections.catchUp();
      const nonce = (req.query as { code?: string }).code;
      let setupCode: TourPageState['setupCode'];
      const held = nonce ? shownOnce.get(nonce) : undefined;
      if (nonce && held) {
        shownOnce.delete(nonce);
        if (held.adminId === s.admin.id && held.until > deps.now()) setupCode = { name: held.name, code: held.code };
      }
      return renderTour(reply, flashFrom(req, ctx), tourIdOf(req), { edit: editOf(req.query, ['institution', 'staff', 'program'] as const), setupCode });
    }),
  );
  app.post(
    '/dashboard/tours/:tourId',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const values = { ...without(form(req), '_csrf'), id: tourId };
      const r = await save('tour:upsert', tourInput(values), 'tour', values, ctx, s);
      if (r.ok) return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'tour_saved');
      return renderTour(reply, refused(ctx, r.errors), tourId, { failed: { form: 'tour', values, errors: r.errors } }, 400);
    }),
  );
  app.post(
    '/dashboard/tours/:tourId/stops',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const values = without(form(req), '_csrf', 'id');
      const r = await save('stop:upsert', stopInput(values, tourId), 'stop-new', values, ctx, s);
      if (r.ok) return redirect(reply, `/dashboard/stops/${encodeURIComponent(r.value.id)}/plan`, 'stop_created');
      return renderTour(reply, refused(ctx, r.errors), tourId, { failed: { form: 'stop-new', values, errors: r.errors } }, 400);
    }),
  );
  app.post(
    '/dashboard/tours/:tourId/institutions',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const values = without(form(req), '_csrf');
      const r = await save('institution:upsert', institutionInput(values), 'institution', values, ctx, s);
      if (r.ok) return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'institution_saved', {}, '#institutions');
      return renderTour(reply, refused(ctx, r.errors), tourId, { failed: { form: 'institution', values, errors: r.errors } }, 400);
    }),
  );

  // ---- programmes (issue #21) ----

  app.post(
    '/dashboard/tours/:tourId/programs',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const values = without(form(req), '_csrf');
      const r = await save('program:upsert', programInput(values), 'program', values, ctx, s);
      if (r.ok) return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'program_saved', {}, '#programs');
      return renderTour(reply, refused(ctx, r.errors), tourId, { failed: { form: 'program', values, errors: r.errors } }, 400);
    }),
  );
  // An institution's free-text programme list from before, made into programmes (kind "other") on demand.
  app.post(
    '/dashboard/tours/:tourId/programs/convert',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const inst = master.institutions().find((i) => i.id === String(form(req).institutionId ?? ''));
      if (!inst) return renderTour(reply, { ...ctx, flash: { ok: false, text: ctx.t.fieldErrors.notFound } }, tourId, {}, 404);
      let created = 0;
      let skipped = 0;
      for (const name of inst.programs) {
        const have = programQ.list().some((p) => p.institutionId === inst.id && p.name.toLowerCase() === name.toLowerCase());
        if (have) {
          skipped++;
          continue;
        }
        const r = await actions.call('program:upsert', { institutionId: inst.id, name: name.slice(0, 160), nameKo: '', kind: 'other', places: null, active: true }, s.admin.id);
        if (!r.ok) return renderTour(reply, refused(ctx, refusalErrors(r.error, 'program', ctx.t)), tourId, {}, 400);
        created++;
      }
      return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'programs_converted', { created, skipped }, '#programs');
    }),
  );

  // ---- staff ----

  function rememberCode(adminId: string, name: string, code: string): string {
    const now = deps.now();
    for (const [k, v] of shownOnce) if (v.until <= now) shownOnce.delete(k);
    const nonce = randomBytes(18).toString('base64url');
    shownOnce.set(nonce, { adminId, name, code, until: now + CODE_TTL_MS });
    return nonce;
  }

  app.post(
    '/dashboard/tours/:tourId/staff',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const values = without(form(req), '_csrf');
      const tourStops = master.stopsOfTour(tourId);
      // The stops a person works at other tours are not on this form: keep them.
      const before = values.id ? staffQ.byId(values.id) : null;
      const kept = (before?.stopIds ?? []).filter((id) => !tourStops.some((st) => st.id === id));
      const r = await save('staff:plan', staffInput(values, tourStops, kept), 'staff', values, ctx, s);
      if (!r.ok) return renderTour(reply, refused(ctx, r.errors), tourId, { failed: { form: 'staff', values, errors: r.errors } }, 400);
      const code: Record<string, string> = r.value.setupCode ? { code: rememberCode(s.admin.id, r.value.staff.name, r.value.setupCode) } : {};
      return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'staff_saved', code, '#staff');
    }),
  );
  app.post(
    '/dashboard/tours/:tourId/staff/code',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const person = staffQ.byId(String(form(req).staffId ?? ''));
      if (!person) return renderTour(reply, { ...ctx, flash: { ok: false, text: ctx.t.fieldErrors.notFound } }, tourId, {}, 404);
      const r = await actions.call('staff:plan', { staffId: person.id, name: person.name, role: person.role, institutionId: person.institutionId, stopIds: person.stopIds, issueSetupCode: true }, s.admin.id);
      if (!r.ok) return renderTour(reply, refused(ctx, refusalErrors(r.error, 'staff', ctx.t)), tourId, {}, 400);
      const code: Record<string, string> = r.value.setupCode ? { code: rememberCode(s.admin.id, person.name, r.value.setupCode) } : {};
      return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'staff_saved', code, '#staff');
    }),
  );
  app.post(
    '/dashboard/tours/:tourId/staff/deactivate',
    guarded(async (req, reply, ctx, s) => {
      const tourId = tourIdOf(req);
      const r = await actions.call('staff:deactivate', { staffId: String(form(req).staffId ?? '') }, s.admin.id);
      if (!r.ok) return renderTour(reply, refused(ctx, refusalErrors(r.error, 'staff', ctx.t)), tourId, {}, 400);
      return redirect(reply, `/dashboard/tours/${encodeURIComponent(tourId)}`, 'staff_deactivated', {}, '#staff');
    }),
  );

  // ---- the tour spreadsheet (channels of the spreadsheet helper) ----

  const download = (reply: FastifyReply, file: { filename: string; mimeType: string; base64: string }) =>
    reply
      .header('content-type', file.mimeType)
      .header('content-disposition', `attachment; filename="${safeFile(file.filename)}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(file.base64, 'base64'));
  const languageOf = (req: FastifyRequest) => (form(req).language === 'en' ? 'en' : 'ko');

  app.post(
    '/dashboard/tours/:tourId/sheet/template',
    guarded(async (req, reply, ctx, s) => {
      const r = await actions.call('tourplan:template', { language: languageOf(req) }, s.admin.id);
      if (!r.ok) return renderTour(reply, { ...ctx, flash: { ok: false, text: fill(ctx.t.errors.failed, { message: r.error.message }) } }, tourIdOf(req), {}, 400);
      return download(reply, r.value);
    }),
  );
  app.post(
    '/dashboard/tours/:tourId/sheet/export',
    guarded(async (req, reply, ctx, s) => {
      const r = await actions.call('tourplan:export', { tourId: tourIdOf(req), language: languageOf(req) }, s.admin.id);
      if (!r.ok) return renderTour(reply, { ...ctx, flash: { ok: false, text: fill(ctx.t.errors.failed, { message: r.error.message }) } }, tourIdOf(req), {}, 400);
      return download(reply, r.value);
    }),
  );
  // The plan for a desk that reaches neither HQ nor a hub: HQ's own events, signed, imported under Sync → USB bundle.
  app.post(
    '/dashboard/tours/:tourId/bundle',
    guarded(async (_req, reply) => {
      const b = await actions.tourBundle();
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename="${safeFile(b.fileName)}"`)
        .header('cache-control', 'no-store')
        .send(b.bytes);
    }),
  );
  for (const mode of ['check', 'apply'] as const) {
    app.post(
      `/dashboard/tours/:tourId/sheet/${mode}`,
      {
        bodyLimit: 9 * 1024 * 1024,
        // The body is read only for a signed-in admin (as for bundles); the guard then checks the CSRF header.
        onRequest: async (req, reply) => {
          if (!deps.signedIn(req)) return reply.code(401).header('content-type', 'application/json; charset=utf-8').send({ ok: false, html: '' });
        },
      },
      guarded(async (req, reply, ctx, s) => {
        const fail = (message: string, status = 400) => reply.code(status).send({ ok: false, html: renderToStaticMarkup(<p className="flash err">{fill(ctx.t.errors.failed, { message })}</p>) });
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) return fail('send the file as application/octet-stream', 415);
        const input = { tourId: tourIdOf(req), base64: req.body.toString('base64') };
        const r = mode === 'check' ? await actions.call('tourplan:check', input, s.admin.id) : await actions.call('tourplan:apply', input, s.admin.id);
        if (!r.ok) return fail(r.error.message);
        const report: TourSheetReport = r.value;
        return { ok: report.ok, html: renderToStaticMarkup(<SheetReportView report={report} mode={mode} t={ctx.t} lang={ctx.lang} />) };
      }),
    );
  }

  // ---- one stop's plan ----

  app.get(
    '/dashboard/stops/:stopId/plan',
    guarded(async (req, reply, ctx) => {
      await deps.projections.catchUp();
      return renderStop(reply, flashFrom(req, ctx), stopIdOf(req), { edit: editOf(req.query, ['session', 'booth'] as const) });
    }),
  );
  const planUrl = (stopId: string) => `/dashboard/stops/${encodeURIComponent(stopId)}/plan`;

  app.post(
    '/dashboard/stops/:stopId/plan',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const stop = master.stop(stopId);
      if (!stop) return send(reply, <NotFoundPage ctx={ctx} />, 404);
      const values = { ...without(form(req), '_csrf'), id: stopId };
      const r = await save('stop:upsert', stopInput(values, stop.tourId), 'stop', values, ctx, s);
      if (r.ok) return redirect(reply, planUrl(stopId), 'stop_saved');
      return renderStop(reply, refused(ctx, r.errors), stopId, { failed: { form: 'stop', values, errors: r.errors } }, 400);
    }),
  );
  app.post(
    '/dashboard/stops/:stopId/sessions',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const values = without(form(req), '_csrf');
      const r = await save('session:upsert', sessionInput(values, stopId), 'session', values, ctx, s);
      if (r.ok) return redirect(reply, planUrl(stopId), 'session_saved', {}, '#sessions');
      return renderStop(reply, refused(ctx, r.errors), stopId, { failed: { form: 'session', values, errors: r.errors } }, 400);
    }),
  );
  app.post(
    '/dashboard/stops/:stopId/sessions/cancel',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const f = form(req);
      const session = master.session(String(f.sessionId ?? ''));
      if (!session || session.stopId !== stopId) return renderStop(reply, { ...ctx, flash: { ok: false, text: ctx.t.fieldErrors.notFound } }, stopId, {}, 404);
      // Cancelling is a flag on the session (never a delete): desks keep showing it, struck through.
      const cancelled = f.cancelled !== '0';
      const values = { ...sessionValues(session), cancelled: cancelled ? '1' : '' };
      const r = await save('session:upsert', sessionInput(values, stopId), 'session', values, ctx, s);
      if (r.ok) return redirect(reply, planUrl(stopId), cancelled ? 'session_cancelled' : 'session_restored', {}, '#sessions');
      // Restoring can clash with a session booked into the room meanwhile: say so on the session's form.
      return renderStop(reply, refused(ctx, r.errors), stopId, { failed: { form: 'session', values, errors: r.errors } }, 400);
    }),
  );
  app.post(
    '/dashboard/stops/:stopId/booths',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const values = without(form(req), '_csrf');
      // The plan's research fields are not on this form: editing keeps them.
      const before = values.id ? boothQ.plan(values.id) : null;
      const r = await save('booth:upsert', boothInput(values, stopId, before?.fields ?? []), 'booth', values, ctx, s);
      if (r.ok) return redirect(reply, planUrl(stopId), 'booth_saved', {}, '#booths');
      return renderStop(reply, refused(ctx, r.errors), stopId, { failed: { form: 'booth', values, errors: r.errors } }, 400);
    }),
  );
  app.post(
    '/dashboard/stops/:stopId/booths/remove',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const r = await actions.call('booth:remove', { boothId: String(form(req).boothId ?? '') }, s.admin.id);
      if (!r.ok) return renderStop(reply, refused(ctx, refusalErrors(r.error, 'booth', ctx.t)), stopId, {}, 400);
      return redirect(reply, planUrl(stopId), 'booth_removed', { count: r.value.bookingsKept }, '#booths');
    }),
  );
  app.post(
    '/dashboard/stops/:stopId/booths/restore',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const booth = master.booth(String(form(req).boothId ?? ''));
      if (!booth || booth.stopId !== stopId) return renderStop(reply, { ...ctx, flash: { ok: false, text: ctx.t.fieldErrors.notFound } }, stopId, {}, 404);
      // An upsert of the same booth brings it back, with its plan and history.
      const r = await actions.call('booth:upsert', { id: booth.id, stopId, institutionId: booth.institutionId, location: booth.location, staff: booth.staff, plan: null }, s.admin.id);
      if (!r.ok) return renderStop(reply, refused(ctx, refusalErrors(r.error, 'booth', ctx.t)), stopId, {}, 400);
      return redirect(reply, planUrl(stopId), 'booth_saved', {}, '#booths');
    }),
  );
  app.post(
    '/dashboard/stops/:stopId/booths/copy',
    guarded(async (req, reply, ctx, s) => {
      const stopId = stopIdOf(req);
      const values = without(form(req), '_csrf');
      const r = await save('booths:copyFromStop', { fromStopId: values.fromStopId ?? '', toStopId: stopId }, 'copy', values, ctx, s);
      if (r.ok) return redirect(reply, planUrl(stopId), 'booths_copied', { created: r.value.boothsCreated, plans: r.value.plansCopied, skipped: r.value.skipped }, '#booths');
      return renderStop(reply, refused(ctx, r.errors), stopId, { failed: { form: 'copy', values, errors: r.errors } }, 400);
    }),
  );
}
