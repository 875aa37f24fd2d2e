import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { EXPORT_LABELS } from '../../../core/domain/followUpExport';
import type { StopFigures } from '../../../core/store/queries/tourQueries';
import type { Institution, Stop } from '../../../shared/schemas/masterData';
import { CAREER_STAGES, RESEARCH_FIELDS, type Language } from '../../../shared/vocab';
import type { Admin } from '../admin/adminStore';
import type { MatchRule } from '../../../core/domain/personMatch';
import type { DevicePage } from '../storage';
import type { ConflictFilter, ConflictPage, DeviceView, MatchFilter, OverviewData, Paged, ProposalView } from './dashboardData';
import { CONFLICT_KINDS, OVERVIEW_STOPS, stopLabel } from './dashboardData';
import { fill, type DashboardText } from './dashboardText';

/**
 * The dashboard's pages, rendered on the server with React (renderToStaticMarkup): escaped by
 * construction, plain HTML forms that work without script, and one small script for the charts
 * (Chart.js) and the bundle upload. Every chart has the same figures as a table beside it.
 */
export interface PageContext {
  t: DashboardText;
  lang: Language;
  admin: Admin | null;
  csrf: string;
  path: string;
  /** The request's query string (no '?'): the language switch keeps the page's filters and page number. */
  query?: string;
  flash?: { ok: boolean; text: string } | undefined;
}

/** The same page in the other language: its filters kept, a one-time notice (`done`, `error`) dropped. */
export function languageSwitchHref(query: string | undefined, lang: Language): string {
  const q = new URLSearchParams(query ?? '');
  for (const k of ['lang', 'done', 'error', 'device']) q.delete(k);
  q.set('lang', lang);
  return `?${q.toString()}`;
}

export function renderPage(node: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(node)}`;
}

const NAV = ['overview', 'outcomes', 'tours', 'conflicts', 'matches', 'devices', 'enrollment', 'bundles', 'exports', 'messages', 'accounts'] as const;
/**
 * The nav's groups, each after a divider: the tour and its figures; the data's upkeep; the laptops; what
 * goes out to institutions and attendees. One row under the title bar at 1366 px (en and ko).
 */
const NAV_GROUP_START: ReadonlySet<(typeof NAV)[number]> = new Set(['conflicts', 'devices', 'exports']);
const NAV_PATH: Record<(typeof NAV)[number], string> = {
  overview: '/dashboard',
  outcomes: '/dashboard/outcomes',
  tours: '/dashboard/tours',
  conflicts: '/dashboard/conflicts',
  matches: '/dashboard/matches',
  devices: '/dashboard/devices',
  enrollment: '/dashboard/enrollment',
  exports: '/dashboard/exports',
  bundles: '/dashboard/bundles',
  accounts: '/dashboard/accounts',
  messages: '/dashboard/messages',
};
/** A nav entry's name (entries of later issues name theirs in their own text section). */
const navLabel = (t: DashboardText, k: (typeof NAV)[number]): string => (k === 'accounts' ? t.portal.nav.accounts : k === 'outcomes' ? t.outcomes.nav : k === 'messages' ? t.mail.nav : t.nav[k]);

/** The nav entry a page belongs to: a tour's and a stop plan's pages sit under "Tour plan". */
function navCurrent(path: string): (typeof NAV)[number] | undefined {
  if (path.startsWith('/dashboard/tours') || /^\/dashboard\/stops\/[^/]+\/plan$/.test(path)) return 'tours';
  return NAV.find((k) => NAV_PATH[k] === path);
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** A list's address with its filter and another page (page 1 has no `page`). */
function hrefWith(path: string, fields: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '' && !(k === 'page' && Number(v) === 1)) q.set(k, String(v));
  const text = q.toString();
  return text ? `${path}?${text}` : path;
}

const num = (n: number, lang: Language) => n.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');

/**
 * Where a list is: "Rows 101–200 of 1,234 · page 2 of 13", and links to the first, previous, next and
 * last pages (keyset lists, such as the devices, give their own previous and next addresses).
 */
export function Pager({ ctx, list, from, to, total, page, pages, links, rowsText }: { ctx: PageContext; list: string; from: number; to: number; total: number; page?: number; pages?: number; rowsText?: string; links: { first?: string | undefined; previous?: string | undefined; next?: string | undefined; last?: string | undefined } }) {
  const { t, lang } = ctx;
  const p = t.paging;
  const link = (href: string | undefined, label: string, rel?: string) =>
    href ? (
      <a href={href} rel={rel}>
        {label}
      </a>
    ) : (
      <span className="muted" aria-disabled="true">
        {label}
      </span>
    );
  return (
    <nav className="pager" aria-label={fill(p.nav, { list })}>
      <span data-testid="pager-rows">
        {fill(rowsText ?? p.rows, { from: num(total === 0 ? 0 : from, lang), to: num(to, lang), total: num(total, lang) })}
        {page !== undefined && pages !== undefined && pages > 1 ? ` · ${fill(p.page, { page: num(page, lang), pages: num(pages, lang) })}` : ''}
      </span>
      {(links.previous || links.next) && (
        <span className="actions">
          {links.first !== undefined && link(links.first, p.first)}
          {link(links.previous, p.previous, 'prev')}
          {link(links.next, p.next, 'next')}
          {links.last !== undefined && link(links.last, p.last)}
        </span>
      )}
    </nav>
  );
}

/** The pager of a numbered list (`?page=N`, the filter kept in every link). */
function NumberedPager({ ctx, list, data, path, filter, rowsText }: { ctx: PageContext; list: string; data: Pick<Paged<unknown>, 'page' | 'pages' | 'total' | 'pageSize'>; path: string; filter: Record<string, string | undefined>; rowsText?: string }) {
  const at = (page: number) => hrefWith(path, { ...filter, page });
  const from = (data.page - 1) * data.pageSize + 1;
  return (
    <Pager
      ctx={ctx}
      list={list}
      from={from}
      to={Math.min(data.total, data.page * data.pageSize)}
      total={data.total}
      page={data.page}
      pages={data.pages}
      rowsText={rowsText}
      links={{
        first: data.page > 1 ? at(1) : '',
        previous: data.page > 1 ? at(data.page - 1) : undefined,
        next: data.page < data.pages ? at(data.page + 1) : undefined,
        last: data.page < data.pages ? at(data.pages) : '',
      }}
    />
  );
}

/** A list's filter: a GET form (works without script), its fields, Filter, and Show all. */
function FilterForm({ ctx, path, label, children }: { ctx: PageContext; path: string; label: string; children: ReactNode }) {
  return (
    <form className="filter" method="get" action={path} role="search" aria-label={label}>
      {children}
      <button type="submit" className="secondary">
        {ctx.t.paging.filter}
      </button>
      <a href={path}>{ctx.t.paging.showAll}</a>
    </form>
  );
}

/** A hidden field that brings an action back to the page and filter it was taken on (`back=?stop=…&page=2`). */
function BackTo({ fields }: { fields: Record<string, string | number | undefined> }) {
  const href = hrefWith('', fields);
  return href ? <input type="hidden" name="back" value={href} /> : null;
}

/**
 * The page every HQ screen shares (dashboard, institution portal): head, skip link, title bar with the language
 * switch and the account's sign-out, an optional nav row, the flash, the content, the page script.
 */
export function PageShell({ ctx, title, heading, signOutAction, nav, children, charts }: { ctx: PageContext; title: string; heading: string; signOutAction: string; nav?: ReactNode; children: ReactNode; charts?: unknown[] }) {
  const { t, lang } = ctx;
  const other: Language = lang === 'ko' ? 'en' : 'ko';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${heading}`}</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
        <link rel="icon" type="image/svg+xml" href="/dashboard/assets/favicon.svg" />
      </head>
      <body>
        <a className="skip" href="#main">
          {t.skip}
        </a>
        <header className="top">
          <div className="bar">
            <h1>{heading}</h1>
            <div className="who">
              <a href={languageSwitchHref(ctx.query, other)} lang={other} hrefLang={other}>
                {other === 'ko' ? '한국어' : 'English'}
              </a>
              {ctx.admin && (
                <>
                  <span>{fill(t.signIn.signedInAs, { name: ctx.admin.name })}</span>
                  <form method="post" action={signOutAction}>
                    <Csrf token={ctx.csrf} />
                    <button type="submit" className="secondary">
                      {t.signIn.signOut}
                    </button>
                  </form>
                </>
              )}
            </div>
          </div>
          {nav}
        </header>
        <main id="main">
          {ctx.flash && (
            <div className={`flash ${ctx.flash.ok ? 'ok' : 'err'}`} role={ctx.flash.ok ? 'status' : 'alert'}>
              {ctx.flash.text}
            </div>
          )}
          {children}
        </main>
        {charts && charts.length > 0 && (
          <>
            <script type="application/json" id="chart-data" dangerouslySetInnerHTML={{ __html: JSON.stringify(charts).replace(/</g, '\\u003c') }} />
            <script src="/dashboard/assets/chart.umd.min.js" />
          </>
        )}
        <script src="/dashboard/assets/dashboard.js" />
      </body>
    </html>
  );
}

export function Layout({ ctx, title, children, charts }: { ctx: PageContext; title: string; children: ReactNode; charts?: unknown[] }) {
  const { t } = ctx;
  const nav = ctx.admin && (
    <nav className="main" aria-label={t.title}>
      <ul>
        {NAV.map((k) => (
          <li key={k} className={NAV_GROUP_START.has(k) ? 'group' : undefined}>
            <a href={NAV_PATH[k]} aria-current={navCurrent(ctx.path) === k ? 'page' : undefined}>
              {navLabel(t, k)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
  return (
    <PageShell ctx={ctx} title={title} heading={t.title} signOutAction="/dashboard/sign-out" nav={nav} {...(charts ? { charts } : {})}>
      {children}
    </PageShell>
  );
}

export function SignInPage({ ctx, email }: { ctx: PageContext; email: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t.signIn.title}>
      <h2>{t.signIn.title}</h2>
      <form className="stack" method="post" action="/dashboard/sign-in">
        <Csrf token={ctx.csrf} />
        <label>
          {t.signIn.email}
          <input type="email" name="email" autoComplete="username" required defaultValue={email} />
        </label>
        <label>
          {t.signIn.password}
          <input type="password" name="password" autoComplete="current-password" required />
        </label>
        <button type="submit">{t.signIn.submit}</button>
      </form>
    </Layout>
  );
}

interface ChartSpec {
  id: string;
  labels: string[];
  datasets: { label: string; data: number[] }[];
  stacked?: boolean;
}

function ChartFigure({ id, caption, children }: { id: string; caption: string; children: ReactNode }) {
  return (
    <figure>
      <figcaption id={`${id}-caption`}>{caption}</figcaption>
      <div style={{ height: 300 }}>
        <canvas id={id} role="img" aria-labelledby={`${id}-caption`} />
      </div>
      <details>
        <summary>{caption}</summary>
        {children}
      </details>
    </figure>
  );
}

function BreakdownTable({ caption, keys, label, stops, figures, lang, pick }: { caption: string; keys: readonly string[]; label: (k: string) => string; stops: Stop[]; figures: StopFigures[]; lang: Language; pick: (f: StopFigures) => Record<string, number> }) {
  return (
    <div className="scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{caption}</th>
            {stops.map((s) => (
              <th scope="col" key={s.id}>
                {stopLabel(s, lang)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k}>
              <th scope="row">{label(k)}</th>
              {figures.map((f) => (
                <td className="num" key={f.stopId}>
                  {pick(f)[k] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OverviewPage({ ctx, data }: { ctx: PageContext; data: OverviewData }) {
  const { t, lang } = ctx;
  const o = t.overview;
  const labels = EXPORT_LABELS[lang];
  // Stops with any activity, side by side, a page of them at a time (the whole tour's plan has stops still to come).
  const stops = data.stops;
  const figures = data.figures;
  const names = stops.map((s) => stopLabel(s, lang));
  const metrics = [
    ['registered', o.registered],
    ['checkedIn', o.checkedIn],
    ['walkIns', o.walkIns],
    ['noShows', o.noShows],
    ['consultations', o.consultations],
    ['followUpsOwed', o.followUpsOwed],
  ] as const;
  const institutions = [...new Map(figures.flatMap((f) => f.perInstitution.map((p) => [p.institutionId, p.shortName] as const))).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const charts: ChartSpec[] = [
    { id: 'chart-attendance', labels: names, datasets: (['registered', 'checkedIn', 'walkIns', 'noShows'] as const).map((k) => ({ label: o[k], data: figures.map((f) => f[k]) })) },
    { id: 'chart-stage', labels: names, stacked: true, datasets: CAREER_STAGES.map((k) => ({ label: labels.careerStage[k], data: figures.map((f) => f.byCareerStage[k] ?? 0) })) },
    { id: 'chart-field', labels: names, stacked: true, datasets: RESEARCH_FIELDS.map((k) => ({ label: labels.field[k], data: figures.map((f) => f.byField[k] ?? 0) })) },
  ];
  return (
    <Layout ctx={ctx} title={o.title} charts={stops.length > 0 ? charts : []}>
      <h2>{o.title}</h2>
      <p>{fill(o.tour, { people: data.tour.people, checkedIn: data.tour.checkedIn, multi: data.tour.multiStop, merged: data.tour.mergedRecords })}</p>
      {data.stopCount === 0 ? (
        <p>
          {o.noData} <a href="/dashboard/tours">{o.planTour}</a>
        </p>
      ) : data.activeTotal === 0 ? (
        <p>{o.noActivity}</p>
      ) : (
        <>
          {data.pages > 1 && <NumberedPager ctx={ctx} list={o.title} data={{ page: data.page, pages: data.pages, total: data.activeTotal, pageSize: OVERVIEW_STOPS }} path="/dashboard" filter={{}} rowsText={t.paging.stops} />}
          <div className="scroll">
            <table aria-label={o.title}>
              <thead>
                <tr>
                  <th scope="col">{o.metric}</th>
                  {stops.map((s) => (
                    <th scope="col" key={s.id}>
                      {stopLabel(s, lang)}
                      <br />
                      <span className="muted">{s.date}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {metrics.map(([k, label]) => (
                  <tr key={k}>
                    <th scope="row">{label}</th>
                    {figures.map((f) => (
                      <td className="num" key={f.stopId}>
                        {f[k]}
                      </td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row">{o.report}</th>
                  {stops.map((s) => (
                    <td key={s.id}>
                      <a href={`/dashboard/stops/${encodeURIComponent(s.id)}/report`}>{fill(t.report.title, { stop: stopLabel(s, lang) })}</a>
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
          <div className="charts">
            <ChartFigure id="chart-attendance" caption={o.attendanceChart}>
              <BreakdownTable caption={o.attendanceChart} keys={['registered', 'checkedIn', 'walkIns', 'noShows']} label={(k) => o[k as 'registered']} stops={stops} figures={figures} lang={lang} pick={(f) => f as unknown as Record<string, number>} />
            </ChartFigure>
            <ChartFigure id="chart-stage" caption={o.stageChart}>
              <BreakdownTable caption={o.byStage} keys={CAREER_STAGES} label={(k) => labels.careerStage[k as 'student']} stops={stops} figures={figures} lang={lang} pick={(f) => f.byCareerStage} />
            </ChartFigure>
            <ChartFigure id="chart-field" caption={o.fieldChart}>
              <BreakdownTable caption={o.byField} keys={RESEARCH_FIELDS} label={(k) => labels.field[k as 'ai']} stops={stops} figures={figures} lang={lang} pick={(f) => f.byField} />
            </ChartFigure>
          </div>
          <div className="scroll">
            <table>
              <caption>{o.perInstitution}</caption>
              <thead>
                <tr>
                  <th scope="col">{o.institution}</th>
                  {stops.map((s) => (
                    <th scope="col" key={s.id}>
                      {stopLabel(s, lang)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {institutions.map(([id, name]) => (
                  <tr key={id}>
                    <th scope="row">{name}</th>
                    {figures.map((f) => {
                      const p = f.perInstitution.find((x) => x.institutionId === id);
                      return (
                        <td className="num" key={f.stopId}>
                          {p ? `${p.consultations} (${p.people}) / ${p.followUpsOwed}` : '–'}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}

const when = (iso: string, lang: Language, timeZone = 'UTC') =>
  new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));

/** The Devices page's filter and keyset position (`?status=…&after=…` or `&before=…`). */
export interface DeviceFilter {
  status?: 'active' | 'revoked' | undefined;
  after?: string | undefined;
  before?: string | undefined;
}

export function DevicesPage({ ctx, devices, page, filter }: { ctx: PageContext; devices: DeviceView[]; page: DevicePage; filter: DeviceFilter }) {
  const { t, lang } = ctx;
  const d = t.devices;
  const p = t.paging;
  const path = '/dashboard/devices';
  const first = page.devices[0]?.deviceId;
  const last = page.devices[page.devices.length - 1]?.deviceId;
  return (
    <Layout ctx={ctx} title={d.title}>
      <h2>{d.title}</h2>
      <FilterForm ctx={ctx} path={path} label={fill(p.nav, { list: d.title })}>
        <label>
          {p.status}
          <select name="status" defaultValue={filter.status ?? ''}>
            <option value="">{p.everyDevice}</option>
            <option value="active">{p.activeOnly}</option>
            <option value="revoked">{p.revokedOnly}</option>
          </select>
        </label>
      </FilterForm>
      <Pager
        ctx={ctx}
        list={d.title}
        from={page.offset + 1}
        to={page.offset + page.devices.length}
        total={page.total}
        links={{
          previous: page.hasBefore && first ? hrefWith(path, { status: filter.status, before: first }) : undefined,
          next: page.hasAfter && last ? hrefWith(path, { status: filter.status, after: last }) : undefined,
        }}
      />
      <table aria-label={d.title}>
        <thead>
          <tr>
            {[d.device, d.label, d.role, d.stop, d.lastSync, d.digest, d.status, ''].map((h, i) => (
              <th scope="col" key={i}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {devices.map((v) => (
            <tr key={v.deviceId}>
              <td>
                <code>{v.deviceId}</code>
              </td>
              <td>{v.label}</td>
              <td>{v.role === 'hub' ? d.roleHub : d.roleDesk}</td>
              <td>{v.stop ?? '–'}</td>
              <td>{v.lastSync ? `${when(v.lastSync, lang)} UTC` : d.never}</td>
              <td>{v.digest ? fill(d.digestValue, { count: v.digest.count, maxSeq: v.digest.maxSeq, hash: v.digest.hash.slice(0, 12) }) : '–'}</td>
              <td>{v.revokedAt ? fill(d.revoked, { at: `${when(v.revokedAt, lang)} UTC` }) : d.active}</td>
              <td>
                {!v.revokedAt && (
                  <form method="post" action="/dashboard/devices/revoke">
                    <Csrf token={ctx.csrf} />
                    <input type="hidden" name="deviceId" value={v.deviceId} />
                    <button type="submit" className="danger" aria-label={fill(d.revoke, { device: v.label || v.deviceId })}>
                      {fill(d.revoke, { device: '' }).trim() || d.revoke}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** A venue hub's self-signed certificate, for desks to pin (issue #9): address, fingerprint, QR code (PNG data URL). */
export interface HubPin {
  address: string;
  fingerprint: string;
  qrDataUrl: string;
}

export function EnrollmentPage({ ctx, made, pin }: { ctx: PageContext; made?: { code: string; label: string; expiresAt: string; hub?: boolean } | undefined; pin?: HubPin | undefined }) {
  const { t, lang } = ctx;
  const e = t.enrollment;
  return (
    <Layout ctx={ctx} title={e.title}>
      <h2>{e.title}</h2>
      <p>{e.help}</p>
      {pin && (
        <section aria-label={e.pinTitle}>
          <h3>{e.pinTitle}</h3>
          <p>{e.pinHelp}</p>
          <dl>
            <dt>{e.pinAddress}</dt>
            <dd className="code">{pin.address}</dd>
            <dt>{e.pinFingerprint}</dt>
            <dd className="code" data-testid="hub-fingerprint" style={{ wordBreak: 'break-all' }}>
              {pin.fingerprint}
            </dd>
          </dl>
          <img src={pin.qrDataUrl} alt={e.pinQr} width={200} height={200} />
        </section>
      )}
      {made && (
        <section aria-label={fill(e.made, { label: made.label })}>
          <p>{fill(e.made, { label: made.label || '—' })}</p>
          <p className="code" data-testid="enrollment-code">
            {made.code}
          </p>
          <p>{fill(e.until, { at: `${when(made.expiresAt, lang)} UTC` })}</p>
          {made.hub && <p className="code">{e.madeHub}</p>}
        </section>
      )}
      <form className="stack" method="post" action="/dashboard/enrollment">
        <Csrf token={ctx.csrf} />
        <label>
          {e.label}
          <input name="label" maxLength={100} />
        </label>
        <label>
          {e.device}
          <input name="deviceId" maxLength={64} pattern="[A-Za-z0-9_.:\-]*" />
        </label>
        <label>
          {e.hours}
          <input name="hours" type="number" min={1} max={720} defaultValue={72} required />
        </label>
        <label>
          <input name="hub" type="checkbox" value="1" /> {e.hub}
        </label>
        <button type="submit">{e.submit}</button>
      </form>
    </Layout>
  );
}

export function ConflictsPage({ ctx, data, filter }: { ctx: PageContext; data: ConflictPage; filter: ConflictFilter }) {
  const { t, lang } = ctx;
  const c = t.conflicts;
  const p = t.paging;
  const items = data.items;
  const path = '/dashboard/conflicts';
  const kept = { stop: filter.stopId, kind: filter.kind };
  const kindLabel = (k: (typeof CONFLICT_KINDS)[number]) => (k === 'double_check_in' ? c.doubleCheckIn : k === 'booking' ? p.bookings : c.consultation);
  const filtered = filter.stopId !== undefined || filter.kind !== undefined;
  const form = (action: Record<string, string>, label: string, cls = 'secondary') => (
    <form method="post" action="/dashboard/conflicts/resolve">
      <Csrf token={ctx.csrf} />
      <BackTo fields={{ ...kept, page: data.page }} />
      {Object.entries(action).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <button type="submit" className={cls}>
        {label}
      </button>
    </form>
  );
  return (
    <Layout ctx={ctx} title={c.title}>
      <h2>{c.title}</h2>
      {(data.stops.length > 0 || filtered) && (
        <FilterForm ctx={ctx} path={path} label={fill(p.nav, { list: c.title })}>
          <label>
            {p.stop}
            <select name="stop" defaultValue={filter.stopId ?? ''}>
              <option value="">{p.everyStop}</option>
              {data.stops.map(({ stop, count }) => (
                <option value={stop.id} key={stop.id}>
                  {`${stopLabel(stop, lang)} (${num(count, lang)})`}
                </option>
              ))}
            </select>
          </label>
          <label>
            {p.kind}
            <select name="kind" defaultValue={filter.kind ?? ''}>
              <option value="">{p.everyKind}</option>
              {CONFLICT_KINDS.map((k) => (
                <option value={k} key={k}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </label>
        </FilterForm>
      )}
      {items.length === 0 ? (
        <p>{filtered ? p.noneMatch : c.none}</p>
      ) : (
        <>
        <NumberedPager ctx={ctx} list={c.title} data={data} path={path} filter={kept} />
        <table aria-label={c.title}>
          <thead>
            <tr>
              <th scope="col">{c.stop}</th>
              <th scope="col">{c.kind}</th>
              <th scope="col">{c.what}</th>
              <th scope="col">{c.action}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((it, i) => (
              <tr key={i}>
                <td>{stopLabel(it.stop, lang)}</td>
                {it.kind === 'double_check_in' && (
                  <>
                    <td>{c.doubleCheckIn}</td>
                    <td>{fill(c.doubleCheckInWhat, { name: it.name, first: when(it.first.at, lang, it.stop.timeZone), firstDesk: it.first.desk, second: when(it.second.at, lang, it.stop.timeZone), secondDesk: it.second.desk })}</td>
                    <td>{form({ kind: 'double_check_in', checkInEventId: it.second.eventId }, fill(c.voidDuplicate, { name: it.name }))}</td>
                  </>
                )}
                {it.kind === 'booking' && (
                  <>
                    <td>{c[it.conflict]}</td>
                    <td>{fill(c.bookingWhat, { name: it.name, booth: it.booth, slot: when(it.slotStart, lang, it.stop.timeZone) })}</td>
                    <td>
                      <div className="actions">
                        {form({ kind: 'booking', bookingId: it.bookingId, action: 'keep' }, fill(c.keep, { name: it.name }))}
                        {form({ kind: 'booking', bookingId: it.bookingId, action: 'cancel' }, fill(c.cancel, { name: it.name }), 'danger')}
                      </div>
                    </td>
                  </>
                )}
                {it.kind === 'consultation' && (
                  <>
                    <td>{c.consultation}</td>
                    <td>{fill(c.consultationWhat, { institution: it.institution, heads: it.heads, visitor: it.visitor })}</td>
                    <td>{form({ kind: 'consultation', consultationId: it.consultationId }, fill(c.keepCurrent, { visitor: it.visitor }))}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        </>
      )}
    </Layout>
  );
}

function RecordCell({ r }: { r: ProposalView['from'] }) {
  return (
    <td>
      <strong>{r.name}</strong>
      <br />
      {r.email && <span>{r.email} · </span>}
      {r.affiliation}
      <br />
      <span className="muted">{r.stops.join(', ')}</span>
    </td>
  );
}

const MATCH_RULES: readonly MatchRule[] = ['email', 'latin_name_affiliation', 'hangul_name_affiliation'];

export function MatchesPage({ ctx, data, filter }: { ctx: PageContext; data: Paged<ProposalView>; filter: MatchFilter }) {
  const { t } = ctx;
  const m = t.matches;
  const p = t.paging;
  const proposals = data.items;
  const path = '/dashboard/matches';
  const kept = { q: filter.q, rule: filter.rule };
  const filtered = filter.q !== undefined || filter.rule !== undefined;
  return (
    <Layout ctx={ctx} title={m.title}>
      <h2>{m.title}</h2>
      <p>{m.help}</p>
      <FilterForm ctx={ctx} path={path} label={fill(p.nav, { list: m.title })}>
        <label>
          {p.search}
          <input type="search" name="q" maxLength={100} defaultValue={filter.q ?? ''} />
        </label>
        <label>
          {p.rule}
          <select name="rule" defaultValue={filter.rule ?? ''}>
            <option value="">{p.everyRule}</option>
            {MATCH_RULES.map((r) => (
              <option value={r} key={r}>
                {m.rule[r]}
              </option>
            ))}
          </select>
        </label>
      </FilterForm>
      {proposals.length === 0 ? (
        <p>{filtered ? p.noneMatch : m.none}</p>
      ) : (
        <>
        <NumberedPager ctx={ctx} list={m.title} data={data} path={path} filter={kept} />
        <table aria-label={m.title}>
          <thead>
            <tr>
              <th scope="col">{m.record}</th>
              <th scope="col">{m.into}</th>
              <th scope="col">{m.rules}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {proposals.map((pr) => (
              <tr key={`${pr.from.id}-${pr.into.id}`}>
                <RecordCell r={pr.from} />
                <RecordCell r={pr.into} />
                <td>{pr.rules.map((r) => m.rule[r]).join(', ')}</td>
                <td>
                  <div className="actions">
                  <form method="post" action="/dashboard/matches/confirm">
                    <Csrf token={ctx.csrf} />
                    <BackTo fields={{ ...kept, page: data.page }} />
                    <input type="hidden" name="fromId" value={pr.from.id} />
                    <input type="hidden" name="intoId" value={pr.into.id} />
                    <input type="hidden" name="rules" value={pr.rules.join(',')} />
                    <button type="submit">{fill(m.confirm, { from: `${pr.from.name} (${pr.from.stops.join(', ')})`, into: `${pr.into.name} (${pr.into.stops.join(', ')})` })}</button>
                  </form>
                  <form method="post" action="/dashboard/matches/dismiss">
                    <Csrf token={ctx.csrf} />
                    <BackTo fields={{ ...kept, page: data.page }} />
                    <input type="hidden" name="fromId" value={pr.from.id} />
                    <input type="hidden" name="intoId" value={pr.into.id} />
                    <button type="submit" className="secondary">
                      {fill(m.dismiss, { from: pr.from.name, into: pr.into.name })}
                    </button>
                  </form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </>
      )}
    </Layout>
  );
}

export function ExportsPage({ ctx, institutions }: { ctx: PageContext; institutions: Institution[] }) {
  const { t, lang } = ctx;
  const x = t.exports;
  return (
    <Layout ctx={ctx} title={x.title}>
      <h2>{x.title}</h2>
      <p>{x.help}</p>
      <form className="stack" method="post" action="/dashboard/exports">
        <Csrf token={ctx.csrf} />
        <label>
          {x.institution}
          <select name="institutionId" required>
            {institutions.map((i) => (
              <option value={i.id} key={i.id}>
                {i.shortName} · {lang === 'ko' && i.nameKo ? i.nameKo : i.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {x.format}
          <select name="format" defaultValue="csv">
            <option value="csv">CSV</option>
            <option value="xlsx">Excel (.xlsx)</option>
          </select>
        </label>
        <label>
          {x.language}
          <select name="language" defaultValue={lang}>
            <option value="ko">한국어</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="submit">{x.submit}</button>
      </form>
    </Layout>
  );
}

export function BundlesPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const b = t.bundles;
  return (
    <Layout ctx={ctx} title={b.title}>
      <h2>{b.title}</h2>
      <p>{b.help}</p>
      <form className="stack" id="bundle-form" method="post" action="/dashboard/bundles">
        <Csrf token={ctx.csrf} />
        <label>
          {b.file}
          <input type="file" name="bundle" accept=".rsbundle,application/gzip" required />
        </label>
        <label className="inline">
          <input type="checkbox" name="trust" value="1" />
          {b.trust}
        </label>
        <button type="submit">{b.submit}</button>
        <noscript>{b.needsScript}</noscript>
      </form>
      <div id="bundle-result" role="status" aria-live="polite" />
    </Layout>
  );
}

export function NotFoundPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title={ctx.t.errors.notFound}>
      <p>{ctx.t.errors.notFound}</p>
    </Layout>
  );
}
