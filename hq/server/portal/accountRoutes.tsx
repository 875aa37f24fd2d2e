import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { ReactElement } from 'react';
import type { Store } from '../../../core/store/openStore';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import type { Institution } from '../../../shared/schemas/masterData';
import { AccountError, type AdminSession, type AdminStore, type InstitutionAccount } from '../admin/adminStore';
import { fill } from '../dashboard/dashboardText';
import { Csrf, Layout, type PageContext } from '../dashboard/pages';
import { SelectField, TextField } from '../dashboard/tourFields';
import type { FieldErrors, FormValues } from '../dashboard/tourForms';

type GuardedHandler = (req: FastifyRequest, reply: FastifyReply, ctx: PageContext, s: AdminSession) => Promise<unknown> | unknown;

export interface AccountRouteDeps {
  store: Store;
  admin: AdminStore;
  /** The dashboard's admin guard (sign-in, admins only, CSRF on POSTs). */
  guarded: (handler: GuardedHandler) => (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  send: (reply: FastifyReply, page: ReactElement, status?: number) => FastifyReply;
  form: (req: FastifyRequest) => Record<string, string>;
  /** HQ's public address for the setup links (`--public-url`); else the address the admin reached HQ at. */
  publicUrl?: string | undefined;
  now: () => number;
}

/** A setup link is kept in memory this long, for the one page view after the redirect that shows it. */
const SHOWN_TTL_MS = 10 * 60_000;

interface Shown {
  adminId: string;
  email: string;
  institution: string;
  link: string;
  until: string;
  expires: number;
}

function AccountsPage({ ctx, accounts, institutions, values, errors, shown }: { ctx: PageContext; accounts: InstitutionAccount[]; institutions: Institution[]; values: FormValues; errors: FieldErrors; shown?: Shown | undefined }) {
  const a = ctx.t.portal.accounts;
  const nameOf = (id: string) => {
    const i = institutions.find((x) => x.id === id);
    return i ? `${i.shortName}` : id;
  };
  const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  return (
    <Layout ctx={ctx} title={a.title}>
      <h2>{a.title}</h2>
      <p className="lead">{a.help}</p>
      {shown && (
        <div className="once" role="status">
          <p>
            <strong>{fill(a.linkTitle, { email: shown.email, institution: shown.institution })}</strong>
          </p>
          <p>
            <code data-testid="setup-link">{shown.link}</code>
          </p>
          <p>{fill(a.linkHelp, { until: day(shown.until) + ' UTC' })}</p>
        </div>
      )}
      {accounts.length === 0 ? (
        <p>{a.none}</p>
      ) : (
        <div className="scroll">
          <table aria-label={a.title}>
            <thead>
              <tr>
                <th scope="col">{a.email}</th>
                <th scope="col">{a.name}</th>
                <th scope="col">{a.institution}</th>
                <th scope="col">{a.status}</th>
                <th scope="col">{a.created}</th>
                <th scope="col">{a.actions}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((x) => (
                <tr key={x.id} className={x.deactivatedAt ? 'inactive' : undefined}>
                  <th scope="row">{x.email}</th>
                  <td>{x.name}</td>
                  <td>{nameOf(x.institutionId)}</td>
                  <td>{x.deactivatedAt ? fill(a.deactivated, { at: day(x.deactivatedAt) }) : x.setupPendingUntil ? fill(a.pending, { until: day(x.setupPendingUntil) }) : a.active}</td>
                  <td className="nowrap">{x.createdAt.slice(0, 10)}</td>
                  <td>
                    <span className="actions tight">
                      {x.deactivatedAt ? (
                        <form method="post" action={`/dashboard/accounts/${encodeURIComponent(x.id)}/reactivate`}>
                          <Csrf token={ctx.csrf} />
                          <button type="submit" className="secondary" aria-label={fill(a.reactivate, { email: x.email })}>
                            {a.reactivateShort}
                          </button>
                        </form>
                      ) : (
                        <form method="post" action={`/dashboard/accounts/${encodeURIComponent(x.id)}/deactivate`}>
                          <Csrf token={ctx.csrf} />
                          <button type="submit" className="danger" aria-label={fill(a.deactivate, { email: x.email })}>
                            {a.deactivateShort}
                          </button>
                        </form>
                      )}
                      <form method="post" action={`/dashboard/accounts/${encodeURIComponent(x.id)}/link`}>
                        <Csrf token={ctx.csrf} />
                        <button type="submit" className="secondary" aria-label={fill(a.newLink, { email: x.email })}>
                          {a.newLinkShort}
                        </button>
                      </form>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 id="new-account">{a.newTitle}</h3>
      {institutions.length === 0 ? (
        <p>{a.noInstitutions}</p>
      ) : (
        <form className="fields" method="post" action="/dashboard/accounts" aria-labelledby="new-account">
          <Csrf token={ctx.csrf} />
          <TextField form="account" name="email" label={a.email} values={values} errors={errors} type="email" required maxLength={254} />
          <TextField form="account" name="name" label={a.name} values={values} errors={errors} maxLength={100} />
          <SelectField form="account" name="institutionId" label={a.institution} values={values} errors={errors} options={institutions.map((i) => [i.id, `${i.shortName} · ${ctx.lang === 'ko' && i.nameKo ? i.nameKo : i.name}`] as const)} empty={a.chooseInstitution} required />
          <div className="submit">
            <button type="submit">{a.create}</button>
          </div>
        </form>
      )}
    </Layout>
  );
}

/**
 * "Institution accounts" (/dashboard/accounts, admins only, issue #21): every institution account, a new one
 * (its setup link shown once, after the redirect, to the admin who made it), deactivate / reactivate, a new link.
 */
export function registerAccountRoutes(app: FastifyInstance, deps: AccountRouteDeps): void {
  const { guarded, send, form, admin } = deps;
  const master = createMasterDataQueries(deps.store.db);
  const shown = new Map<string, Shown>();

  const origin = (req: FastifyRequest) => (deps.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
  function remember(req: FastifyRequest, s: AdminSession, email: string, institutionId: string, token: string): string {
    const now = deps.now();
    for (const [k, v] of shown) if (v.expires <= now) shown.delete(k);
    const key = randomBytes(12).toString('base64url');
    const until = new Date(now + 7 * 86400_000).toISOString();
    shown.set(key, { adminId: s.admin.id, email, institution: master.institution(institutionId)?.shortName ?? institutionId, link: `${origin(req)}/portal/setup/${token}`, until, expires: now + SHOWN_TTL_MS });
    return key;
  }

  function page(reply: FastifyReply, ctx: PageContext, values: FormValues = {}, errors: FieldErrors = {}, status = 200, once?: Shown): FastifyReply {
    return send(reply, <AccountsPage ctx={ctx} accounts={admin.listInstitutionAccounts(new Date(deps.now()))} institutions={master.institutions()} values={values} errors={errors} shown={once} />, status);
  }

  app.get(
    '/dashboard/accounts',
    guarded((req, reply, ctx, s) => {
      const q = req.query as { shown?: string; done?: string };
      let once: Shown | undefined;
      if (q.shown) {
        const held = shown.get(q.shown);
        // Shown once, to the admin who made it: a reload (or anyone else) sees the list only.
        shown.delete(q.shown);
        if (held && held.adminId === s.admin.id && held.expires > deps.now()) once = held;
      }
      const done = q.done === 'deactivated' || q.done === 'reactivated' ? ctx.t.portal.accounts.done[q.done] : undefined;
      return page(reply, done ? { ...ctx, flash: { ok: true, text: done } } : ctx, {}, {}, 200, once);
    }),
  );

  app.post(
    '/dashboard/accounts',
    guarded((req, reply, ctx, s) => {
      const f = form(req);
      const a = ctx.t.portal.accounts;
      const values: FormValues = { email: String(f.email ?? '').trim(), name: String(f.name ?? '').trim(), institutionId: String(f.institutionId ?? '') };
      if (!master.institution(values.institutionId!)) return page(reply, { ...ctx, flash: { ok: false, text: a.badInstitution } }, values, { institutionId: a.badInstitution }, 400);
      try {
        const r = admin.addInstitutionUser({ email: values.email!, name: values.name!, institutionId: values.institutionId!, createdBy: s.admin.id }, new Date(deps.now()));
        const key = remember(req, s, r.account.email, values.institutionId!, r.setupToken!);
        return reply.redirect(`/dashboard/accounts?shown=${key}`, 303);
      } catch (err) {
        if (!(err instanceof AccountError)) throw err;
        const text = err.reason === 'admin_email' ? a.adminEmail : a.badEmail;
        return page(reply, { ...ctx, flash: { ok: false, text } }, values, { email: text }, 400);
      }
    }),
  );

  app.post<{ Params: { id: string; action: string } }>(
    '/dashboard/accounts/:id/:action',
    guarded((req, reply, ctx, s) => {
      const { id, action } = req.params as { id: string; action: string };
      const at = new Date(deps.now());
      if (action === 'deactivate' || action === 'reactivate') {
        admin.setInstitutionAccountActive(id, action === 'reactivate', at);
        return reply.redirect(`/dashboard/accounts?done=${action}d`, 303);
      }
      if (action === 'link') {
        const r = admin.renewSetupLink(id, at);
        if (!r) return page(reply, { ...ctx, flash: { ok: false, text: ctx.t.errors.notFound } }, {}, {}, 404);
        return reply.redirect(`/dashboard/accounts?shown=${remember(req, s, r.account.email, r.account.institutionId!, r.setupToken)}`, 303);
      }
      return page(reply, { ...ctx, flash: { ok: false, text: ctx.t.errors.notFound } }, {}, {}, 404);
    }),
  );
}
