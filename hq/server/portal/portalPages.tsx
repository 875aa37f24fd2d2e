import type { ReactNode } from 'react';
import { EXPORT_LABELS } from '../../../core/domain/followUpExport';
import type { LeadOutcomeEntry } from '../../../shared/schemas/programs';
import { OUTCOME_STATUSES, type CareerStage, type Language, type ResearchField } from '../../../shared/vocab';
import { fill } from '../dashboard/dashboardText';
import { Csrf, PageShell, Pager, type PageContext } from '../dashboard/pages';
import { SelectField, TextField } from '../dashboard/tourFields';
import type { FieldErrors, FormValues } from '../dashboard/tourForms';
import { OUTCOME_LABELS, programLabel, type LeadDetail, type LeadFilter, type LeadPage } from './portalData';

/**
 * The institution portal's pages (issue #21), server-rendered like the dashboard's and with its styles and
 * language switch, under a header of their own: the institution's name, its nav, the account, sign-out.
 */

export interface PortalContext extends PageContext {
  /** The signed-in account's institution, in the page's language ('' on pages without a session). */
  institution: string;
}

function hrefWith(path: string, fields: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '' && !(k === 'page' && Number(v) === 1)) q.set(k, String(v));
  const text = q.toString();
  return text ? `${path}?${text}` : path;
}

export function PortalLayout({ ctx, title, children }: { ctx: PortalContext; title: string; children: ReactNode }) {
  const { t } = ctx;
  const p = t.portal;
  const account = ctx.admin;
  const nav = account?.role === 'institution' && (
    <nav className="main" aria-label={p.title}>
      <ul>
        <li>
          <a href="/portal" aria-current={ctx.path === '/portal' ? 'page' : undefined}>
            {p.nav.leads}
          </a>
        </li>
      </ul>
    </nav>
  );
  return (
    <PageShell
      ctx={ctx}
      title={title}
      heading={ctx.institution ? fill(p.forInstitution, { institution: ctx.institution }) : t.title}
      signOutAction={account?.role === 'institution' ? '/portal/sign-out' : '/dashboard/sign-out'}
      nav={nav}
    >
      {children}
    </PageShell>
  );
}

/** 403: an institution account on an admin page, or an admin on the portal. */
export function ForbiddenPage({ ctx }: { ctx: PortalContext }) {
  const p = ctx.t.portal;
  const institutionUser = ctx.admin?.role === 'institution';
  return (
    <PortalLayout ctx={ctx} title={p.forbiddenTitle}>
      <h2>{p.forbiddenTitle}</h2>
      <p>{institutionUser ? fill(p.forbiddenDashboard, { institution: ctx.institution }) : p.forbiddenPortal}</p>
      <p>{institutionUser ? <a href="/portal">{p.goPortal}</a> : <a href="/dashboard">{p.goDashboard}</a>}</p>
    </PortalLayout>
  );
}

export function PortalNotFoundPage({ ctx }: { ctx: PortalContext }) {
  return (
    <PortalLayout ctx={ctx} title={ctx.t.errors.notFound}>
      <h2>{ctx.t.errors.notFound}</h2>
      <p>
        <a href="/portal">{ctx.t.portal.back}</a>
      </p>
    </PortalLayout>
  );
}

const personName = (r: { familyName: string; givenName: string; nameKo: string }, lang: Language): { main: string; other: string } => {
  const latin = [r.givenName, r.familyName].filter(Boolean).join(' ');
  if (lang === 'ko' && r.nameKo) return { main: r.nameKo, other: latin };
  return { main: latin || r.nameKo, other: latin ? r.nameKo : '' };
};

export function LeadsPage({ ctx, data, filter }: { ctx: PortalContext; data: LeadPage; filter: LeadFilter }) {
  const { t, lang } = ctx;
  const p = t.portal;
  const L = EXPORT_LABELS[lang];
  const fields = { stop: filter.stopId, program: filter.program, status: filter.status, q: filter.q };
  const at = (page: number) => hrefWith('/portal', { ...fields, page });
  const from = (data.page - 1) * data.pageSize + 1;
  const pager = (
    <Pager
      ctx={ctx}
      list={p.leadsTitle}
      from={from}
      to={Math.min(data.total, data.page * data.pageSize)}
      total={data.total}
      page={data.page}
      pages={data.pages}
      rowsText={p.rowsOf}
      links={{
        first: data.page > 1 ? at(1) : '',
        previous: data.page > 1 ? at(data.page - 1) : undefined,
        next: data.page < data.pages ? at(data.page + 1) : undefined,
        last: data.page < data.pages ? at(data.pages) : '',
      }}
    />
  );
  return (
    <PortalLayout ctx={ctx} title={p.leadsTitle}>
      <h2>{p.leadsTitle}</h2>
      <p className="lead">{fill(p.leadsHelp, { institution: ctx.institution })}</p>
      {data.all === 0 ? (
        <p>{p.noLeads}</p>
      ) : (
        <>
          <form className="filter" method="get" action="/portal" role="search" aria-label={p.filterLabel}>
            <label>
              {t.paging.stop}
              <select name="stop" defaultValue={filter.stopId ?? ''}>
                <option value="">{t.paging.everyStop}</option>
                {data.stops.map((s) => (
                  <option key={s.id} value={s.id}>
                    {`${s.label} (${s.date})`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {p.program}
              <select name="program" defaultValue={filter.program ?? ''}>
                <option value="">{p.everyProgram}</option>
                {data.programs.map((x) => (
                  <option key={x.key} value={x.key}>
                    {x.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {p.latest}
              <select name="status" defaultValue={filter.status ?? ''}>
                <option value="">{p.everyStatus}</option>
                <option value="none">{p.statusNone}</option>
                {OUTCOME_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {OUTCOME_LABELS[lang][s]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {p.search}
              <input type="search" name="q" defaultValue={filter.q ?? ''} maxLength={100} />
            </label>
            <button type="submit" className="secondary">
              {t.paging.filter}
            </button>
            <a href="/portal">{t.paging.showAll}</a>
          </form>
          {pager}
          {data.total === 0 ? (
            <p>{t.paging.noneMatch}</p>
          ) : (
            <div className="scroll">
              <table aria-label={p.leadsTitle}>
                <thead>
                  <tr>
                    <th scope="col">{p.name}</th>
                    <th scope="col">{p.affiliation}</th>
                    <th scope="col">{p.careerStage}</th>
                    <th scope="col">{p.stops}</th>
                    <th scope="col">{p.programs}</th>
                    <th scope="col">{p.latest}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((r) => {
                    const n = personName(r, lang);
                    return (
                      <tr key={r.personId}>
                        <th scope="row">
                          <a href={`/portal/leads/${encodeURIComponent(r.personId)}`}>{n.main}</a>
                          {n.other && (
                            <>
                              <br />
                              <span className="muted">{n.other}</span>
                            </>
                          )}
                        </th>
                        <td>{r.affiliation}</td>
                        <td>{L.careerStage[r.careerStage as CareerStage] ?? r.careerStage}</td>
                        <td>{r.stopLabels.join(', ')}</td>
                        <td>{r.programLabels.join(', ')}</td>
                        <td className="nowrap">{r.latest ? `${OUTCOME_LABELS[lang][r.latest.status]} · ${r.latest.occurredOn}` : <span className="muted">{p.noOutcome}</span>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {data.total > 0 && (
            <form className="filter" method="get" action="/portal/export" aria-label={p.export}>
              {Object.entries(fields).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
              <label>
                {p.exportLanguage}
                <select name="language" defaultValue={lang}>
                  <option value="ko">한국어</option>
                  <option value="en">English</option>
                </select>
              </label>
              <span className="actions">
                <button type="submit" name="format" value="xlsx">
                  {`${p.export}: ${p.exportXlsx}`}
                </button>
                <button type="submit" name="format" value="csv" className="secondary">
                  {p.exportCsv}
                </button>
              </span>
            </form>
          )}
        </>
      )}
    </PortalLayout>
  );
}

export interface LeadFormState {
  values: FormValues;
  errors: FieldErrors;
  /** A refused retraction: which outcome, and the message beside its reason. */
  retract?: { outcomeId: string; reason: string; error: string } | undefined;
}

function OutcomeRow({ ctx, o, names, lead, state }: { ctx: PortalContext; o: LeadOutcomeEntry; names: ReadonlyMap<string, string>; lead: LeadDetail; state: LeadFormState }) {
  const { t, lang } = ctx;
  const p = t.portal;
  const who = (id: string) => names.get(id) ?? id;
  const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  const refused = state.retract?.outcomeId === o.outcomeId ? state.retract : undefined;
  const reasonId = `retract-${o.outcomeId}-reason`;
  const struck = (node: ReactNode) => (o.retracted ? <s>{node}</s> : node);
  return (
    <tr className={o.retracted ? 'inactive' : undefined} data-outcome={o.outcomeId}>
      <td className="nowrap">{struck(o.occurredOn)}</td>
      <td>{struck(OUTCOME_LABELS[lang][o.status])}</td>
      <td>{struck(o.programId ? programLabel(`p:${o.programId}`, lead.programMap, lang) : '')}</td>
      <td>
        {struck(o.note)}
        {o.retracted && <div className="muted">{fill(p.retracted, { who: who(o.retracted.by), at: when(o.retracted.at), reason: o.retracted.reason })}</div>}
      </td>
      <td>{fill(p.recordedAt, { who: who(o.recordedBy), at: when(o.recordedAt) })}</td>
      <td>
        {!o.retracted && (
          <details open={refused ? true : undefined}>
            <summary>{p.retractSummary}</summary>
            <form method="post" action={`/portal/leads/${encodeURIComponent(lead.personId)}/outcomes/${encodeURIComponent(o.outcomeId)}/retract`} className="stack">
              <Csrf token={ctx.csrf} />
              <label className={refused?.error ? 'invalid' : undefined}>
                <span>{p.retractReason}</span>
                <input name="reason" required maxLength={500} defaultValue={refused?.reason ?? ''} aria-invalid={refused?.error ? true : undefined} aria-describedby={refused?.error ? `${reasonId}-error` : undefined} />
                {refused?.error && (
                  <small className="field-error" id={`${reasonId}-error`}>
                    {refused.error}
                  </small>
                )}
              </label>
              <button type="submit" className="danger">
                {p.retract}
              </button>
            </form>
          </details>
        )}
      </td>
    </tr>
  );
}

export function LeadPageView({ ctx, lead, names, state }: { ctx: PortalContext; lead: LeadDetail; names: ReadonlyMap<string, string>; state: LeadFormState }) {
  const { t, lang } = ctx;
  const p = t.portal;
  const L = EXPORT_LABELS[lang];
  const n = personName(lead.person, lang);
  const latin = [lead.person.givenName, lead.person.familyName].filter(Boolean).join(' ');
  const programOptions = lead.programs.map((x) => [x.id, lang === 'ko' && x.nameKo ? x.nameKo : x.name] as const);
  const statusOptions = OUTCOME_STATUSES.map((s) => [s, OUTCOME_LABELS[lang][s]] as const);
  return (
    <PortalLayout ctx={ctx} title={n.main}>
      <p className="crumbs">
        <a href="/portal">{p.back}</a>
      </p>
      <h2>{fill(p.leadTitle, { name: n.main })}</h2>
      <section aria-labelledby="person">
        <h3 id="person">{p.person}</h3>
        <table aria-label={p.person}>
          <tbody>
            <tr>
              <th scope="row">{p.nameKo}</th>
              <td>{lead.person.nameKo}</td>
            </tr>
            <tr>
              <th scope="row">{p.nameEn}</th>
              <td>{latin}</td>
            </tr>
            <tr>
              <th scope="row">{p.email}</th>
              <td>{lead.person.email && <a href={`mailto:${lead.person.email}`}>{lead.person.email}</a>}</td>
            </tr>
            <tr>
              <th scope="row">{p.affiliation}</th>
              <td>{lead.person.affiliation}</td>
            </tr>
            <tr>
              <th scope="row">{p.careerStage}</th>
              <td>{L.careerStage[lead.person.careerStage as CareerStage] ?? lead.person.careerStage}</td>
            </tr>
            <tr>
              <th scope="row">{p.fields}</th>
              <td>{lead.person.fields.map((f) => L.field[f as ResearchField] ?? f).join(', ')}</td>
            </tr>
          </tbody>
        </table>
      </section>
      <section aria-labelledby="consultations">
        <h3 id="consultations">{fill(p.consultations, { institution: ctx.institution })}</h3>
        <div className="scroll">
          <table aria-label={fill(p.consultations, { institution: ctx.institution })}>
            <thead>
              <tr>
                <th scope="col">{p.stop}</th>
                <th scope="col">{p.when}</th>
                <th scope="col">{p.who}</th>
                <th scope="col">{p.field}</th>
                <th scope="col">{p.programs}</th>
                <th scope="col">{p.followUp}</th>
                <th scope="col">{p.notes}</th>
              </tr>
            </thead>
            <tbody>
              {lead.consultations.map((c) => (
                <tr key={c.consultationId}>
                  <td>{c.stopLabel}</td>
                  <td className="nowrap">{c.at}</td>
                  <td>{c.content.staffName}</td>
                  <td>{[...c.content.fields.map((f) => L.field[f] ?? f), ...c.content.otherFields].join(', ')}</td>
                  <td>{c.programs.map((k) => programLabel(k, lead.programMap, lang)).join(', ')}</td>
                  <td>
                    {c.content.followUpStatus !== 'none' &&
                      fill(p.followUpText, {
                        action: c.content.followUpAction,
                        status: L.status[c.content.followUpStatus],
                        owner: c.content.followUpOwner ? fill(p.owner, { owner: c.content.followUpOwner }) : '',
                        due: c.content.followUpDue ? fill(p.due, { due: c.content.followUpDue }) : '',
                      })}
                  </td>
                  <td style={{ whiteSpace: 'pre-wrap' }}>{c.content.notes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="history">
        <h3 id="history">{p.history}</h3>
        {lead.history.length === 0 ? (
          <p>{p.noHistory}</p>
        ) : (
          <div className="scroll">
            <table aria-label={p.history}>
              <thead>
                <tr>
                  <th scope="col">{p.date}</th>
                  <th scope="col">{p.status}</th>
                  <th scope="col">{p.program}</th>
                  <th scope="col">{p.note}</th>
                  <th scope="col">{p.recordedBy}</th>
                  <th scope="col">
                    <span className="skip">{p.retract}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {lead.history.map((o) => (
                  <OutcomeRow key={o.outcomeId} ctx={ctx} o={o} names={names} lead={lead} state={state} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="record">
        <h3 id="record">{p.record}</h3>
        <p className="hint lead">{p.recordHelp}</p>
        <form id="record-form" className="fields" method="post" action={`/portal/leads/${encodeURIComponent(lead.personId)}/outcomes`} aria-labelledby="record">
          <Csrf token={ctx.csrf} />
          {state.errors._form && (
            <p className="field-error" role="alert">
              {state.errors._form}
            </p>
          )}
          <SelectField form="record" name="status" label={p.status} values={state.values} errors={state.errors} options={statusOptions} required />
          <TextField form="record" name="occurredOn" label={p.occurredOn} values={state.values} errors={state.errors} type="date" required />
          <SelectField form="record" name="programId" label={p.program} values={state.values} errors={state.errors} options={programOptions} empty={p.noProgram} />
          <TextField form="record" name="note" label={p.note} values={state.values} errors={state.errors} maxLength={2000} wide />
          <div className="submit">
            <button type="submit">{p.submit}</button>
          </div>
        </form>
      </section>
    </PortalLayout>
  );
}

export function SetupPage({ ctx, email, token, error }: { ctx: PortalContext; email: string | null; token: string; error?: string | undefined }) {
  const p = ctx.t.portal;
  return (
    <PortalLayout ctx={ctx} title={p.setupTitle}>
      <h2>{p.setupTitle}</h2>
      {email === null ? (
        <p role="alert">{p.setupInvalid}</p>
      ) : (
        <form className="stack" method="post" action={`/portal/setup/${encodeURIComponent(token)}`}>
          <Csrf token={ctx.csrf} />
          <p>{fill(p.setupHelp, { email })}</p>
          <input type="email" name="email" autoComplete="username" defaultValue={email} hidden readOnly />
          <label className={error ? 'invalid' : undefined}>
            <span>{p.setupPassword}</span>
            <input type="password" name="password" autoComplete="new-password" minLength={12} required aria-describedby={error ? 'setup-error' : undefined} />
          </label>
          <label className={error ? 'invalid' : undefined}>
            <span>{p.setupRepeat}</span>
            <input type="password" name="repeat" autoComplete="new-password" minLength={12} required />
            {error && (
              <small className="field-error" id="setup-error">
                {error}
              </small>
            )}
          </label>
          <button type="submit">{p.setupSubmit}</button>
        </form>
      )}
    </PortalLayout>
  );
}

