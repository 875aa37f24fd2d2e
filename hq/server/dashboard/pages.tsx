import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { EXPORT_LABELS } from '../../../core/domain/followUpExport';
import type { StopFigures } from '../../../core/store/queries/tourQueries';
import type { Institution, Stop } from '../../../shared/schemas/masterData';
import { CAREER_STAGES, RESEARCH_FIELDS, type Language } from '../../../shared/vocab';
import type { Admin } from '../admin/adminStore';
import type { ConflictItem, DeviceView, OverviewData, ProposalView } from './dashboardData';
import { stopLabel } from './dashboardData';
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
  flash?: { ok: boolean; text: string } | undefined;
}

export function renderPage(node: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(node)}`;
}

const NAV = ['overview', 'tours', 'conflicts', 'matches', 'devices', 'enrollment', 'exports', 'bundles'] as const;
const NAV_PATH: Record<(typeof NAV)[number], string> = {
  overview: '/dashboard',
  tours: '/dashboard/tours',
  conflicts: '/dashboard/conflicts',
  matches: '/dashboard/matches',
  devices: '/dashboard/devices',
  enrollment: '/dashboard/enrollment',
  exports: '/dashboard/exports',
  bundles: '/dashboard/bundles',
};

/** The nav entry a page belongs to: a tour's and a stop plan's pages sit under "Tour plan". */
function navCurrent(path: string): (typeof NAV)[number] | undefined {
  if (path.startsWith('/dashboard/tours') || /^\/dashboard\/stops\/[^/]+\/plan$/.test(path)) return 'tours';
  return NAV.find((k) => NAV_PATH[k] === path);
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Layout({ ctx, title, children, charts }: { ctx: PageContext; title: string; children: ReactNode; charts?: unknown[] }) {
  const { t, lang } = ctx;
  const other: Language = lang === 'ko' ? 'en' : 'ko';
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t.title}`}</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
        <link rel="icon" type="image/svg+xml" href="/dashboard/assets/favicon.svg" />
      </head>
      <body>
        <a className="skip" href="#main">
          {t.skip}
        </a>
        <header className="top">
          <h1>{t.title}</h1>
          {ctx.admin && (
            <nav className="main" aria-label={t.title}>
              <ul>
                {NAV.map((k) => (
                  <li key={k}>
                    <a href={NAV_PATH[k]} aria-current={navCurrent(ctx.path) === k ? 'page' : undefined}>
                      {t.nav[k]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div className="who">
            <a href={`?lang=${other}`} lang={other} hrefLang={other}>
              {other === 'ko' ? '한국어' : 'English'}
            </a>
            {ctx.admin && (
              <>
                <span>{fill(t.signIn.signedInAs, { name: ctx.admin.name })}</span>
                <form method="post" action="/dashboard/sign-out">
                  <Csrf token={ctx.csrf} />
                  <button type="submit" className="secondary">
                    {t.signIn.signOut}
                  </button>
                </form>
              </>
            )}
          </div>
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
  // Stops with any activity, side by side (the whole tour's plan has stops still to come).
  const active = data.stops.map((s, i) => ({ s, f: data.figures[i]! })).filter((x) => x.f.registered > 0 || x.f.consultations > 0);
  const stops = active.map((x) => x.s);
  const figures = active.map((x) => x.f);
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
      {data.stops.length === 0 ? (
        <p>
          {o.noData} <a href="/dashboard/tours">{o.planTour}</a>
        </p>
      ) : stops.length === 0 ? (
        <p>{o.noActivity}</p>
      ) : (
        <>
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

export function DevicesPage({ ctx, devices }: { ctx: PageContext; devices: DeviceView[] }) {
  const { t, lang } = ctx;
  const d = t.devices;
  return (
    <Layout ctx={ctx} title={d.title}>
      <h2>{d.title}</h2>
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

export function ConflictsPage({ ctx, items }: { ctx: PageContext; items: ConflictItem[] }) {
  const { t, lang } = ctx;
  const c = t.conflicts;
  const form = (action: Record<string, string>, label: string, cls = 'secondary') => (
    <form method="post" action="/dashboard/conflicts/resolve">
      <Csrf token={ctx.csrf} />
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
      {items.length === 0 ? (
        <p>{c.none}</p>
      ) : (
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

export function MatchesPage({ ctx, proposals }: { ctx: PageContext; proposals: ProposalView[] }) {
  const { t } = ctx;
  const m = t.matches;
  return (
    <Layout ctx={ctx} title={m.title}>
      <h2>{m.title}</h2>
      <p>{m.help}</p>
      {proposals.length === 0 ? (
        <p>{m.none}</p>
      ) : (
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
            {proposals.map((p) => (
              <tr key={`${p.from.id}-${p.into.id}`}>
                <RecordCell r={p.from} />
                <RecordCell r={p.into} />
                <td>{p.rules.map((r) => m.rule[r]).join(', ')}</td>
                <td>
                  <div className="actions">
                  <form method="post" action="/dashboard/matches/confirm">
                    <Csrf token={ctx.csrf} />
                    <input type="hidden" name="fromId" value={p.from.id} />
                    <input type="hidden" name="intoId" value={p.into.id} />
                    <input type="hidden" name="rules" value={p.rules.join(',')} />
                    <button type="submit">{fill(m.confirm, { from: `${p.from.name} (${p.from.stops.join(', ')})`, into: `${p.into.name} (${p.into.stops.join(', ')})` })}</button>
                  </form>
                  <form method="post" action="/dashboard/matches/dismiss">
                    <Csrf token={ctx.csrf} />
                    <input type="hidden" name="fromId" value={p.from.id} />
                    <input type="hidden" name="intoId" value={p.into.id} />
                    <button type="submit" className="secondary">
                      {fill(m.dismiss, { from: p.from.name, into: p.into.name })}
                    </button>
                  </form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
