import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../../core/api/apiContext';
import type { Store } from '../../../core/store/openStore';
import { callApi, callApiError } from '../../helpers/callApi';
import { createTestContext, createTestStore, disposeTestStore } from '../../helpers/testStore';

const eventCount = (s: Store) => (s.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

const load = async (base64: string): Promise<ExcelJS.Workbook> => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  return wb;
};
const toBase64 = async (wb: ExcelJS.Workbook): Promise<string> => Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer).toString('base64');

/** Writes a row by column key, finding each column by the "(key)" the template's header ends with. */
function fill(wb: ExcelJS.Workbook, sheet: string, rowNumber: number, cells: Record<string, ExcelJS.CellValue>): void {
  const ws = wb.getWorksheet(sheet)!;
  const index = new Map<string, number>();
  ws.getRow(1).eachCell((c, i) => {
    const m = /\((\w+)\)$/.exec(String(c.value));
    index.set(m ? m[1]! : String(c.value), i);
  });
  for (const [key, value] of Object.entries(cells)) {
    const i = index.get(key);
    if (i === undefined) throw new Error(`No column ${key} in ${sheet}`);
    ws.getRow(rowNumber).getCell(i).value = value;
  }
}

/** A tour as HQ types it into the template: one real Excel date cell and one real time cell among the text. */
async function filledTemplate(ctx: ApiContext, language: 'en' | 'ko' = 'en'): Promise<ExcelJS.Workbook> {
  const template = await callApi(ctx, 'tourplan:template', { language });
  expect(template.filename).toMatch(/\.xlsx$/);
  const wb = await load(template.base64);
  fill(wb, 'Stops', 2, { round: '1', city: 'Boston', cityKo: '보스턴', venue: 'MIT', date: new Date(Date.UTC(2026, 9, 14)), timeZone: 'America/New_York', kind: '합동 설명회' });
  fill(wb, 'Stops', 3, { round: '2', city: 'Austin', date: '2026-11-03', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
  fill(wb, 'Institutions', 2, { shortName: 'KAIST', name: 'Korea Advanced Institute of Science and Technology', nameKo: '한국과학기술원', kind: 'University', programs: 'InnoCORE postdoc; Brain to Korea', contactEmail: 'hr@kaist.ac.kr' });
  fill(wb, 'Institutions', 3, { shortName: 'KIST', name: 'Korea Institute of Science and Technology', kind: '출연연구기관' });
  fill(wb, 'Sessions', 2, { stop: '1', kind: 'Policy briefing', title: 'Opening', startTime: new Date(Date.UTC(1899, 11, 30, 9, 30)), endTime: '10:30', room: 'Hall A', capacity: 300 });
  fill(wb, 'Sessions', 3, { stop: '1', kind: 'booth_hours', title: 'Booths', startTime: '10:30', endTime: '17:00', room: 'Hall B' });
  fill(wb, 'Booths', 2, { stop: '1', institution: 'KAIST', location: 'B07', staff: 'Lee Seoyeon; Kim Minji', startTime: '13:00', endTime: '17:00', slotMinutes: 20, capacity: 2, breaks: '15:00-15:20', fields: 'AI; 반도체' });
  fill(wb, 'Booths', 3, { stop: '2', institution: 'kist', location: 'A01' });
  fill(wb, 'Staff', 2, { name: 'Lee Seoyeon', role: 'Booth staff', institution: 'KAIST', stops: '1; 2' });
  fill(wb, 'Staff', 3, { name: 'Park Jiwoo', role: '데스크 직원', stops: '1' });
  return wb;
}

describe('tour spreadsheet handlers', () => {
  let store: Store;
  let ctx: ApiContext;
  beforeEach(async () => {
    store = createTestStore();
    ctx = createTestContext(store, { actorId: 'staff-hq' });
    await callApi(ctx, 'tour:upsert', { id: 'tour-2026', name: 'Roadshow 2026', year: 2026, startDate: '2026-10-01', endDate: '2026-11-30' });
  });
  afterEach(() => disposeTestStore(store));

  it('template → fill → check (writes nothing) → apply (one transaction) → the same file again writes nothing', async () => {
    const base64 = await toBase64(await filledTemplate(ctx));
    const before = eventCount(store);

    const checked = await callApi(ctx, 'tourplan:check', { tourId: 'tour-2026', base64 });
    expect(checked.problems).toEqual([]);
    expect(checked).toMatchObject({ ok: true, written: 0 });
    expect(checked.counts.Stops).toEqual({ rows: 2, created: 2, changed: 0, unchanged: 0 });
    expect(checked.counts.Booths).toEqual({ rows: 2, created: 2, changed: 0, unchanged: 0 });
    expect(eventCount(store)).toBe(before);

    const applied = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64 });
    expect(applied.ok).toBe(true);
    // 2 stops, 2 institutions, 2 sessions, 2 booths + 1 plan, 2 staff.
    expect(applied.written).toBe(11);
    expect(eventCount(store)).toBe(before + 11);
    const actors = store.db.prepare('SELECT DISTINCT actor_id AS a FROM events WHERE local_seq > ?').all(before) as { a: string }[];
    expect(actors).toEqual([{ a: 'staff-hq' }]);

    const stops = (await callApi(ctx, 'tours:list', {})) && (await callApi(ctx, 'stops:list', {}));
    const boston = stops.find((s) => s.city === 'Boston')!;
    expect(boston).toMatchObject({ tourId: 'tour-2026', round: '1', date: '2026-10-14', timeZone: 'America/New_York', kind: 'joint_briefing', cityKo: '보스턴' });
    const sessions = await callApi(ctx, 'sessions:list', { stopId: boston.id });
    expect(sessions.find((s) => s.title === 'Opening')).toMatchObject({ startTime: '09:30', endTime: '10:30', capacity: 300, kind: 'policy_briefing' });
    const booths = await callApi(ctx, 'booths:list', { stopId: boston.id });
    expect(booths).toHaveLength(1);
    expect(booths[0]).toMatchObject({ location: 'B07', staff: ['Lee Seoyeon', 'Kim Minji'], institution: { shortName: 'KAIST', programs: ['InnoCORE postdoc', 'Brain to Korea'] } });
    const staff = await callApi(ctx, 'staff:list', {});
    expect(staff.find((s) => s.name === 'Lee Seoyeon')).toMatchObject({ role: 'booth_staff', institutionId: booths[0]!.institutionId, pinSet: false });

    const again = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64 });
    expect(again).toMatchObject({ ok: true, written: 0, problems: [] });
    expect(again.counts.Stops).toEqual({ rows: 2, created: 0, changed: 0, unchanged: 2 });
    expect(eventCount(store)).toBe(before + 11);
  });

  for (const language of ['en', 'ko'] as const) {
    it(`export (${language}) → upload is a no-op; one changed cell writes one event`, async () => {
      await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64: await toBase64(await filledTemplate(ctx)) });
      const exported = await callApi(ctx, 'tourplan:export', { tourId: 'tour-2026', language });
      expect(exported.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = await load(exported.base64);
      const stops = wb.getWorksheet('Stops')!;
      expect(String(stops.getCell('A2').value)).toMatch(/^stop-/);
      expect(stops.getCell('I2').value).toBe(language === 'ko' ? '합동 설명회' : 'Joint briefing');

      const before = eventCount(store);
      const report = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64: exported.base64 });
      expect(report.problems).toEqual([]);
      expect(report.written).toBe(0);
      expect(eventCount(store)).toBe(before);

      // Rename a city through its id: the same stop changes, nothing else.
      stops.getCell('C2').value = 'Cambridge';
      const renamed = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64: await toBase64(wb) });
      expect(renamed).toMatchObject({ ok: true, written: 1 });
      expect(renamed.counts.Stops).toEqual({ rows: 2, created: 0, changed: 1, unchanged: 1 });
      expect((await callApi(ctx, 'stops:list', {})).map((s) => s.city).sort()).toEqual(['Austin', 'Cambridge']);
    });
  }

  it('an upload with one bad cell writes nothing and names the cell in both languages', async () => {
    const wb = await filledTemplate(ctx);
    fill(wb, 'Stops', 3, { timeZone: 'America/Bostn' });
    const before = eventCount(store);
    const report = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64: await toBase64(wb) });
    expect(report.ok).toBe(false);
    expect(report.written).toBe(0);
    expect(report.problems).toEqual([{ sheet: 'Stops', row: 3, column: 'timeZone', cell: 'H3', code: 'unknown_time_zone', value: 'America/Bostn', details: {} }]);
    expect(eventCount(store)).toBe(before);
    expect(await callApi(ctx, 'institutions:list', {})).toEqual([]);
    const { problemMessage } = await import('../../../core/domain/tourSheetText');
    expect(problemMessage(report.problems[0]!, 'en')).toBe('Stops!H3: “America/Bostn” is not a time zone (IANA name such as America/New_York).');
    expect(problemMessage(report.problems[0]!, 'ko')).toBe('Stops!H3: “America/Bostn”은(는) 알 수 없는 시간대입니다 (예: America/New_York).');
  });

  it('a booth whose plan yields no slots, and overlapping sessions, are reported before anything is written', async () => {
    const wb = await filledTemplate(ctx);
    fill(wb, 'Booths', 2, { startTime: '13:00', endTime: '13:30', slotMinutes: 45, breaks: '' });
    fill(wb, 'Sessions', 4, { stop: '1', kind: 'other', title: 'Lunch talk', startTime: '10:00', endTime: '11:00', room: 'hall a' });
    const before = eventCount(store);
    const report = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64: await toBase64(wb) });
    expect(report.problems.map((p) => `${p.sheet}!${p.cell} ${p.code}`)).toEqual(['Sessions!F4 sessions_overlap', 'Booths!H2 bad_plan']);
    expect(eventCount(store)).toBe(before);
  });

  it('apply writes in one transaction: a failure on the fifth event keeps none of the first four', async () => {
    const base64 = await toBase64(await filledTemplate(ctx));
    const before = eventCount(store);
    const events = store.events;
    const original = events.append.bind(events);
    let calls = 0;
    events.append = ((...args: Parameters<typeof original>) => {
      if (++calls === 5) throw new Error('disk full');
      return original(...args);
    }) as typeof events.append;
    try {
      const error = await callApiError(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64 });
      expect(error.code).toBe('INTERNAL');
    } finally {
      events.append = original;
    }
    expect(calls).toBe(5);
    expect(eventCount(store)).toBe(before);
    expect(await callApi(ctx, 'stops:list', {})).toEqual([]);
  });

  it('the demo tour (eleven stops, its institutions, booths with plans, staff) exports and uploads back as a no-op', async () => {
    const demo = createTestStore({ demo: true, attendees: 10, schedules: true });
    try {
      const demoCtx = createTestContext(demo);
      const tour = (await callApi(demoCtx, 'tours:list', {}))[0]!;
      for (const language of ['ko', 'en'] as const) {
        const file = await callApi(demoCtx, 'tourplan:export', { tourId: tour.id, language });
        const before = eventCount(demo);
        const report = await callApi(demoCtx, 'tourplan:apply', { tourId: tour.id, base64: file.base64 });
        expect(report.problems).toEqual([]);
        expect(report.written).toBe(0);
        expect(report.counts.Stops.rows).toBeGreaterThan(5);
        expect(report.counts.Booths.unchanged).toBe(report.counts.Booths.rows);
        expect(eventCount(demo)).toBe(before);
      }
    } finally {
      disposeTestStore(demo);
    }
  });

  it('a file that is no workbook is reported unreadable; an unknown tour is NOT_FOUND', async () => {
    const before = eventCount(store);
    const report = await callApi(ctx, 'tourplan:apply', { tourId: 'tour-2026', base64: Buffer.from('round,city\n1,Boston\n').toString('base64') });
    expect(report).toMatchObject({ ok: false, written: 0, problems: [{ code: 'unreadable', sheet: 'Stops', cell: null }] });
    expect(eventCount(store)).toBe(before);
    const base64 = await toBase64(await filledTemplate(ctx));
    expect((await callApiError(ctx, 'tourplan:check', { tourId: 'tour-nope', base64 })).code).toBe('NOT_FOUND');
    expect((await callApiError(ctx, 'tourplan:export', { tourId: 'tour-nope', language: 'en' })).code).toBe('NOT_FOUND');
  });
});
