// exceljs is loaded on first use, not at start-up (about 0.4 s of module loading).
const loadExcel = async () => (await import('exceljs')).default;
import type ExcelJS from 'exceljs';
import { TOUR_SHEETS, type TourSheetName } from '../../shared/schemas/tourSheet';
import { STAFF_ROLES } from '../../shared/schemas/staff';
import { INSTITUTION_KINDS, SESSION_KINDS, STOP_KINDS, type Language } from '../../shared/vocab';
import { isFormulaLike, neutralizeFormula } from '../domain/spreadsheetSafety';
import { TOUR_SHEET_COLUMNS, type TourSheetCellType, type TourSheetData, type TourSheetInput, type TourSheetRowsOut } from '../domain/tourSheet';
import {
  BOOLEAN_LABELS,
  COLUMN_HINTS,
  COLUMN_LABELS,
  columnHeader,
  INSTITUTION_KIND_LABELS,
  SESSION_KIND_LABELS,
  SHEET_LABELS,
  STAFF_ROLE_LABELS,
  STOP_KIND_LABELS,
} from '../domain/tourSheetText';

/**
 * The tour spreadsheet as an .xlsx file (exceljs): reading an upload into rows of cell text for the
 * rules (core/domain/tourSheet.ts), and writing the template and the export of a tour.
 */

// ---------------------------------------------------------------------------------------------------
// Reading

const norm = (s: string): string => s.normalize('NFKC').trim().toLowerCase().replace(/[\s_\-·]+/g, ' ').trim();

/** A sheet is found by its key ("Stops") or its Korean name ("방문지"), in any case. */
function sheetOf(name: string): TourSheetName | null {
  const n = norm(name);
  return TOUR_SHEETS.find((s) => norm(s) === n || norm(SHEET_LABELS[s].ko) === n || norm(SHEET_LABELS[s].en) === n) ?? null;
}

/** A header names its column by key, by either language's label, or as the template writes it: "Label (key)". */
function columnOf(sheet: TourSheetName, header: string): string | null {
  const keys = TOUR_SHEET_COLUMNS[sheet].map((c) => c.key);
  const inParens = /\(([A-Za-z]+)\)\s*$/.exec(header.trim());
  if (inParens && keys.includes(inParens[1]!)) return inParens[1]!;
  const n = norm(header);
  if (n === '') return null;
  return keys.find((k) => norm(k) === n || norm(COLUMN_LABELS[sheet][k]?.en ?? '') === n || norm(COLUMN_LABELS[sheet][k]?.ko ?? '') === n) ?? null;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const MS_PER_DAY = 86_400_000;
/** Excel's day 0 (serial 0 = 1899-12-30 in the 1900 system, the one its leap-year bug makes work from March 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * An instant as Excel meant it. Excel stores a wall-clock serial with no time zone; exceljs turns it
 * into a Date whose UTC fields are that wall clock. So read the UTC fields (never local ones: a laptop
 * in Seoul would shift 09:00 by nine hours), after rounding to the minute: 09:30 is 0.3958333… of a
 * day, which comes back as 09:29:59.999 on some files.
 */
function wallClock(ms: number): { date: string; time: string; hasTime: boolean } {
  const d = new Date(Math.round(ms / 60_000) * 60_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return { date, time, hasTime: time !== '00:00' };
}

function fromInstant(ms: number, type: TourSheetCellType): string {
  const w = wallClock(ms);
  if (type === 'date') return w.date;
  if (type === 'time') return w.time;
  return w.hasTime ? `${w.date} ${w.time}` : w.date;
}

/** A cell's value as the text the rules read, typed by the column it is in. */
export function cellText(value: ExcelJS.CellValue | undefined, type: TourSheetCellType): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') {
    // Our own export prefixes text that looks like a formula with an apostrophe; take it off again.
    return value.startsWith("'") && isFormulaLike(value.slice(1)) ? value.slice(1) : value;
  }
  if (typeof value === 'number') {
    // A number where a date or time belongs is an Excel serial without a date format.
    if (type === 'time' && value >= 0) return fromInstant(EXCEL_EPOCH_MS + (value % 1) * MS_PER_DAY, 'time');
    if (type === 'date' && value >= 1 && value < 2_958_466) return fromInstant(EXCEL_EPOCH_MS + value * MS_PER_DAY, 'date');
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : fromInstant(value.getTime(), type);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  // Formulas (plain or shared): their last computed result, as Excel saved it.
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, type);
  if ('hyperlink' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue, type);
  if ('error' in value) return '';
  return '';
}

function readSheet(ws: ExcelJS.Worksheet, sheet: TourSheetName): TourSheetData {
  // The header is the first row (of the first ten) that names a column; rows above it are titles.
  let headerRow = 1;
  let columns: Record<string, { letter: string; index: number }> = {};
  for (let r = 1; r <= Math.min(10, Math.max(ws.rowCount, 1)); r++) {
    const found: Record<string, { letter: string; index: number }> = {};
    ws.getRow(r).eachCell({ includeEmpty: false }, (cell, index) => {
      const key = columnOf(sheet, cellText(cell.value, 'text'));
      // The first column of a name wins; a second one is ignored rather than merged.
      if (key && !(key in found)) found[key] = { letter: ws.getColumn(index).letter, index };
    });
    if (Object.keys(found).length > 0) {
      headerRow = r;
      columns = found;
      break;
    }
  }
  const types = new Map(TOUR_SHEET_COLUMNS[sheet].map((c) => [c.key, c.type]));
  const rows: TourSheetData['rows'][number][] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Record<string, string> = {};
    let blank = true;
    for (const [key, { index }] of Object.entries(columns)) {
      const text = cellText(row.getCell(index).value, types.get(key) ?? 'text');
      cells[key] = text;
      if (text.trim() !== '') blank = false;
    }
    if (!blank) rows.push({ row: r, cells });
  }
  return { headerRow, columns: Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.letter])), rows };
}

export type TourSheetRead = { ok: true; input: TourSheetInput } | { ok: false; reason: string };

/** The workbook's tour sheets as rows of cell text; other sheets (the instructions) are ignored. */
export async function readTourSheetWorkbook(bytes: Buffer): Promise<TourSheetRead> {
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message.slice(0, 120) : 'not an .xlsx file' };
  }
  const input: TourSheetInput = {};
  for (const ws of wb.worksheets) {
    const sheet = sheetOf(ws.name);
    if (sheet && !input[sheet]) input[sheet] = readSheet(ws, sheet);
  }
  return { ok: true, input };
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** Rows that get the pick lists in the template (a tour has tens of stops, hundreds of sessions). */
const LIST_ROWS = 500;

function pickList(sheet: TourSheetName, key: string, language: Language): string[] | null {
  const labels = <K extends string>(keys: readonly K[], table: Record<K, Record<Language, string>>) => keys.map((k) => table[k][language]);
  if (key === 'kind' && sheet === 'Stops') return labels(STOP_KINDS, STOP_KIND_LABELS);
  if (key === 'kind' && sheet === 'Sessions') return labels(SESSION_KINDS, SESSION_KIND_LABELS);
  if (key === 'kind' && sheet === 'Institutions') return labels(INSTITUTION_KINDS, INSTITUTION_KIND_LABELS);
  if (key === 'role') return labels(STAFF_ROLES, STAFF_ROLE_LABELS);
  if (key === 'cancelled' || key === 'removed') return [BOOLEAN_LABELS.yes[language], BOOLEAN_LABELS.no[language]];
  return null;
}

const INSTRUCTIONS: Record<Language, { sheet: string; title: string; lines: string[]; header: [string, string, string, string] }> = {
  en: {
    sheet: 'Instructions',
    title: 'Tour spreadsheet — Roadshow Desk',
    lines: [
      'Fill the sheets Stops, Sessions, Institutions, Booths and Staff (one row each), then upload the file under Tour planning.',
      'Nothing is written while any cell is wrong: the report names every bad cell (e.g. Stops!H7).',
      'Sessions and booths name their stop by its round; booths and staff name an institution by its short name.',
      'Leave the id column empty for new rows; an exported file has ids, so renamed records stay the same records.',
      'Uploading the same file again changes nothing. Rows not in the file are left as they are (nothing is deleted: cancel a session or remove a booth instead).',
    ],
    header: ['Sheet', 'Column', 'Required', 'How to fill it'],
  },
  ko: {
    sheet: '안내',
    title: '투어 계획 시트 — Roadshow Desk',
    lines: [
      'Stops(방문지), Sessions(세션), Institutions(기관), Booths(부스), Staff(스태프) 시트를 한 행에 하나씩 채운 뒤 투어 계획 화면에서 올리세요.',
      '잘못된 칸이 하나라도 있으면 아무것도 저장되지 않습니다: 보고서가 잘못된 칸을 모두 알려 줍니다 (예: Stops!H7).',
      '세션과 부스는 방문지를 차수로, 부스와 스태프는 기관을 약칭으로 적습니다.',
      '새 행의 ID 열은 비워 두세요. 내보낸 파일에는 ID가 있어 이름을 바꿔도 같은 항목으로 남습니다.',
      '같은 파일을 다시 올려도 바뀌는 것은 없습니다. 파일에 없는 항목은 그대로 둡니다 (삭제하지 않음: 세션은 취소, 부스는 철수로 표시).',
    ],
    header: ['시트', '열', '필수', '작성 방법'],
  },
};

export interface TourSheetWriteMeta {
  language: Language;
  createdAt: Date;
  title: string;
}

/**
 * The template (rows null: headers, pick lists and the instructions) or the export of a tour (the
 * same columns, ids filled). Tab names stay the sheet keys in both languages: the report names cells
 * as "Stops!H7", and the tab must read the same. Text is written as text, never as a formula, and text
 * that a spreadsheet could take for one gets an apostrophe (the reader takes it off again).
 */
export async function writeTourSheetWorkbook(rows: TourSheetRowsOut | null, meta: TourSheetWriteMeta): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const { language } = meta;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Roadshow Desk';
  wb.title = meta.title;
  wb.created = meta.createdAt;
  wb.modified = meta.createdAt;

  const help = INSTRUCTIONS[language];
  const info = wb.addWorksheet(help.sheet);
  info.addRow([help.title]).font = { bold: true, size: 14 };
  for (const l of help.lines) info.addRow([l]);
  info.addRow([]);
  info.addRow(help.header).font = { bold: true };
  for (const sheet of TOUR_SHEETS) {
    for (const c of TOUR_SHEET_COLUMNS[sheet]) {
      const required = c.required ? (language === 'ko' ? '필수' : 'required') : '';
      const list = pickList(sheet, c.key, language);
      const hint = COLUMN_HINTS[sheet][c.key]?.[language] ?? (list ? list.join(' / ') : '');
      info.addRow([sheet, columnHeader(sheet, c.key, language), required, hint]);
    }
  }
  info.getColumn(1).width = 14;
  info.getColumn(2).width = 34;
  info.getColumn(3).width = 10;
  info.getColumn(4).width = 80;

  for (const sheet of TOUR_SHEETS) {
    const cols = TOUR_SHEET_COLUMNS[sheet];
    const ws = wb.addWorksheet(sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = ws.addRow(cols.map((c) => columnHeader(sheet, c.key, language)));
    header.font = { bold: true };
    const data = rows?.[sheet] ?? [];
    for (const r of data) ws.addRow(cols.map((c) => neutralizeFormula(r[c.key] ?? '')));
    cols.forEach((c, i) => {
      const column = ws.getColumn(i + 1);
      const longest = Math.max(String(header.getCell(i + 1).value ?? '').length, ...data.map((r) => Math.min((r[c.key] ?? '').length, 60)));
      column.width = Math.max(10, Math.min(60, longest + 2));
      // Text format for the whole column, so Excel keeps "1" a round, "007" a booth code, and "09:00" or
      // "2025-10-14" as typed (the reader still copes with real date and time cells, pasted ones).
      column.numFmt = '@';
      const list = pickList(sheet, c.key, language);
      if (!list) return;
      const lastRow = Math.max(LIST_ROWS, data.length + 100);
      for (let r = 2; r <= lastRow; r++) {
        // A warning, not a stop: the key (joint_briefing) and the other language's label are accepted too.
        ws.getCell(r, i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${list.join(',')}"`], showErrorMessage: true, errorStyle: 'warning' };
      }
    });
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
