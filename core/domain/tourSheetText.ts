import type { TourSheetName, TourSheetProblem, TourSheetProblemCode } from '../../shared/schemas/tourSheet';
import type { StaffRole } from '../../shared/schemas/staff';
import type { InstitutionKind, Language, SessionKind, StopKind } from '../../shared/vocab';

/**
 * The words of the tour spreadsheet in Korean and English: sheet names, column headers, the labels of
 * the kinds a cell may name, and one message per problem code. Kept in core (not renderer/i18n) because
 * the template and the export are written here, and the report must read the same in the app and in
 * a log. The kind labels repeat the renderer's (stopKind, institutionKind, security.role) on purpose:
 * what HQ types in the sheet is what the screens show.
 */

type Bilingual = Record<Language, string>;

export const SHEET_LABELS: Record<TourSheetName, Bilingual> = {
  Stops: { en: 'Stops', ko: '방문지' },
  Sessions: { en: 'Sessions', ko: '세션' },
  Institutions: { en: 'Institutions', ko: '기관' },
  Booths: { en: 'Booths', ko: '부스' },
  Staff: { en: 'Staff', ko: '스태프' },
};

/** Column headers, keyed by sheet and column key; the template writes "label (key)". */
export const COLUMN_LABELS: Record<TourSheetName, Record<string, Bilingual>> = {
  Stops: {
    id: { en: 'ID', ko: 'ID' },
    round: { en: 'Round', ko: '차수' },
    city: { en: 'City', ko: '도시(영문)' },
    cityKo: { en: 'City (Korean)', ko: '도시' },
    venue: { en: 'Venue', ko: '장소' },
    campus: { en: 'Campus', ko: '캠퍼스' },
    date: { en: 'Date', ko: '날짜' },
    timeZone: { en: 'Time zone', ko: '시간대' },
    kind: { en: 'Kind', ko: '유형' },
  },
  Sessions: {
    id: { en: 'ID', ko: 'ID' },
    stop: { en: 'Stop round', ko: '방문지 차수' },
    kind: { en: 'Kind', ko: '유형' },
    title: { en: 'Title', ko: '제목(영문)' },
    titleKo: { en: 'Title (Korean)', ko: '제목' },
    startTime: { en: 'Start', ko: '시작' },
    endTime: { en: 'End', ko: '종료' },
    room: { en: 'Room', ko: '장소(방)' },
    capacity: { en: 'Seats', ko: '좌석 수' },
    cancelled: { en: 'Cancelled', ko: '취소' },
  },
  Institutions: {
    id: { en: 'ID', ko: 'ID' },
    shortName: { en: 'Short name', ko: '약칭' },
    name: { en: 'Name', ko: '기관명(영문)' },
    nameKo: { en: 'Name (Korean)', ko: '기관명' },
    kind: { en: 'Kind', ko: '유형' },
    programs: { en: 'Programs', ko: '채용 프로그램' },
    contactName: { en: 'Contact', ko: '담당자' },
    contactEmail: { en: 'Contact email', ko: '담당자 이메일' },
  },
  Booths: {
    id: { en: 'ID', ko: 'ID' },
    stop: { en: 'Stop round', ko: '방문지 차수' },
    institution: { en: 'Institution (short name)', ko: '기관 약칭' },
    location: { en: 'Booth code', ko: '부스 번호' },
    staff: { en: 'Booth staff', ko: '부스 인원' },
    startTime: { en: 'Consultations from', ko: '상담 시작' },
    endTime: { en: 'Consultations until', ko: '상담 종료' },
    slotMinutes: { en: 'Slot minutes', ko: '상담 시간(분)' },
    capacity: { en: 'People per slot', ko: '슬롯당 상담 인원' },
    breaks: { en: 'Breaks', ko: '휴식 시간' },
    fields: { en: 'Research fields', ko: '연구 분야' },
    removed: { en: 'Removed', ko: '철수' },
  },
  Staff: {
    id: { en: 'ID', ko: 'ID' },
    name: { en: 'Name', ko: '이름' },
    role: { en: 'Role', ko: '역할' },
    institution: { en: 'Institution (short name)', ko: '기관 약칭' },
    stops: { en: 'Stop rounds', ko: '방문지 차수' },
  },
};

/** One line per column in the template's instructions sheet. */
export const COLUMN_HINTS: Record<TourSheetName, Record<string, Bilingual>> = {
  Stops: {
    id: { en: 'Leave empty for a new stop (filled by the export).', ko: '새 방문지는 비워 두세요 (내보내기가 채웁니다).' },
    round: { en: 'Required, unique in the tour: 1, 2, 3…', ko: '필수, 투어 안에서 유일: 1, 2, 3…' },
    city: { en: 'Required: Boston', ko: '필수: Boston' },
    date: { en: 'Required, within the tour: 2025-10-14', ko: '필수, 투어 기간 안: 2025-10-14' },
    timeZone: { en: 'Required, IANA name: America/New_York', ko: '필수, IANA 이름: America/New_York' },
    kind: { en: 'Required: one of the list', ko: '필수: 목록 중 하나' },
  },
  Sessions: {
    stop: { en: 'Required: the round of a stop', ko: '필수: 방문지의 차수' },
    title: { en: 'Required', ko: '필수' },
    startTime: { en: 'Required, local time HH:MM', ko: '필수, 현지 시각 HH:MM' },
    endTime: { en: 'Required, after the start', ko: '필수, 시작 이후' },
    room: { en: 'Sessions in one room must not overlap', ko: '같은 방의 세션은 겹치면 안 됩니다' },
    capacity: { en: 'Whole number, or empty', ko: '정수 또는 빈칸' },
    cancelled: { en: 'yes / no', ko: '예 / 아니오' },
  },
  Institutions: {
    shortName: { en: 'Required, unique: KAIST', ko: '필수, 유일: KAIST' },
    name: { en: 'Required', ko: '필수' },
    programs: { en: 'Separated by ";" or new lines', ko: '";" 또는 줄바꿈으로 구분' },
    contactEmail: { en: 'An email address, or empty', ko: '이메일 주소 또는 빈칸' },
  },
  Booths: {
    stop: { en: 'Required: the round of a stop', ko: '필수: 방문지의 차수' },
    institution: { en: 'Required: short name from the Institutions sheet', ko: '필수: 기관 시트의 약칭' },
    staff: { en: 'Names separated by ";"', ko: '";"로 구분한 이름' },
    startTime: { en: 'Consultation plan (all four or none): HH:MM', ko: '상담 계획 (네 칸 모두 또는 모두 비움): HH:MM' },
    slotMinutes: { en: '5 to 240', ko: '5~240' },
    capacity: { en: '1 to 50', ko: '1~50' },
    breaks: { en: '15:00-15:15; 17:00-17:10', ko: '15:00-15:15; 17:00-17:10' },
    fields: { en: 'Research fields separated by ";"', ko: '";"로 구분한 연구 분야' },
    removed: { en: 'yes / no', ko: '예 / 아니오' },
  },
  Staff: {
    name: { en: 'Required, unique', ko: '필수, 유일' },
    role: { en: 'Required: one of the list', ko: '필수: 목록 중 하나' },
    institution: { en: 'Required for booth staff', ko: '부스 직원은 필수' },
    stops: { en: 'Rounds separated by ";" (empty: every stop)', ko: '";"로 구분한 차수 (비우면 모든 방문지)' },
  },
};

export const STOP_KIND_LABELS: Record<StopKind, Bilingual> = {
  joint_briefing: { en: 'Joint briefing', ko: '합동 설명회' },
  campus_roadshow: { en: 'Campus roadshow', ko: '찾아가는 대학별 설명회' },
  company_ir: { en: 'Company IR', ko: '기업 IR' },
};

export const SESSION_KIND_LABELS: Record<SessionKind, Bilingual> = {
  policy_briefing: { en: 'Policy briefing', ko: '정책 설명회' },
  booth_hours: { en: 'Booth hours', ko: '부스 운영' },
  ir_round: { en: 'IR round', ko: 'IR 라운드' },
  campus_talk: { en: 'Campus talk', ko: '캠퍼스 강연' },
  other: { en: 'Other', ko: '기타' },
};

export const INSTITUTION_KIND_LABELS: Record<InstitutionKind, Bilingual> = {
  university: { en: 'University', ko: '대학' },
  research_institute: { en: 'Research institute', ko: '출연연구기관' },
  agency: { en: 'Agency', ko: '정부·공공기관' },
  company: { en: 'Company', ko: '기업' },
  association: { en: 'Association', ko: '협회' },
};

export const STAFF_ROLE_LABELS: Record<StaffRole, Bilingual> = {
  desk_staff: { en: 'Desk staff', ko: '데스크 직원' },
  booth_staff: { en: 'Booth staff', ko: '부스 직원' },
  stop_lead: { en: 'Stop lead', ko: '행사 책임자' },
  hq_admin: { en: 'HQ admin', ko: '본부 관리자' },
};

export const BOOLEAN_LABELS: Record<'yes' | 'no', Bilingual> = { yes: { en: 'yes', ko: '예' }, no: { en: 'no', ko: '아니오' } };

const PLAN_REASONS: Record<string, Bilingual> = {
  break_outside_hours: { en: 'a break is outside the consultation hours', ko: '휴식 시간이 상담 시간 밖에 있습니다' },
  break_end_before_start: { en: 'a break ends before it starts', ko: '휴식 시간의 종료가 시작보다 빠릅니다' },
  breaks_overlap: { en: 'two breaks overlap', ko: '휴식 시간이 서로 겹칩니다' },
  no_slots: { en: 'the hours leave no consultation slot', ko: '상담 시간대가 하나도 나오지 않습니다' },
  incomplete: { en: 'a plan needs start, end, slot minutes and people per slot (or none of them)', ko: '상담 계획에는 시작, 종료, 상담 시간, 인원이 모두 필요합니다 (또는 모두 비움)' },
  bad_break: { en: 'breaks are written like 15:00-15:15; 17:00-17:10', ko: '휴식 시간은 15:00-15:15; 17:00-17:10 처럼 적습니다' },
};

const str = (v: string | number | undefined): string => (v === undefined ? '' : String(v));

type MessageFn = (value: string, d: TourSheetProblem['details']) => string;

const MESSAGES: Record<TourSheetProblemCode, Record<Language, MessageFn>> = {
  unreadable: {
    en: (_v, d) => `The file could not be read as an Excel workbook (.xlsx)${d.reason ? `: ${str(d.reason)}` : ''}.`,
    ko: (_v, d) => `파일을 엑셀 통합 문서(.xlsx)로 읽을 수 없습니다${d.reason ? `: ${str(d.reason)}` : ''}.`,
  },
  missing_sheet: {
    en: () => 'The sheet is missing: use the template’s sheets (Stops, Sessions, Institutions, Booths, Staff).',
    ko: () => '시트가 없습니다: 양식의 시트(Stops, Sessions, Institutions, Booths, Staff)를 사용하세요.',
  },
  missing_column: {
    en: (_v, d) => `The column “${str(d.header)}” is missing from the header row.`,
    ko: (_v, d) => `머리글 행에 “${str(d.header)}” 열이 없습니다.`,
  },
  required: { en: () => 'This cell is required.', ko: () => '필수 항목입니다.' },
  too_long: {
    en: (v, d) => `“${v}” is too long (at most ${str(d.max)} characters).`,
    ko: (v, d) => `“${v}”이(가) 너무 깁니다 (최대 ${str(d.max)}자).`,
  },
  unknown_time_zone: {
    en: (v) => `“${v}” is not a time zone (IANA name such as America/New_York).`,
    ko: (v) => `“${v}”은(는) 알 수 없는 시간대입니다 (예: America/New_York).`,
  },
  bad_date: {
    en: (v) => `“${v}” is not a date (write 2025-10-14).`,
    ko: (v) => `“${v}”은(는) 날짜가 아닙니다 (2025-10-14 형식으로 적으세요).`,
  },
  date_outside_tour: {
    en: (v, d) => `${v} is outside the tour (${str(d.from)} to ${str(d.to)}).`,
    ko: (v, d) => `${v}은(는) 투어 기간(${str(d.from)}~${str(d.to)}) 밖입니다.`,
  },
  bad_time: {
    en: (v) => `“${v}” is not a time (write 14:30).`,
    ko: (v) => `“${v}”은(는) 시각이 아닙니다 (14:30 형식으로 적으세요).`,
  },
  end_before_start: {
    en: (v, d) => `The end ${v} is not after the start ${str(d.start)}.`,
    ko: (v, d) => `종료 ${v}이(가) 시작 ${str(d.start)}보다 늦지 않습니다.`,
  },
  unknown_kind: {
    en: (v, d) => `“${v}” is not one of: ${str(d.allowed)}.`,
    ko: (v, d) => `“${v}”은(는) 다음 중 하나가 아닙니다: ${str(d.allowed)}.`,
  },
  unknown_stop: {
    en: (v) => `No stop has the round “${v}” (Stops sheet or the tour).`,
    ko: (v) => `차수가 “${v}”인 방문지가 없습니다 (방문지 시트 또는 투어).`,
  },
  unknown_institution: {
    en: (v) => `No institution has the short name “${v}” (Institutions sheet or the app).`,
    ko: (v) => `약칭이 “${v}”인 기관이 없습니다 (기관 시트 또는 앱).`,
  },
  duplicate: {
    en: (v, d) => (d.otherRow !== undefined ? `“${v}” is already on row ${str(d.otherRow)}.` : `“${v}” is already used by another record (${str(d.otherId)}).`),
    ko: (v, d) => (d.otherRow !== undefined ? `“${v}”은(는) 이미 ${str(d.otherRow)}행에 있습니다.` : `“${v}”은(는) 이미 다른 항목(${str(d.otherId)})이 쓰고 있습니다.`),
  },
  sessions_overlap: {
    en: (_v, d) =>
      `This session overlaps “${str(d.other)}” (${str(d.otherStart)}–${str(d.otherEnd)}${d.otherRow !== undefined ? `, row ${str(d.otherRow)}` : ''}) in room ${str(d.room)}.`,
    ko: (_v, d) =>
      `이 세션은 ${str(d.room)}에서 “${str(d.other)}”(${str(d.otherStart)}~${str(d.otherEnd)}${d.otherRow !== undefined ? `, ${str(d.otherRow)}행` : ''})와(과) 시간이 겹칩니다.`,
  },
  bad_number: {
    en: (v, d) => `“${v}” is not a whole number from ${str(d.min)} to ${str(d.max)}.`,
    ko: (v, d) => `“${v}”은(는) ${str(d.min)}~${str(d.max)} 사이의 정수가 아닙니다.`,
  },
  bad_email: {
    en: (v) => `“${v}” is not an email address.`,
    ko: (v) => `“${v}”은(는) 이메일 주소가 아닙니다.`,
  },
  unknown_role: {
    en: (v, d) => `“${v}” is not a role (${str(d.allowed)}).`,
    ko: (v, d) => `“${v}”은(는) 알 수 없는 역할입니다 (${str(d.allowed)}).`,
  },
  needs_institution: {
    en: () => 'Booth staff need an institution (short name).',
    ko: () => '부스 직원은 기관(약칭)이 필요합니다.',
  },
  bad_plan: {
    en: (_v, d) => `The consultation plan does not work: ${PLAN_REASONS[str(d.reason)]?.en ?? str(d.reason)}.`,
    ko: (_v, d) => `상담 계획이 맞지 않습니다: ${PLAN_REASONS[str(d.reason)]?.ko ?? str(d.reason)}.`,
  },
  stop_changed: {
    en: (v, d) => `This row has the id of a record of stop ${str(d.currentStop)}; it cannot move to stop ${v}. Leave the id empty to add a new one.`,
    ko: (v, d) => `이 행의 ID는 ${str(d.currentStop)} 차수 방문지의 항목입니다. ${v} 차수로 옮길 수 없습니다. 새로 추가하려면 ID를 비워 두세요.`,
  },
  bad_id: {
    en: (v) => `“${v}” is not an id (letters, digits and . _ : - only, at most 64).`,
    ko: (v) => `“${v}”은(는) ID가 아닙니다 (영문, 숫자, . _ : - 만, 최대 64자).`,
  },
};

/** Where a problem is: "Stops!F7", "Stops, row 7" or "Stops". */
export function problemPlace(p: Pick<TourSheetProblem, 'sheet' | 'row' | 'cell'>, language: Language): string {
  if (p.cell) return `${p.sheet}!${p.cell}`;
  if (p.row !== null) return language === 'ko' ? `${p.sheet} ${p.row}행` : `${p.sheet}, row ${p.row}`;
  return p.sheet;
}

/** What is wrong, without where (a report that shows the cell in its own column). */
export function problemText(p: TourSheetProblem, language: Language): string {
  return MESSAGES[p.code][language](p.value, p.details);
}

/** The whole line the report shows: where, then what. */
export function problemMessage(p: TourSheetProblem, language: Language): string {
  return `${problemPlace(p, language)}: ${problemText(p, language)}`;
}

/** The header the template writes: the label in the chosen language and the key, so either reads back. */
export const columnHeader = (sheet: TourSheetName, key: string, language: Language): string => {
  const label = COLUMN_LABELS[sheet][key]?.[language] ?? key;
  return label === key ? key : `${label} (${key})`;
};
