import { describe, expect, it } from 'vitest';
import {
  deterministicId,
  parseSheetDate,
  parseSheetTime,
  planTourSheet,
  TOUR_SHEET_COLUMNS,
  tourSheetRows,
  type TourSheetChange,
  type TourSheetData,
  type TourSheetInput,
  type TourSheetRowsOut,
  type TourSheetState,
} from '../../../core/domain/tourSheet';
import { problemMessage } from '../../../core/domain/tourSheetText';
import { Id } from '../../../shared/schemas/common';
import { TOUR_SHEET_PROBLEMS, TOUR_SHEETS, type TourSheetName, type TourSheetProblem } from '../../../shared/schemas/tourSheet';

const letter = (i: number): string => String.fromCharCode(65 + i);

function baseState(): TourSheetState {
  return {
    tour: { id: 'tour-2025', name: 'Roadshow 2025', nameKo: '로드쇼 2025', year: 2025, startDate: '2025-10-01', endDate: '2025-11-30' },
    stops: [
      { id: 'stop-1', tourId: 'tour-2025', round: '1', city: 'Boston', cityKo: '보스턴', venue: 'MIT Stata', campus: 'MIT', date: '2025-10-14', timeZone: 'America/New_York', kind: 'joint_briefing' },
      { id: 'stop-2', tourId: 'tour-2025', round: '2', city: 'Austin', cityKo: '오스틴', venue: 'UT', campus: '', date: '2025-11-03', timeZone: 'America/Chicago', kind: 'campus_roadshow' },
    ],
    institutions: [
      { id: 'inst-kaist', name: 'Korea Advanced Institute of Science and Technology', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university', programs: ['InnoCORE postdoc', 'Brain to Korea'], contactName: 'Park', contactEmail: 'park@kaist.ac.kr' },
      { id: 'inst-kist', name: 'Korea Institute of Science and Technology', nameKo: '한국과학기술연구원', shortName: 'KIST', kind: 'research_institute', programs: [], contactName: '', contactEmail: '' },
    ],
    sessions: [
      { id: 'sess-1', stopId: 'stop-1', kind: 'policy_briefing', title: 'Opening', titleKo: '개회', startTime: '10:00', endTime: '11:00', room: 'Hall A', capacity: 300, cancelled: false },
    ],
    booths: [
      {
        id: 'booth-1',
        stopId: 'stop-1',
        institutionId: 'inst-kaist',
        location: 'B07',
        staff: ['Lee Seoyeon', 'Kim Minji'],
        removed: false,
        plan: { startTime: '13:00', endTime: '17:00', slotMinutes: 20, capacity: 2, breaks: [{ start: '15:00', end: '15:20' }], fields: ['ai', 'semiconductors'] },
      },
    ],
    staff: [
      { id: 'staff-lee', name: 'Lee Seoyeon', role: 'booth_staff', institutionId: 'inst-kaist', stopIds: ['stop-1', 'stop-other-tour'], active: true },
      { id: 'staff-choi', name: 'Choi Hyunwoo', role: 'hq_admin', institutionId: null, stopIds: [], active: true },
    ],
  };
}

/** Sheets as the reader gives them: columns in the template's order (A, B, …), data from row 2. */
function toInput(rows: TourSheetRowsOut): TourSheetInput {
  const out: TourSheetInput = {};
  for (const sheet of TOUR_SHEETS) {
    const keys = TOUR_SHEET_COLUMNS[sheet].map((c) => c.key);
    out[sheet] = {
      columns: Object.fromEntries(keys.map((k, i) => [k, letter(i)])),
      rows: rows[sheet].map((r, i) => ({ row: i + 2, cells: { ...r } })),
    };
  }
  return out;
}
const exported = (state = baseState(), language: 'en' | 'ko' = 'en') => toInput(tourSheetRows(state, language));

function setCell(input: TourSheetInput, sheet: TourSheetName, row: number, key: string, value: string): TourSheetInput {
  const data = input[sheet]!;
  return { ...input, [sheet]: { ...data, rows: data.rows.map((r) => (r.row === row ? { ...r, cells: { ...r.cells, [key]: value } } : r)) } };
}
function addRow(input: TourSheetInput, sheet: TourSheetName, cells: Record<string, string>): TourSheetInput {
  const data = input[sheet]!;
  const row = (data.rows.at(-1)?.row ?? 1) + 1;
  return { ...input, [sheet]: { ...data, rows: [...data.rows, { row, cells }] } };
}
function only(problems: TourSheetProblem[]): TourSheetProblem {
  expect(problems, JSON.stringify(problems, null, 1)).toHaveLength(1);
  return problems[0]!;
}

/** Folds planned changes into a state, as the projections would. */
function applyChanges(state: TourSheetState, changes: TourSheetChange[]): TourSheetState {
  const s = structuredClone(state) as TourSheetState & { stops: TourSheetState['stops'][number][] };
  const upsert = <T extends { id: string }>(list: readonly T[], v: T): T[] => [...list.filter((x) => x.id !== v.id), v];
  let next: TourSheetState = s;
  for (const c of changes) {
    if (c.type === 'stop_upserted') next = { ...next, stops: upsert(next.stops, c.payload) };
    if (c.type === 'institution_upserted') next = { ...next, institutions: upsert(next.institutions, c.payload) };
    if (c.type === 'stop_session_upserted') next = { ...next, sessions: upsert(next.sessions, c.payload) };
    if (c.type === 'booth_upserted') next = { ...next, booths: upsert(next.booths, { ...c.payload, plan: next.booths.find((b) => b.id === c.payload.id)?.plan ?? null }) };
    if (c.type === 'booth_plan_set') {
      const { boothId, stopId: _s, copiedFromStopId: _c, ...plan } = c.payload;
      next = { ...next, booths: next.booths.map((b) => (b.id === boothId ? { ...b, plan } : b)) };
    }
    if (c.type === 'staff_upserted') {
      const { staffId, ...p } = c.payload;
      next = { ...next, staff: upsert(next.staff, { id: staffId, ...p, active: true }) };
    }
  }
  return next;
}

describe('tour sheet: round trip', () => {
  for (const language of ['en', 'ko'] as const) {
    it(`the export of a tour (${language}) plans no change`, () => {
      const plan = planTourSheet(exported(baseState(), language), baseState());
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([]);
      expect(plan.counts.Stops).toEqual({ rows: 2, created: 0, changed: 0, unchanged: 2 });
      expect(plan.counts.Booths).toEqual({ rows: 1, created: 0, changed: 0, unchanged: 1 });
      expect(plan.counts.Staff).toEqual({ rows: 2, created: 0, changed: 0, unchanged: 2 });
    });
  }

  it('without ids, rows match by natural key and still change nothing', () => {
    const rows = tourSheetRows(baseState(), 'en');
    for (const sheet of TOUR_SHEETS) for (const r of rows[sheet]) r.id = '';
    // Keys compare without case: "kaist" is KAIST, "lee seoyeon" is Lee Seoyeon.
    rows.Booths[0]!.institution = 'kaist';
    rows.Staff.find((s) => s.name === 'Lee Seoyeon')!.name = 'Lee Seoyeon';
    rows.Institutions[0]!.shortName = 'kaist';
    const plan = planTourSheet(toInput(rows), baseState());
    expect(plan.problems).toEqual([]);
    // Only the short name's spelling changed.
    expect(plan.changes.map((c) => c.type)).toEqual(['institution_upserted']);
  });

  it('a new row gets a deterministic id: the same file uploaded twice creates nothing the second time', () => {
    let input = addRow(exported(), 'Stops', { round: '3', city: 'Atlanta', date: '2025-11-10', timeZone: 'America/New_York', kind: 'Company IR' });
    input = addRow(input, 'Institutions', { shortName: 'POSTECH', name: 'Pohang University of Science and Technology', kind: '대학', programs: 'InnoCORE; BK21\nOwn fellowship' });
    input = addRow(input, 'Sessions', { stop: '3', kind: 'IR round', title: 'IR pitch', startTime: '14:00', endTime: '15:30', room: 'Room 1' });
    input = addRow(input, 'Booths', { stop: '3', institution: 'postech', location: 'C1', staff: 'Ahn', startTime: '10:00', endTime: '12:00', slotMinutes: '30', capacity: '1' });
    input = addRow(input, 'Staff', { name: 'Ahn Jisoo', role: 'Booth staff', institution: 'POSTECH', stops: '3, 1' });
    const state = baseState();
    const first = planTourSheet(input, state);
    expect(first.problems).toEqual([]);
    expect(first.changes.map((c) => c.type)).toEqual(['stop_upserted', 'institution_upserted', 'stop_session_upserted', 'booth_upserted', 'booth_plan_set', 'staff_upserted']);
    expect(first.counts.Stops).toEqual({ rows: 3, created: 1, changed: 0, unchanged: 2 });
    const stop = first.changes[0]!.payload as { id: string };
    expect(stop.id).toBe(deterministicId('stop', ['tour-2025', 'Stops', '3']));
    for (const c of first.changes) {
      const id = 'id' in c.payload ? c.payload.id : 'boothId' in c.payload ? c.payload.boothId : c.payload.staffId;
      expect(Id.safeParse(id).success, id).toBe(true);
    }
    const inst = first.changes[1]!.payload as { programs: string[] };
    expect(inst.programs).toEqual(['InnoCORE', 'BK21', 'Own fellowship']);
    const staff = first.changes[5]!.payload as { stopIds: string[]; institutionId: string };
    expect(staff.stopIds).toEqual([stop.id, 'stop-1'].sort());
    // Uploaded again (without ids), after the first upload landed: nothing to write.
    const again = planTourSheet(input, applyChanges(state, first.changes));
    expect(again.problems).toEqual([]);
    expect(again.changes).toEqual([]);
    expect(again.counts.Stops.created).toBe(0);
    // The same new file on another laptop, before any sync, mints the same ids.
    expect(planTourSheet(input, state).changes).toEqual(first.changes);
  });

  it('a changed cell changes that record only; absent optional columns keep the current values', () => {
    let input = setCell(exported(), 'Stops', 2, 'venue', 'Kresge Auditorium');
    const data = input.Stops!;
    const { cityKo: _drop, ...columns } = data.columns;
    input = { ...input, Stops: { ...data, columns } as TourSheetData };
    const plan = planTourSheet(input, baseState());
    expect(plan.problems).toEqual([]);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({ type: 'stop_upserted', stopId: 'stop-1', payload: { id: 'stop-1', venue: 'Kresge Auditorium', cityKo: '보스턴' } });
    expect(plan.counts.Stops).toEqual({ rows: 2, created: 0, changed: 1, unchanged: 1 });
  });

  it('a booth plan change is a booth_plan_set only; the staff of other tours stay', () => {
    let input = setCell(exported(), 'Booths', 2, 'breaks', '15:00-15:20; 16:00 – 16:10');
    input = setCell(input, 'Staff', 3, 'stops', '1; 2');
    const plan = planTourSheet(input, baseState());
    expect(plan.problems).toEqual([]);
    expect(plan.changes.map((c) => c.type)).toEqual(['booth_plan_set', 'staff_upserted']);
    expect(plan.changes[0]!.payload).toMatchObject({ boothId: 'booth-1', stopId: 'stop-1', breaks: [{ start: '15:00', end: '15:20' }, { start: '16:00', end: '16:10' }], copiedFromStopId: null });
    expect(plan.changes[1]!.payload).toMatchObject({ staffId: 'staff-lee', stopIds: ['stop-1', 'stop-2', 'stop-other-tour'] });
  });

  it('kinds and booleans take the key, the English or the Korean label', () => {
    const variants = ['joint_briefing', 'Joint briefing', 'JOINT-BRIEFING', '합동 설명회'];
    for (const v of variants) {
      const plan = planTourSheet(setCell(exported(), 'Stops', 2, 'kind', v), baseState());
      expect(plan.problems, v).toEqual([]);
      expect(plan.changes, v).toEqual([]);
    }
    for (const [v, cancelled] of [['yes', true], ['예', true], ['x', true], ['1', true], ['TRUE', true], ['아니오', false], ['no', false], ['0', false], ['', false], ['false', false]] as const) {
      const plan = planTourSheet(setCell(exported(), 'Sessions', 2, 'cancelled', v), baseState());
      expect(plan.problems, v).toEqual([]);
      expect(plan.changes.length, v).toBe(cancelled ? 1 : 0);
    }
  });
});

describe('tour sheet: every bad cell, with its reference', () => {
  const check = (input: TourSheetInput, state = baseState()) => {
    const plan = planTourSheet(input, state);
    if (plan.problems.length > 0) expect(plan.changes).toEqual([]);
    return plan.problems;
  };

  it('unknown time zone (Intl)', () => {
    const p = only(check(setCell(exported(), 'Stops', 2, 'timeZone', 'America/Bostn')));
    expect(p).toMatchObject({ sheet: 'Stops', row: 2, column: 'timeZone', cell: 'H2', code: 'unknown_time_zone', value: 'America/Bostn' });
    expect(problemMessage(p, 'en')).toBe('Stops!H2: “America/Bostn” is not a time zone (IANA name such as America/New_York).');
    expect(problemMessage(p, 'ko')).toBe('Stops!H2: “America/Bostn”은(는) 알 수 없는 시간대입니다 (예: America/New_York).');
    expect(check(setCell(exported(), 'Stops', 2, 'timeZone', '+09:00'))[0]?.code).toBe('unknown_time_zone');
    expect(check(setCell(exported(), 'Stops', 2, 'timeZone', 'Asia/Seoul'))).toEqual([]);
  });

  it('date outside the tour (its dates, else its year), and bad dates', () => {
    const p = only(check(setCell(exported(), 'Stops', 3, 'date', '2025-12-01')));
    expect(p).toMatchObject({ cell: 'G3', code: 'date_outside_tour', value: '2025-12-01', details: { from: '2025-10-01', to: '2025-11-30' } });
    expect(problemMessage(p, 'en')).toBe('Stops!G3: 2025-12-01 is outside the tour (2025-10-01 to 2025-11-30).');
    expect(problemMessage(p, 'ko')).toContain('Stops!G3: 2025-12-01은(는) 투어 기간(2025-10-01~2025-11-30) 밖입니다.');
    const open = baseState();
    open.tour = { ...open.tour, startDate: null, endDate: null };
    expect(check(setCell(exported(), 'Stops', 3, 'date', '2025-12-01'), open)).toEqual([]);
    expect(only(check(setCell(exported(), 'Stops', 3, 'date', '2026-01-02'), open))).toMatchObject({ code: 'date_outside_tour', details: { from: '2025-01-01', to: '2025-12-31' } });
    expect(only(check(setCell(exported(), 'Stops', 3, 'date', '2025-02-30')))).toMatchObject({ cell: 'G3', code: 'bad_date' });
    expect(only(check(setCell(exported(), 'Stops', 3, 'date', 'next Tuesday')))).toMatchObject({ cell: 'G3', code: 'bad_date' });
    // Korean spelling of a date is a date.
    expect(check(setCell(exported(), 'Stops', 3, 'date', '2025. 11. 3.'))).toEqual([]);
  });

  it('required, too long, unknown kind, duplicate key, bad id', () => {
    expect(only(check(setCell(exported(), 'Stops', 2, 'city', '  ')))).toMatchObject({ cell: 'C2', code: 'required' });
    expect(only(check(setCell(exported(), 'Stops', 2, 'city', 'x'.repeat(101))))).toMatchObject({ cell: 'C2', code: 'too_long', details: { max: 100 } });
    const kind = only(check(setCell(exported(), 'Stops', 2, 'kind', 'festival')));
    expect(kind).toMatchObject({ cell: 'I2', code: 'unknown_kind', value: 'festival' });
    expect(problemMessage(kind, 'en')).toContain('joint_briefing / Joint briefing / 합동 설명회');
    const dup = only(check(setCell(setCell(exported(), 'Stops', 3, 'round', '1'), 'Stops', 3, 'id', '')));
    expect(dup).toMatchObject({ cell: 'B3', code: 'duplicate', value: '1', details: { otherRow: 2 } });
    expect(problemMessage(dup, 'en')).toBe('Stops!B3: “1” is already on row 2.');
    expect(problemMessage(dup, 'ko')).toBe('Stops!B3: “1”은(는) 이미 2행에 있습니다.');
    // With its id kept, row 3 would take round 1 from stop-1, which the sheet keeps: still a duplicate.
    expect(only(check(setCell(exported(), 'Stops', 3, 'round', '1')))).toMatchObject({ cell: 'B3', code: 'duplicate' });
    expect(only(check(setCell(exported(), 'Stops', 2, 'id', 'stop 1!')))).toMatchObject({ cell: 'A2', code: 'bad_id' });
    expect(only(check(setCell(exported(), 'Institutions', 3, 'shortName', 'kaist')))).toMatchObject({ sheet: 'Institutions', cell: 'B3', code: 'duplicate' });
  });

  it('a renamed key that another record keeps (not in the sheet) is a duplicate', () => {
    const input = exported();
    const stops = { ...input.Stops!, rows: input.Stops!.rows.filter((r) => r.row === 3) };
    const p = only(check({ ...input, Stops: { ...stops, rows: [{ row: 2, cells: { ...stops.rows[0]!.cells, round: '1' } }] } }));
    expect(p).toMatchObject({ cell: 'B2', code: 'duplicate', details: { otherId: 'stop-1' } });
    expect(problemMessage(p, 'en')).toBe('Stops!B2: “1” is already used by another record (stop-1).');
  });

  it('sessions: unknown stop, bad time, end before start, bad number', () => {
    const stop = only(check(setCell(exported(), 'Sessions', 2, 'stop', '9')));
    expect(stop).toMatchObject({ sheet: 'Sessions', cell: 'B2', code: 'unknown_stop', value: '9' });
    expect(problemMessage(stop, 'ko')).toBe('Sessions!B2: 차수가 “9”인 방문지가 없습니다 (방문지 시트 또는 투어).');
    expect(only(check(setCell(exported(), 'Sessions', 2, 'startTime', '25:00')))).toMatchObject({ cell: 'F2', code: 'bad_time' });
    const end = only(check(setCell(exported(), 'Sessions', 2, 'endTime', '09:30')));
    expect(end).toMatchObject({ cell: 'G2', code: 'end_before_start', value: '09:30', details: { start: '10:00' } });
    expect(problemMessage(end, 'en')).toBe('Sessions!G2: The end 09:30 is not after the start 10:00.');
    for (const v of ['abc', '0', '2.5', '-3', '100001']) {
      expect(only(check(setCell(exported(), 'Sessions', 2, 'capacity', v))), v).toMatchObject({ cell: 'I2', code: 'bad_number', details: { min: 1, max: 100000 } });
    }
    expect(only(check(setCell(exported(), 'Sessions', 2, 'cancelled', 'maybe')))).toMatchObject({ cell: 'J2', code: 'unknown_kind' });
    expect(only(check(setCell(exported(), 'Sessions', 2, 'kind', 'party')))).toMatchObject({ cell: 'C2', code: 'unknown_kind' });
  });

  it('sessions of one stop must not overlap in one room (cancelled ones and other rooms aside)', () => {
    const talk = { stop: '1', kind: 'campus_talk', title: 'Talk', startTime: '10:30', endTime: '11:30', room: 'hall a' };
    const p = only(check(addRow(exported(), 'Sessions', talk)));
    expect(p).toMatchObject({ sheet: 'Sessions', row: 3, cell: 'F3', code: 'sessions_overlap', details: { other: 'Opening', otherRow: 2, otherStart: '10:00', otherEnd: '11:00' } });
    expect(problemMessage(p, 'en')).toBe('Sessions!F3: This session overlaps “Opening” (10:00–11:00, row 2) in room hall a.');
    expect(check(addRow(exported(), 'Sessions', { ...talk, cancelled: 'yes' }))).toEqual([]);
    expect(check(addRow(exported(), 'Sessions', { ...talk, room: 'Hall B' }))).toEqual([]);
    expect(check(addRow(exported(), 'Sessions', { ...talk, room: '' }))).toEqual([]);
    expect(check(addRow(exported(), 'Sessions', { ...talk, stop: '2' }))).toEqual([]);
    // Back to back is not an overlap.
    expect(check(addRow(exported(), 'Sessions', { ...talk, startTime: '11:00', endTime: '12:00' }))).toEqual([]);
    // A session the sheet leaves out still holds its room.
    const without = exported();
    const q = only(check(addRow({ ...without, Sessions: { ...without.Sessions!, rows: [] } }, 'Sessions', talk)));
    expect(q).toMatchObject({ row: 2, code: 'sessions_overlap', details: { other: 'Opening' } });
    expect(q.details.otherRow).toBeUndefined();
  });

  it('institutions: bad email, unknown kind', () => {
    const p = only(check(setCell(exported(), 'Institutions', 2, 'contactEmail', 'park@')));
    expect(p).toMatchObject({ sheet: 'Institutions', cell: 'H2', code: 'bad_email', value: 'park@' });
    expect(problemMessage(p, 'ko')).toBe('Institutions!H2: “park@”은(는) 이메일 주소가 아닙니다.');
    expect(only(check(setCell(exported(), 'Institutions', 2, 'kind', 'school')))).toMatchObject({ cell: 'E2', code: 'unknown_kind' });
    expect(check(setCell(exported(), 'Institutions', 2, 'kind', '출연연구기관'))[0]).toBeUndefined();
  });

  it('booths: unknown institution and stop, one per institution per stop, and the plan rules', () => {
    const inst = only(check(setCell(exported(), 'Booths', 2, 'institution', 'SNU')));
    expect(inst).toMatchObject({ sheet: 'Booths', cell: 'C2', code: 'unknown_institution', value: 'SNU' });
    expect(problemMessage(inst, 'en')).toBe('Booths!C2: No institution has the short name “SNU” (Institutions sheet or the app).');
    expect(only(check(setCell(exported(), 'Booths', 2, 'stop', '7')))).toMatchObject({ cell: 'B2', code: 'unknown_stop' });
    expect(only(check(addRow(exported(), 'Booths', { stop: '1', institution: 'KAIST', location: 'B09' })))).toMatchObject({ cell: 'C3', code: 'duplicate', details: { otherRow: 2 } });
    // A booth of an institution the same sheet adds is fine.
    const added = addRow(addRow(exported(), 'Institutions', { shortName: 'SNU', name: 'Seoul National University', kind: 'university' }), 'Booths', { stop: '2', institution: 'SNU' });
    expect(check(added)).toEqual([]);

    const noSlots = only(check(setCell(exported(), 'Booths', 2, 'slotMinutes', '240')));
    expect(noSlots).toMatchObject({ cell: 'H2', code: 'bad_plan', details: { reason: 'no_slots' } });
    expect(problemMessage(noSlots, 'en')).toBe('Booths!H2: The consultation plan does not work: the hours leave no consultation slot.');
    expect(problemMessage(noSlots, 'ko')).toBe('Booths!H2: 상담 계획이 맞지 않습니다: 상담 시간대가 하나도 나오지 않습니다.');
    expect(only(check(setCell(exported(), 'Booths', 2, 'breaks', '12:00-12:30')))).toMatchObject({ cell: 'J2', code: 'bad_plan', details: { reason: 'break_outside_hours' } });
    expect(only(check(setCell(exported(), 'Booths', 2, 'breaks', '15:00-15:30; 15:20-15:40')))).toMatchObject({ cell: 'J2', code: 'bad_plan', details: { reason: 'breaks_overlap' } });
    expect(only(check(setCell(exported(), 'Booths', 2, 'breaks', 'lunch')))).toMatchObject({ cell: 'J2', code: 'bad_plan', details: { reason: 'bad_break' }, value: 'lunch' });
    expect(only(check(setCell(exported(), 'Booths', 2, 'endTime', '12:00')))).toMatchObject({ cell: 'G2', code: 'end_before_start' });
    expect(only(check(setCell(exported(), 'Booths', 2, 'capacity', '')))).toMatchObject({ cell: 'I2', code: 'bad_plan', details: { reason: 'incomplete' } });
    expect(only(check(setCell(exported(), 'Booths', 2, 'capacity', '51')))).toMatchObject({ cell: 'I2', code: 'bad_number', details: { min: 1, max: 50 } });
    expect(only(check(setCell(exported(), 'Booths', 2, 'slotMinutes', '4')))).toMatchObject({ cell: 'H2', code: 'bad_number', details: { min: 5, max: 240 } });
    expect(only(check(setCell(exported(), 'Booths', 2, 'fields', 'AI; alchemy')))).toMatchObject({ cell: 'K2', code: 'unknown_kind', value: 'alchemy' });
    expect(check(setCell(exported(), 'Booths', 2, 'fields', 'ai; 반도체'))).toEqual([]);
    expect(only(check(setCell(exported(), 'Booths', 2, 'removed', 'perhaps')))).toMatchObject({ cell: 'L2', code: 'unknown_kind' });
  });

  it('a booth or session keeps its stop: an id of another stop is refused', () => {
    const p = only(check(setCell(exported(), 'Booths', 2, 'stop', '2')));
    expect(p).toMatchObject({ cell: 'B2', code: 'stop_changed', details: { currentStop: '1' } });
    expect(problemMessage(p, 'en')).toContain('Booths!B2: This row has the id of a record of stop 1');
    expect(only(check(setCell(exported(), 'Sessions', 2, 'stop', '2')))).toMatchObject({ cell: 'B2', code: 'stop_changed' });
  });

  it('staff: unknown role, booth staff without institution, unknown stop round', () => {
    const role = only(check(setCell(exported(), 'Staff', 2, 'role', 'boss')));
    expect(role).toMatchObject({ sheet: 'Staff', cell: 'C2', code: 'unknown_role', value: 'boss' });
    expect(problemMessage(role, 'en')).toContain('Staff!C2: “boss” is not a role (desk_staff / Desk staff / 데스크 직원');
    const lee = 3; // sorted by name: Choi (2), Lee (3)
    const needs = only(check(setCell(exported(), 'Staff', lee, 'institution', '')));
    expect(needs).toMatchObject({ cell: 'D3', code: 'needs_institution' });
    expect(problemMessage(needs, 'ko')).toBe('Staff!D3: 부스 직원은 기관(약칭)이 필요합니다.');
    expect(only(check(setCell(exported(), 'Staff', lee, 'institution', 'SNU')))).toMatchObject({ cell: 'D3', code: 'unknown_institution' });
    expect(only(check(setCell(exported(), 'Staff', lee, 'stops', '1; 12')))).toMatchObject({ cell: 'E3', code: 'unknown_stop', value: '12' });
    // Only booth staff belong to an institution (as staff:plan keeps it): a desk person's is dropped.
    const plan = planTourSheet(setCell(exported(), 'Staff', 2, 'institution', 'KIST'), baseState());
    expect(plan.problems).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it('a missing sheet or required column is named; problems of many cells are all listed', () => {
    const { Staff: _s, ...noStaff } = exported();
    expect(only(check(noStaff))).toMatchObject({ sheet: 'Staff', row: null, cell: null, code: 'missing_sheet' });
    const input = exported();
    const { timeZone: _t, ...columns } = input.Stops!.columns;
    const p = only(check({ ...input, Stops: { ...input.Stops!, columns } }));
    expect(p).toMatchObject({ sheet: 'Stops', row: 1, column: 'timeZone', code: 'missing_column' });
    expect(problemMessage(p, 'en')).toBe('Stops, row 1: The column “timeZone” is missing from the header row.');
    let many = setCell(exported(), 'Stops', 2, 'timeZone', 'Mars/Olympus');
    many = setCell(many, 'Stops', 3, 'date', '2024-11-03');
    many = setCell(many, 'Institutions', 2, 'contactEmail', 'nope');
    expect(check(many).map((x) => `${x.sheet}!${x.cell}:${x.code}`)).toEqual(['Stops!H2:unknown_time_zone', 'Stops!G3:date_outside_tour', 'Institutions!H2:bad_email']);
  });

  it('every problem code has a message in both languages', () => {
    for (const code of TOUR_SHEET_PROBLEMS) {
      const p: TourSheetProblem = { sheet: 'Booths', row: 4, column: 'breaks', cell: 'J4', code, value: 'v', details: { reason: 'no_slots', max: 3, min: 1, start: '10:00', from: 'a', to: 'b', allowed: 'x', header: 'h', other: 'o', otherStart: '1', otherEnd: '2', room: 'r', otherRow: 2, currentStop: '1' } };
      for (const lang of ['en', 'ko'] as const) {
        const m = problemMessage(p, lang);
        expect(m.startsWith('Booths!J4: '), `${code} ${lang}`).toBe(true);
        expect(m.length, `${code} ${lang}`).toBeGreaterThan('Booths!J4: '.length + 5);
      }
    }
  });
});

describe('tour sheet: cell spellings', () => {
  it('times', () => {
    expect(parseSheetTime('9:05')).toBe('09:05');
    expect(parseSheetTime('14:30:00')).toBe('14:30');
    expect(parseSheetTime('2:30 PM')).toBe('14:30');
    expect(parseSheetTime('12:00 am')).toBe('00:00');
    expect(parseSheetTime('오후 2:30')).toBe('14:30');
    expect(parseSheetTime('24:00')).toBeNull();
    expect(parseSheetTime('13:00 PM')).toBeNull();
    expect(parseSheetTime('noon')).toBeNull();
  });
  it('dates', () => {
    expect(parseSheetDate('2025-10-14')).toBe('2025-10-14');
    expect(parseSheetDate('2025/1/4')).toBe('2025-01-04');
    expect(parseSheetDate('2025. 10. 14.')).toBe('2025-10-14');
    expect(parseSheetDate('2024-02-29')).toBe('2024-02-29');
    expect(parseSheetDate('2025-02-29')).toBeNull();
    expect(parseSheetDate('14/10/2025')).toBeNull();
  });
});
