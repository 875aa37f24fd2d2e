import { exportFileName, toCsv } from '../../../core/domain/followUpExport';
import { neutralizeFormula } from '../../../core/domain/spreadsheetSafety';
import type { Language } from '../../../shared/vocab';
import { DASHBOARD_TEXT } from './dashboardText';
import type { OutcomeFigures } from './outcomeData';
import { FUNNEL_STAGES, outcomeLines, outcomeNamer, percent, type OutcomeLine } from './outcomeView';

// exceljs is loaded on the first XLSX, not at start-up.
const loadExcel = async () => (await import('exceljs')).default;

export interface OutcomeExportFile {
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

const RATE_KEYS = ['checkedIn', 'consulted', 'followedUp', 'applied', 'hired'] as const;

function header(lang: Language): string[] {
  const t = DASHBOARD_TEXT[lang].outcomes;
  return [t.breakdown, t.id, t.name, ...FUNNEL_STAGES.map((s) => t.stages[s]), ...RATE_KEYS.map((k) => t.rates[k]), t.rates.overall, t.places, t.placesFilled];
}

const sectionName = (l: OutcomeLine, lang: Language): string => {
  const t = DASHBOARD_TEXT[lang].outcomes;
  return l.section === 'total' ? t.total : t[l.section];
};
const lineName = (l: OutcomeLine): string => (l.detail ? `${l.name} (${l.detail})` : l.name);
const placesFilled = (l: OutcomeLine): number | null => (l.places ? l.funnel[5]! / l.places : null);

/** The file's name: outcomes_<tour or all>_<stop>_<institution>_<day>.csv (ASCII). */
function fileName(fig: OutcomeFigures, ext: string, now: Date): string {
  const n = outcomeNamer(fig, 'en');
  const f = fig.filter;
  return exportFileName(
    ['outcomes', f.tourId ? n.tour(f.tourId) : 'all-tours', f.stopId ? n.stop(f.stopId) : '', f.institutionId ? n.institution(f.institutionId) : '', f.programKey ? n.program(f.programKey) : '', f.stage ?? '', now.toISOString().slice(0, 10)],
    ext,
  );
}

/**
 * The outcome dashboard's figures as a file: every line the page shows (the whole selection with the filter in
 * words, then per tour, stop, institution, programme and career stage), people per stage and the conversion
 * between stages. CSV (UTF-8 with BOM, shares as "66.7%") or XLSX (numbers as numbers, shares as percentages,
 * and a second sheet with the definitions). Built on the dashboard's worker.
 */
export async function outcomeExportFile(fig: OutcomeFigures, format: 'csv' | 'xlsx', lang: Language, now: Date): Promise<OutcomeExportFile> {
  const lines = outcomeLines(fig, lang);
  const head = header(lang);
  if (format === 'csv') {
    const rows = lines.map((l) => [
      sectionName(l, lang),
      l.key,
      lineName(l),
      ...l.funnel.map(String),
      ...l.rates.slice(1).map((r) => percent(r, lang)),
      percent(l.overall, lang),
      l.places === null ? '' : String(l.places),
      l.places === null ? '' : percent(placesFilled(l), lang),
    ].map(neutralizeFormula));
    return { filename: fileName(fig, 'csv', now), mimeType: 'text/csv;charset=utf-8', bytes: Buffer.from(toCsv({ header: head, rows }), 'utf8') };
  }
  const t = DASHBOARD_TEXT[lang].outcomes;
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Roadshow Desk';
  wb.title = t.title;
  wb.created = now;
  wb.modified = now;
  const ws = wb.addWorksheet(t.sheet, { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
  ws.addRow(head);
  ws.getRow(1).font = { bold: true };
  const firstRate = 3 + FUNNEL_STAGES.length + 1;
  for (const l of lines) {
    const row = ws.addRow([
      neutralizeFormula(sectionName(l, lang)),
      neutralizeFormula(l.key),
      neutralizeFormula(lineName(l)),
      ...l.funnel,
      ...l.rates.slice(1),
      l.overall,
      l.places,
      l.places === null ? null : placesFilled(l),
    ]);
    for (let c = firstRate; c <= head.length; c++) if (c !== head.length - 1) row.getCell(c).numFmt = '0.0%';
    if (l.section === 'total') row.font = { bold: true };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: head.length } };
  head.forEach((h, i) => {
    const longest = Math.max(h.length, ...lines.map((l) => (i === 2 ? Math.min(lineName(l).length, 60) : 6)));
    ws.getColumn(i + 1).width = Math.max(10, Math.min(60, longest + 2));
  });
  const about = wb.addWorksheet(t.definitionsSheet);
  about.getColumn(1).width = 120;
  about.addRow([t.title]).font = { bold: true };
  about.addRow([neutralizeFormula(lines[0]!.detail)]);
  for (const d of t.definitions) about.addRow([d]).alignment = { wrapText: true, vertical: 'top' };
  const data = await wb.xlsx.writeBuffer();
  return { filename: fileName(fig, 'xlsx', now), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: Buffer.from(data as ArrayBuffer) };
}
