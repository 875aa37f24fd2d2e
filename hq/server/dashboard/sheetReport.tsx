import type { TourSheetProblem, TourSheetReport } from '../../../shared/schemas/tourSheet';
import { TOUR_SHEETS } from '../../../shared/schemas/tourSheet';
import type { Language } from '../../../shared/vocab';
import { fill, type DashboardText } from './dashboardText';
import { Csrf, type PageContext } from './pages';
import { problemText } from '../../../core/domain/tourSheetText';

/**
 * The tour spreadsheet on the tour page: template and export downloads (plain forms), and the upload,
 * which dashboard.js posts as application/octet-stream (as the USB bundle upload does) first to /check,
 * showing this file's report, then, when the file is clean, the same file to /apply.
 */
export function SheetSection({ ctx, tourId }: { ctx: PageContext; tourId: string }) {
  const { t, lang } = ctx;
  const x = t.sheet;
  const base = `/dashboard/tours/${encodeURIComponent(tourId)}/sheet`;
  const language = (id: string) => (
    <label>
      <span>{x.language}</span>
      <select name="language" defaultValue={lang} id={id}>
        <option value="ko">한국어</option>
        <option value="en">English</option>
      </select>
    </label>
  );
  return (
    <section id="sheet" aria-labelledby="sheet-title">
      <h3 id="sheet-title">{x.title}</h3>
      <p className="muted">{x.help}</p>
      <div className="row">
        <form className="fields compact" method="post" action={`${base}/template`}>
          <Csrf token={ctx.csrf} />
          {language('sheet-template-language')}
          <div className="submit">
            <button type="submit" className="secondary">
              {x.template}
            </button>
          </div>
        </form>
        <form className="fields compact" method="post" action={`${base}/export`}>
          <Csrf token={ctx.csrf} />
          {language('sheet-export-language')}
          <div className="submit">
            <button type="submit" className="secondary">
              {x.export}
            </button>
          </div>
        </form>
        <form className="fields compact" id="sheet-form" method="post" action={`${base}/check`} data-apply={`${base}/apply`} data-checking={x.checking}>
          <Csrf token={ctx.csrf} />
          <label>
            <span>{x.file}</span>
            <input type="file" name="sheet" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
          </label>
          <div className="submit">
            <button type="submit">{x.check}</button>
          </div>
          <noscript>{x.needsScript}</noscript>
        </form>
      </div>
      <div id="sheet-result" role="status" aria-live="polite" />
      <form className="fields compact" method="post" action={`/dashboard/tours/${encodeURIComponent(tourId)}/bundle`}>
        <Csrf token={ctx.csrf} />
        <p className="muted">{x.bundleHelp}</p>
        <div className="submit">
          <button type="submit" className="secondary">
            {x.bundle}
          </button>
        </div>
      </form>
    </section>
  );
}

/** One problem's message, in the page's language (the words are the spreadsheet feature's: core/domain/tourSheetText.ts). */
export function SheetProblemMessage({ problem, lang }: { problem: TourSheetProblem; lang: Language }) {
  return <>{problemText(problem, lang)}</>;
}

/** What a check or an apply answered: the counts, or every problem with its cell, value and message. */
export function SheetReportView({ report, mode, t, lang }: { report: TourSheetReport; mode: 'check' | 'apply'; t: DashboardText; lang: Language }) {
  const x = t.sheet;
  const sum = (k: 'rows' | 'created' | 'changed' | 'unchanged') => TOUR_SHEETS.reduce((n, s) => n + (report.counts[s]?.[k] ?? 0), 0);
  if (!report.ok || report.problems.length > 0) {
    return (
      <div className="sheet-report" data-ok="0">
        <p className="flash err">{fill(x.problems, { count: report.problems.length })}</p>
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{x.sheetCol}</th>
                <th scope="col">{x.cell}</th>
                <th scope="col">{x.value}</th>
                <th scope="col">{x.message}</th>
              </tr>
            </thead>
            <tbody>
              {report.problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.sheet}</td>
                  <td className="nowrap">{p.cell ?? (p.row !== null ? fill(x.row, { row: p.row }) : x.wholeSheet)}</td>
                  <td>{p.value}</td>
                  <td>
                    <SheetProblemMessage problem={p} lang={lang} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    );
  }
  if (mode === 'apply') {
    return (
      <div className="sheet-report" data-ok="1">
        <p className="flash ok">{fill(x.applied, { written: report.written })}</p>
      </div>
    );
  }
  return (
    <div className="sheet-report" data-ok="1">
      <p className="flash ok">{fill(x.clean, { rows: sum('rows'), created: sum('created'), changed: sum('changed'), unchanged: sum('unchanged') })}</p>
      <button type="button" id="sheet-apply">
        {x.apply}
      </button>
    </div>
  );
}
