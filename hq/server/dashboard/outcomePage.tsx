import { CAREER_STAGES, PROGRAMS, type Language } from '../../../shared/vocab';
import { stopLabel } from './dashboardData';
import { fill } from './dashboardText';
import { LEGACY_PREFIX, type OutcomeFigures } from './outcomeData';
import { FUNNEL_STAGES, OUTCOME_SECTIONS, outcomeLines, outcomeNamer, percent, type OutcomeLine, type OutcomeSection } from './outcomeView';
import { Layout, type PageContext } from './pages';

/** A chart for dashboard.js (Chart.js): grouped bars; `horizontal` for long lists, `percent` for shares (0–100). */
interface ChartSpec {
  id: string;
  labels: string[];
  datasets: { label: string; data: number[] }[];
  horizontal?: boolean;
  percent?: boolean;
  /** The first dataset's colour in the palette (a stage keeps its colour in every chart). */
  paletteStart?: number;
  /** Height of the drawing (px) when not worked out from the rows. */
  height?: number;
}

export const OUTCOMES_PATH = '/dashboard/outcomes';

/** The page's address with the filter (and more fields, e.g. the export's format). */
export function outcomeHref(path: string, fig: Pick<OutcomeFigures, 'filter'>, extra: Record<string, string> = {}): string {
  const f = fig.filter;
  const q = new URLSearchParams();
  q.set('tour', f.tourId ?? 'all');
  if (f.stopId) q.set('stop', f.stopId);
  if (f.institutionId) q.set('institution', f.institutionId);
  if (f.programKey) q.set('program', f.programKey);
  if (f.stage) q.set('stage', f.stage);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `${path}?${q.toString()}`;
}

const num = (n: number, lang: Language) => n.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US');
/** Long lists are drawn as horizontal bars, each row as tall as its six bars need. */
const HORIZONTAL_FROM = 9;
const chartHeight = (rows: number, horizontal: boolean) => (horizontal ? Math.max(260, rows * 64 + 90) : 320);

function Chart({ spec, caption }: { spec: ChartSpec; caption: string }) {
  return (
    <figure className="outcome-chart">
      <figcaption id={`${spec.id}-caption`}>{caption}</figcaption>
      <div style={{ height: spec.height ?? chartHeight(spec.labels.length, Boolean(spec.horizontal)), position: 'relative' }}>
        <canvas id={spec.id} role="img" aria-labelledby={`${spec.id}-caption`} />
      </div>
    </figure>
  );
}

/** The figures of a breakdown: people per stage, each with its share of the stage before. */
function FunnelTable({ ctx, caption, nameHeader, lines, places }: { ctx: PageContext; caption: string; nameHeader: string; lines: OutcomeLine[]; places?: boolean }) {
  const { lang } = ctx;
  const t = ctx.t.outcomes;
  return (
    <div className="scroll">
      <table className="outcomes">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            {FUNNEL_STAGES.map((s) => (
              <th scope="col" className="num" key={s}>
                {t.stages[s]}
              </th>
            ))}
            <th scope="col" className="num">
              {t.hiredOfRegistered}
            </th>
            {places && (
              <>
                <th scope="col" className="num">
                  {t.places}
                </th>
                <th scope="col" className="num">
                  {t.placesFilled}
                </th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.key || 'total'}>
              <th scope="row">
                {l.name}
                {l.detail && l.section !== 'total' && <span className="tag">{l.detail}</span>}
              </th>
              {l.funnel.map((n, k) => (
                <td className="num" key={k}>
                  {num(n, lang)}
                  {k > 0 && (
                    <span className="rate" title={t.ofPrevious}>
                      {percent(l.rates[k]!, lang)}
                    </span>
                  )}
                </td>
              ))}
              <td className="num">{percent(l.overall, lang)}</td>
              {places && (
                <>
                  <td className="num">{l.places === null ? '–' : num(l.places, lang)}</td>
                  <td className="num">{l.places ? percent(l.funnel[5]! / l.places, lang) : '–'}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FilterForm({ ctx, fig }: { ctx: PageContext; fig: OutcomeFigures }) {
  const t = ctx.t.outcomes;
  const { lang } = ctx;
  const f = fig.filter;
  const n = outcomeNamer(fig, lang);
  const stops = fig.stops.filter((s) => f.tourId === null || s.tourId === f.tourId);
  return (
    <form className="filter" method="get" action={OUTCOMES_PATH} role="search" aria-label={t.filterLabel}>
      <label>
        {t.tour}
        <select name="tour" defaultValue={f.tourId ?? 'all'}>
          <option value="all">{t.everyTour}</option>
          {fig.tours.map((x) => (
            <option key={x.id} value={x.id}>
              {n.tour(x.id)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.stop}
        <select name="stop" defaultValue={f.stopId ?? ''}>
          <option value="">{t.everyStop}</option>
          {stops.map((s) => (
            <option key={s.id} value={s.id}>
              {`${stopLabel(s, lang)} (${s.date})`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.institution}
        <select name="institution" defaultValue={f.institutionId ?? ''}>
          <option value="">{t.everyInstitution}</option>
          {fig.institutions.map((x) => (
            <option key={x.id} value={x.id}>
              {x.shortName}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.program}
        <select name="program" defaultValue={f.programKey ?? ''}>
          <option value="">{t.everyProgram}</option>
          {fig.programs.map((p) => (
            <option key={p.id} value={p.id}>
              {`${n.program(p.id)} · ${n.programDetail(p.id)}`}
            </option>
          ))}
          {PROGRAMS.map((p) => (
            <option key={p} value={`${LEGACY_PREFIX}${p}`}>
              {`${n.program(`${LEGACY_PREFIX}${p}`)} · ${t.legacy}`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.stage}
        <select name="stage" defaultValue={f.stage ?? ''}>
          <option value="">{t.everyStage}</option>
          {CAREER_STAGES.map((s) => (
            <option key={s} value={s}>
              {n.stage(s)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="secondary">
        {ctx.t.paging.filter}
      </button>
      <a href={`${OUTCOMES_PATH}?tour=all`}>{ctx.t.paging.showAll}</a>
    </form>
  );
}

const NAME_HEADER: Record<OutcomeSection, 'tour' | 'stop' | 'institution' | 'program' | 'stage'> = {
  perTour: 'tour',
  perStop: 'stop',
  perInstitution: 'institution',
  perProgram: 'program',
  perStage: 'stage',
};

/**
 * /dashboard/outcomes: the funnel of the selection, then per tour (every tour selected), stop, institution,
 * programme and career stage; each breakdown a chart with the same figures as a table under it.
 */
export function OutcomesPage({ ctx, fig }: { ctx: PageContext; fig: OutcomeFigures }) {
  const { lang } = ctx;
  const t = ctx.t.outcomes;
  const lines = outcomeLines(fig, lang);
  const total = lines[0]!;
  const of = (section: OutcomeSection) => lines.filter((l) => l.section === section);
  const stageNames = FUNNEL_STAGES.map((s) => t.stages[s]);
  const grouped = (id: string, ls: OutcomeLine[]): ChartSpec => ({
    id,
    labels: ls.map((l) => (l.section === 'perProgram' ? `${l.name} · ${l.detail}` : l.name)),
    datasets: FUNNEL_STAGES.map((s, k) => ({ label: stageNames[k]!, data: ls.map((l) => l.funnel[k]!) })),
    horizontal: ls.length >= HORIZONTAL_FROM,
  });
  const charts: ChartSpec[] = [];
  const empty = total.funnel[0] === 0;
  const funnelChart: ChartSpec = { id: 'chart-outcome-funnel', labels: stageNames, datasets: [{ label: t.people, data: total.funnel }], horizontal: true, height: 300 };
  const stopShare: ChartSpec = {
    id: 'chart-outcome-stop-share',
    labels: of('perStop').map((l) => l.name),
    // Share of registered people at each stage (stage 0 is 100 % by definition and left out).
    datasets: FUNNEL_STAGES.slice(1).map((s, k) => ({ label: t.stages[s], data: of('perStop').map((l) => (l.funnel[0] ? Math.round((l.funnel[k + 1]! / l.funnel[0]) * 1000) / 10 : 0)) })),
    percent: true,
    paletteStart: 1,
    horizontal: of('perStop').length >= HORIZONTAL_FROM,
  };
  const sectionCharts = Object.fromEntries(OUTCOME_SECTIONS.map((s) => [s, grouped(`chart-outcome-${s}`, of(s))])) as Record<OutcomeSection, ChartSpec>;
  if (!empty) {
    charts.push(funnelChart);
    for (const s of OUTCOME_SECTIONS) {
      if (of(s).length === 0) continue;
      charts.push(sectionCharts[s]);
      if (s === 'perStop') charts.push(stopShare);
    }
  }
  const download = (format: 'csv' | 'xlsx') => outcomeHref(`${OUTCOMES_PATH}/export`, fig, { format, lang });
  return (
    <Layout ctx={ctx} title={t.title} charts={charts}>
      <h2>{t.title}</h2>
      <p className="lead">{t.intro}</p>
      <details className="lead">
        <summary>{t.definitionsTitle}</summary>
        <ul>
          {t.definitions.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      </details>
      <FilterForm ctx={ctx} fig={fig} />
      <p className="actions">
        <span>{t.download}</span>
        <a href={download('csv')} download>
          {t.csv}
        </a>
        <a href={download('xlsx')} download>
          {t.xlsx}
        </a>
      </p>
      <p className="muted" data-testid="outcome-scope">
        {total.detail}
      </p>
      {empty ? (
        <p>{t.none}</p>
      ) : (
        <>
          <section aria-labelledby="outcome-funnel">
            <h3 id="outcome-funnel">{t.funnel}</h3>
            <Chart spec={funnelChart} caption={t.funnel} />
            <div className="scroll">
              <table className="outcomes">
                <caption>{t.funnel}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.breakdown}</th>
                    <th scope="col" className="num">
                      {t.people}
                    </th>
                    <th scope="col" className="num">
                      {t.ofPrevious}
                    </th>
                    <th scope="col" className="num">
                      {t.ofRegistered}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {FUNNEL_STAGES.map((s, k) => (
                    <tr key={s}>
                      <th scope="row">{t.stages[s]}</th>
                      <td className="num">{num(total.funnel[k]!, lang)}</td>
                      <td className="num">{k === 0 ? '–' : percent(total.rates[k]!, lang)}</td>
                      <td className="num">{percent(total.funnel[0] ? total.funnel[k]! / total.funnel[0] : null, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {fig.anonymousConsultations > 0 && <p className="muted">{fill(t.anonymous, { count: num(fig.anonymousConsultations, lang) })}</p>}
          </section>
          {OUTCOME_SECTIONS.map((s) =>
            of(s).length === 0 ? null : (
              <section key={s} aria-labelledby={`outcome-${s}`}>
                <h3 id={`outcome-${s}`}>{t[s]}</h3>
                <Chart spec={sectionCharts[s]} caption={t[s]} />
                {s === 'perStop' && <Chart spec={stopShare} caption={t.perStopShare} />}
                <p className="hint">{t.rateNote}</p>
                <FunnelTable ctx={ctx} caption={t[s]} nameHeader={t[NAME_HEADER[s]]} lines={of(s)} places={s === 'perProgram'} />
              </section>
            ),
          )}
        </>
      )}
    </Layout>
  );
}
