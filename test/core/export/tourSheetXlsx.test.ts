import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { TOUR_SHEET_COLUMNS, tourSheetRows, type TourSheetState } from '../../../core/domain/tourSheet';
import { cellText, readTourSheetWorkbook, writeTourSheetWorkbook } from '../../../core/export/tourSheetXlsx';
import { TOUR_SHEETS } from '../../../shared/schemas/tourSheet';

const toBuffer = async (wb: ExcelJS.Workbook): Promise<Buffer> => Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
const load = async (bytes: Buffer): Promise<ExcelJS.Workbook> => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
};
async function readOk(bytes: Buffer) {
  const read = await readTourSheetWorkbook(bytes);
  if (!read.ok) throw new Error(read.reason);
  return read.input;
}

/** Excel's own time cell: the fraction of a day, which exceljs hands over as a Date on 1899-12-30 (UTC fields). */
const excelTime = (h: number, m: number): Date => new Date(Date.UTC(1899, 11, 30, h, m));

describe('reading a tour workbook', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  async function typedWorkbook(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('안내').addRow(['이 시트는 읽지 않습니다']);
    // Korean tab name and headers, a title row above the header.
    const stops = wb.addWorksheet('방문지');
    stops.addRow(['2025 투어']);
    stops.addRow(['차수', '도시(영문)', '날짜', '시간대', '유형', '아무 열']);
    const r = stops.addRow([3, { formula: '"Bos"&"ton"', result: 'Boston' }, new Date(Date.UTC(2025, 9, 14)), 'America/New_York', { richText: [{ text: '합동 ' }, { font: { bold: true }, text: '설명회' }] }, 'ignored']);
    r.getCell(3).numFmt = 'yyyy-mm-dd';
    // A date typed with a time, and a date serial Excel kept as a plain number.
    stops.addRow([4, 'Austin', new Date(Date.UTC(2025, 10, 3, 23, 59, 59, 999)), 'America/Chicago', 'company_ir']);
    stops.addRow([5, 'Atlanta', 45971, 'America/New_York', 'company_ir']);
    stops.addRow([]);
    const sessions = wb.addWorksheet('sessions');
    sessions.addRow(['Stop round', 'Kind', 'Title', 'Start (startTime)', 'End', 'Seats', 'Cancelled']);
    const s = sessions.addRow(['3', 'Policy briefing', 'Opening', excelTime(9, 30), 0.6875, 120, false]);
    s.getCell(4).numFmt = 'hh:mm';
    // 09:30 as Excel stores it: 0.3958333…, a hair under, as some files come back.
    sessions.addRow(['3', 'other', 'Coffee', new Date(Date.UTC(1899, 11, 30, 9, 29, 59, 997)), { formula: 'D3+TIME(0,30,0)', result: excelTime(10, 0) }, { formula: '2*50', result: 100 }, true]);
    return toBuffer(wb);
  }

  it('matches sheets and headers in either language, and types cells by their column', async () => {
    const input = await readOk(await typedWorkbook());
    expect(Object.keys(input).sort()).toEqual(['Sessions', 'Stops']);
    const stops = input.Stops!;
    expect(stops.headerRow).toBe(2);
    expect(stops.columns).toEqual({ round: 'A', city: 'B', date: 'C', timeZone: 'D', kind: 'E' });
    expect(stops.rows.map((r) => r.row)).toEqual([3, 4, 5]);
    expect(stops.rows[0]!.cells).toEqual({ round: '3', city: 'Boston', date: '2025-10-14', timeZone: 'America/New_York', kind: '합동 설명회' });
    expect(stops.rows[1]!.cells.date).toBe('2025-11-04');
    expect(stops.rows[2]!.cells.date).toBe('2025-11-10');
    const sessions = input.Sessions!;
    expect(sessions.columns).toMatchObject({ stop: 'A', kind: 'B', title: 'C', startTime: 'D', endTime: 'E', capacity: 'F', cancelled: 'G' });
    expect(sessions.rows[0]!.cells).toEqual({ stop: '3', kind: 'Policy briefing', title: 'Opening', startTime: '09:30', endTime: '16:30', capacity: '120', cancelled: 'false' });
    expect(sessions.rows[1]!.cells).toMatchObject({ startTime: '09:30', endTime: '10:00', capacity: '100', cancelled: 'true' });
  });

  it('reads the same wall clock whatever the laptop’s time zone', async () => {
    const bytes = await typedWorkbook();
    const read = async (zone: string) => {
      process.env.TZ = zone;
      const input = await readOk(bytes);
      return [input.Stops!.rows[0]!.cells.date, input.Sessions!.rows[0]!.cells.startTime, input.Sessions!.rows[0]!.cells.endTime];
    };
    expect(await read('Asia/Seoul')).toEqual(['2025-10-14', '09:30', '16:30']);
    expect(await read('Pacific/Honolulu')).toEqual(['2025-10-14', '09:30', '16:30']);
    expect(await read('Pacific/Kiritimati')).toEqual(['2025-10-14', '09:30', '16:30']);
  });

  it('cell values: strings, numbers, hyperlinks, errors, and the export’s apostrophe', () => {
    expect(cellText("'=HYPERLINK(\"x\")", 'text')).toBe('=HYPERLINK("x")');
    expect(cellText("'quoted", 'text')).toBe("'quoted");
    expect(cellText({ text: 'mail', hyperlink: 'mailto:a@b.c' }, 'text')).toBe('mail');
    expect(cellText({ error: '#N/A' } as ExcelJS.CellErrorValue, 'text')).toBe('');
    expect(cellText(0.5, 'time')).toBe('12:00');
    expect(cellText(45944, 'date')).toBe('2025-10-14');
    expect(cellText(45944, 'text')).toBe('45944');
    expect(cellText(new Date(Date.UTC(2025, 9, 14, 9, 5)), 'text')).toBe('2025-10-14 09:05');
    expect(cellText(null, 'text')).toBe('');
  });

  it('a file that is not a workbook is unreadable, not a crash', async () => {
    const read = await readTourSheetWorkbook(Buffer.from('family_name,given_name\nKim,Minji\n'));
    expect(read.ok).toBe(false);
  });
});

describe('writing the template and the export', () => {
  const state: TourSheetState = {
    tour: { id: 'tour-2025', name: 'Roadshow', nameKo: '', year: 2025, startDate: null, endDate: null },
    stops: [{ id: 'stop-1', tourId: 'tour-2025', round: '1', city: 'Boston', cityKo: '보스턴', venue: '', campus: '', date: '2025-10-14', timeZone: 'America/New_York', kind: 'joint_briefing' }],
    institutions: [{ id: 'inst-x', name: '=HYPERLINK("http://evil","click")', nameKo: '@SUM(1)', shortName: 'X', kind: 'company', programs: ['-1 program', 'B'], contactName: '+82 2', contactEmail: '' }],
    sessions: [{ id: 'sess-1', stopId: 'stop-1', kind: 'policy_briefing', title: 'Opening', titleKo: '', startTime: '09:00', endTime: '10:00', room: '', capacity: null, cancelled: false }],
    booths: [{ id: 'booth-1', stopId: 'stop-1', institutionId: 'inst-x', location: '007', staff: [], removed: false, plan: { startTime: '13:00', endTime: '17:00', slotMinutes: 20, capacity: 2, breaks: [], fields: ['ai'] } }],
    staff: [{ id: 'staff-1', name: 'Kim Minji', role: 'stop_lead', institutionId: null, stopIds: ['stop-1'], active: true }],
  };

  for (const language of ['en', 'ko'] as const) {
    it(`the template (${language}): every sheet and column reads back, with pick lists and instructions`, async () => {
      const bytes = await writeTourSheetWorkbook(null, { language, createdAt: new Date(Date.UTC(2025, 0, 1)), title: 'Template' });
      const input = await readOk(bytes);
      for (const sheet of TOUR_SHEETS) {
        expect(Object.keys(input[sheet]!.columns), sheet).toEqual(TOUR_SHEET_COLUMNS[sheet].map((c) => c.key));
        expect(input[sheet]!.rows, sheet).toEqual([]);
      }
      const wb = await load(bytes);
      expect(wb.worksheets[0]!.name).toBe(language === 'ko' ? '안내' : 'Instructions');
      const stops = wb.getWorksheet('Stops')!;
      expect(stops.getCell('H1').value).toBe(language === 'ko' ? '시간대 (timeZone)' : 'Time zone (timeZone)');
      const kind = stops.getCell('I2').dataValidation;
      expect(kind.type).toBe('list');
      expect(kind.formulae?.[0]).toContain(language === 'ko' ? '합동 설명회' : 'Joint briefing');
      expect(wb.getWorksheet('Staff')!.getCell('C5').dataValidation.formulae?.[0]).toContain(language === 'ko' ? '부스 직원' : 'Booth staff');
    });
  }

  it('the export neutralises text a spreadsheet could run as a formula, and reads back the same text', async () => {
    const rows = tourSheetRows(state, 'en');
    const bytes = await writeTourSheetWorkbook(rows, { language: 'en', createdAt: new Date(Date.UTC(2025, 0, 1)), title: 'Roadshow' });
    const wb = await load(bytes);
    const inst = wb.getWorksheet('Institutions')!;
    expect(inst.getCell('C2').value).toBe('\'=HYPERLINK("http://evil","click")');
    expect(inst.getCell('D2').value).toBe("'@SUM(1)");
    expect(inst.getCell('G2').value).toBe("'+82 2");
    // No cell of the export is a formula.
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
    const input = await readOk(bytes);
    for (const sheet of TOUR_SHEETS) {
      expect(input[sheet]!.rows.map((r) => r.cells), sheet).toEqual(rows[sheet].map((r) => Object.fromEntries(TOUR_SHEET_COLUMNS[sheet].map((c) => [c.key, r[c.key] ?? '']))));
    }
    // Leading zeros and rounds stay text.
    expect(input.Booths!.rows[0]!.cells.location).toBe('007');
  });
});
