import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { EXPORT_LABELS } from '../../../core/domain/followUpExport';
import type { StopFigures } from '../../../core/store/queries/tourQueries';
import { CAREER_STAGES, type Language } from '../../../shared/vocab';
import { stopLabel, type ConflictItem, type StopReportData } from './dashboardData';
import { DASHBOARD_TEXT, fill } from './dashboardText';
import { Layout, type PageContext } from './pages';

export { stopReportData, type StopReportData } from './dashboardData';

/** One row per session: "10:00–11:30 Policy briefing", people in it, seats, people by career stage. */
function sessionRows(data: StopReportData, lang: Language): { key: string; label: string; people: number; seats: string; byStage: string }[] {
  const t = DASHBOARD_TEXT[lang].sessionAttendance;
  const stages = EXPORT_LABELS[lang].careerStage;
  return data.sessions.map(({ session: s, counts: c }) => {
    const title = lang === 'ko' && s.titleKo ? s.titleKo : s.title;
    return {
      key: s.id,
      label: `${s.startTime}–${s.endTime} ${title}${s.cancelled ? ` (${t.cancelled})` : ''}`,
      people: c?.checkedIn ?? 0,
      seats: s.capacity === null ? t.noLimit : String(s.capacity),
      byStage: CAREER_STAGES.filter((st) => (c?.byCareerStage[st] ?? 0) > 0)
        .map((st) => `${stages[st]} ${c!.byCareerStage[st]}`)
        .join(' · '),
    };
  });
}

function conflictCounts(conflicts: ConflictItem[], lang: Language): [string, number][] {
  const t = DASHBOARD_TEXT[lang].conflicts;
  const label = (c: ConflictItem) => (c.kind === 'double_check_in' ? t.doubleCheckIn : c.kind === 'booking' ? t[c.conflict] : t.consultation);
  const m = new Map<string, number>();
  for (const c of conflicts) m.set(label(c), (m.get(label(c)) ?? 0) + 1);
  return [...m];
}

function attendanceRows(f: StopFigures, lang: Language): [string, number][] {
  const o = DASHBOARD_TEXT[lang].overview;
  return [
    [o.registered, f.registered],
    [o.checkedIn, f.checkedIn],
    [o.walkIns, f.walkIns],
    [o.noShows, f.noShows],
    [o.consultations, f.consultations],
    [o.followUpsOwed, f.followUpsOwed],
  ];
}

export function StopReportBody({ data, lang }: { data: StopReportData; lang: Language }) {
  const t = DASHBOARD_TEXT[lang];
  const o = t.overview;
  const f = data.figures;
  const stages = EXPORT_LABELS[lang].careerStage;
  const left = conflictCounts(data.conflicts, lang);
  return (
    <article aria-label={fill(t.report.title, { stop: stopLabel(data.stop, lang) })}>
      <h2>{fill(t.report.title, { stop: stopLabel(data.stop, lang) })}</h2>
      <p className="muted">
        {data.stop.date} · {data.stop.venue}
      </p>
      <table>
        <caption>{t.report.attendance}</caption>
        <tbody>
          {attendanceRows(f, lang).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="num">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{o.byStage}</caption>
        <tbody>
          {CAREER_STAGES.filter((s) => (f.byCareerStage[s] ?? 0) > 0).map((s) => (
            <tr key={s}>
              <th scope="row">{stages[s]}</th>
              <td className="num">{f.byCareerStage[s]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t.sessionAttendance.title}</caption>
        {data.sessions.length === 0 ? (
          <tbody>
            <tr>
              <td>{t.sessionAttendance.none}</td>
            </tr>
          </tbody>
        ) : (
          <>
            <thead>
              <tr>
                <th scope="col">{t.sessionAttendance.session}</th>
                <th scope="col">{t.sessionAttendance.people}</th>
                <th scope="col">{t.sessionAttendance.seats}</th>
                <th scope="col">{t.sessionAttendance.byStage}</th>
              </tr>
            </thead>
            <tbody>
              {sessionRows(data, lang).map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{r.people}</td>
                  <td className="num">{r.seats}</td>
                  <td>{r.byStage}</td>
                </tr>
              ))}
            </tbody>
          </>
        )}
      </table>
      <table>
        <caption>{o.perInstitution}</caption>
        <thead>
          <tr>
            <th scope="col">{o.institution}</th>
            <th scope="col">{o.consultations}</th>
            <th scope="col">{o.followUpsOwed}</th>
          </tr>
        </thead>
        <tbody>
          {f.perInstitution.map((p) => (
            <tr key={p.institutionId}>
              <th scope="row">{p.shortName}</th>
              <td className="num">
                {p.consultations} ({p.people})
              </td>
              <td className="num">{p.followUpsOwed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>{t.report.conflictsLeft}</caption>
        <tbody>
          {left.length === 0 ? (
            <tr>
              <td>{t.conflicts.none}</td>
            </tr>
          ) : (
            left.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className="num">{v}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </article>
  );
}

/** Korean needs a CJK font: Debian's fonts-noto-cjk (installed by CI), else Latin only. */
const CJK_FONTS = ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', '/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc'];

/** The same report as a one-page A4 PDF (pdfkit), for HQ and the institutions. */
export function stopReportPdf(data: StopReportData, lang: Language, at: Date): Promise<Buffer> {
  const t = DASHBOARD_TEXT[lang];
  const o = t.overview;
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: fill(t.report.title, { stop: stopLabel(data.stop, 'en') }), Author: 'Roadshow Desk HQ' } });
  const font = CJK_FONTS.find((f) => existsSync(f));
  if (font) doc.registerFont('body', font, 'NotoSansCJKkr-Regular');
  const useFont = () => doc.font(font ? 'body' : 'Helvetica');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const f = data.figures;
  useFont();
  doc.fontSize(18).text(fill(t.report.title, { stop: stopLabel(data.stop, lang) }));
  doc.fontSize(10).fillColor('#52606d').text(`${data.stop.date} · ${data.stop.venue} · ${fill(t.report.generated, { at: at.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' })}`);
  doc.fillColor('#000').moveDown();
  const section = (title: string, rows: [string, string | number][]) => {
    doc.fontSize(13).text(title).moveDown(0.2);
    doc.fontSize(10);
    for (const [k, v] of rows) {
      const y = doc.y;
      doc.text(k, 60, y, { width: 330 });
      doc.text(String(v), 400, y, { width: 120, align: 'right' });
    }
    doc.x = 48;
    doc.moveDown(0.8);
  };
  section(t.report.attendance, attendanceRows(f, lang));
  section(o.byStage, CAREER_STAGES.filter((s) => (f.byCareerStage[s] ?? 0) > 0).map((s) => [EXPORT_LABELS[lang].careerStage[s], f.byCareerStage[s] ?? 0]));
  section(
    t.sessionAttendance.title,
    data.sessions.length ? sessionRows(data, lang).map((r) => [r.label, `${r.people} / ${r.seats}`]) : [[t.sessionAttendance.none, '']],
  );
  section(o.perInstitution, f.perInstitution.slice(0, 20).map((p) => [p.shortName, `${p.consultations} (${p.people}) / ${p.followUpsOwed}`]));
  const left = conflictCounts(data.conflicts, lang);
  section(t.report.conflictsLeft, left.length ? left : [[t.conflicts.none, '']]);
  doc.end();
  return done;
}

export function StopReportPage({ ctx, data }: { ctx: PageContext; data: StopReportData }) {
  const title = fill(ctx.t.report.title, { stop: stopLabel(data.stop, ctx.lang) });
  return (
    <Layout ctx={ctx} title={title}>
      <p className="noprint">
        <a href={`/dashboard/stops/${encodeURIComponent(data.stop.id)}/report.pdf`}>{ctx.t.report.pdf}</a>
      </p>
      <StopReportBody data={data} lang={ctx.lang} />
    </Layout>
  );
}
