import type { ConsultationContent, ConsultationPerson } from '../../shared/schemas/consultations';
import { VOCAB_LABELS } from '../../shared/vocabLabels';
import type { CareerStage, ConsentScope, Language, Program, ResearchField } from '../../shared/vocab';
import { consentCovers, effectiveConsent, type ConsentFact } from './consentFilter';
import { neutralizeFormula } from './spreadsheetSafety';

/**
 * The pure rules of an institution's follow-up list, shared by the desk (one stop) and HQ
 * (whole tour): which consultations may be exported (consent), which columns, what each cell
 * says in Korean or English, and how the cells are made safe for spreadsheets.
 */
export interface ExportConsent extends ConsentFact {
  textVersion: string;
  givenAt: string;
}

export interface FollowUpSource {
  consultationId: string;
  institutionId: string;
  stopLabel: Record<Language, string>;
  /** The stop's IANA time zone: the date column is the local time people remember. */
  stopTimeZone: string;
  loggedAt: string;
  person: ConsultationPerson | null;
  consents: readonly ExportConsent[];
  content: ConsultationContent;
  conflict: boolean;
}

export interface FollowUpTable {
  header: string[];
  rows: string[][];
  excludedNoConsent: number;
  excludedAnonymous: number;
}

type Labels = {
  header: Record<(typeof COLUMNS)[number], string>;
  careerStage: Record<CareerStage, string>;
  field: Record<ResearchField, string>;
  program: Record<Program, string>;
  interest: Record<ConsultationContent['interestLevel'], string>;
  status: Record<ConsultationContent['followUpStatus'], string>;
  consent: Record<ConsentScope, string>;
  yes: string;
};

const COLUMNS = [
  'loggedAt',
  'stop',
  'familyName',
  'givenName',
  'nameKo',
  'email',
  'affiliation',
  'careerStage',
  'fields',
  'programs',
  'programmes',
  'interest',
  'preferredStart',
  'followUpAction',
  'followUpOwner',
  'followUpDue',
  'followUpStatus',
  'staff',
  'notes',
  'consentScope',
  'consentVersion',
  'consentGivenAt',
  'conflict',
  'consultationId',
] as const;

export const EXPORT_LABELS: Record<Language, Labels> = {
  en: {
    header: {
      loggedAt: 'Consultation time',
      stop: 'Stop',
      familyName: 'Family name',
      givenName: 'Given name',
      nameKo: 'Name (Hangul)',
      email: 'Email',
      affiliation: 'Affiliation',
      careerStage: 'Career stage',
      fields: 'Research fields',
      programs: 'Programs of interest',
      programmes: 'Programmes discussed',
      interest: 'Interest',
      preferredStart: 'Preferred start',
      followUpAction: 'Follow-up action',
      followUpOwner: 'Follow-up owner',
      followUpDue: 'Due date',
      followUpStatus: 'Follow-up status',
      staff: 'Consulted by',
      notes: 'Notes',
      consentScope: 'Consent',
      consentVersion: 'Consent text version',
      consentGivenAt: 'Consent given (UTC)',
      conflict: 'Unresolved edit conflict',
      consultationId: 'Consultation id',
    },
    careerStage: VOCAB_LABELS.en.careerStage,
    field: VOCAB_LABELS.en.field,
    program: {
      innocore_postdoc: 'InnoCORE postdoc',
      brain_to_korea: 'Brain to Korea',
      faculty: 'Faculty position',
      researcher: 'Researcher position',
      industry: 'Industry position',
      collaboration: 'Research collaboration',
    },
    interest: { low: 'Low', medium: 'Medium', high: 'High' },
    status: { none: 'No follow-up', open: 'Open', in_progress: 'In progress', done: 'Done' },
    consent: { institution: 'This institution only', all_institutions: 'All participating institutions', hq_stats: 'HQ statistics only' },
    yes: 'yes',
  },
  ko: {
    header: {
      loggedAt: '상담 일시',
      stop: '행사',
      familyName: '성(영문)',
      givenName: '이름(영문)',
      nameKo: '한글 이름',
      email: '이메일',
      affiliation: '소속',
      careerStage: '경력 단계',
      fields: '연구 분야',
      programs: '관심 프로그램',
      programmes: '상담한 프로그램',
      interest: '관심도',
      preferredStart: '희망 시작 시기',
      followUpAction: '후속 조치',
      followUpOwner: '후속 조치 담당자',
      followUpDue: '기한',
      followUpStatus: '후속 조치 상태',
      staff: '상담 직원',
      notes: '메모',
      consentScope: '정보 제공 동의',
      consentVersion: '동의서 버전',
      consentGivenAt: '동의 일시(UTC)',
      conflict: '미해결 수정 충돌',
      consultationId: '상담 ID',
    },
    careerStage: VOCAB_LABELS.ko.careerStage,
    field: VOCAB_LABELS.ko.field,
    program: {
      innocore_postdoc: '이노코어 박사후연구원',
      brain_to_korea: '브레인 투 코리아',
      faculty: '교원 채용',
      researcher: '연구원 채용',
      industry: '기업 채용',
      collaboration: '연구 협력',
    },
    interest: { low: '낮음', medium: '보통', high: '높음' },
    status: { none: '후속 조치 없음', open: '예정', in_progress: '진행 중', done: '완료' },
    consent: { institution: '이 기관에만 제공', all_institutions: '모든 참여 기관에 제공', hq_stats: '본부 통계용으로만 사용' },
    yes: '예',
  },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2025-11-14 10:32` in the stop's own time zone. */
export function localDateTime(iso: string, timeZone: string): string {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    // Building a formatter costs far more than using one: one per time zone.
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * Builds the follow-up table for one institution: only consultations held by that institution,
 * with a known person whose effective consent (latest by HLC) covers it. Every cell is passed
 * through the formula neutraliser. Rows are ordered by consultation time, then id.
 */
/** A programme's names (issue #21), for the column of programmes a consultation names by id. */
export interface ProgrammeName {
  name: string;
  nameKo: string;
}

export function buildFollowUpTable(sources: readonly FollowUpSource[], institutionId: string, language: Language, programmes: ReadonlyMap<string, ProgrammeName> = new Map()): FollowUpTable {
  const L = EXPORT_LABELS[language];
  let excludedNoConsent = 0;
  let excludedAnonymous = 0;
  const kept: { source: FollowUpSource; person: ConsultationPerson; consent: ExportConsent }[] = [];
  for (const s of sources) {
    if (s.institutionId !== institutionId) continue;
    if (!s.person) {
      excludedAnonymous++;
      continue;
    }
    const consent = effectiveConsent(s.consents);
    if (!consent || !consentCovers(consent, institutionId)) {
      excludedNoConsent++;
      continue;
    }
    kept.push({ source: s, person: s.person, consent });
  }
  kept.sort((a, b) => (a.source.loggedAt === b.source.loggedAt ? (a.source.consultationId < b.source.consultationId ? -1 : 1) : a.source.loggedAt < b.source.loggedAt ? -1 : 1));
  const rows = kept.map(({ source: s, person: p, consent }) => {
    const c = s.content;
    const cells: Record<(typeof COLUMNS)[number], string> = {
      loggedAt: localDateTime(s.loggedAt, s.stopTimeZone),
      stop: s.stopLabel[language],
      familyName: p.familyName,
      givenName: p.givenName,
      nameKo: p.nameKo,
      email: p.email,
      affiliation: p.affiliation,
      careerStage: L.careerStage[c.careerStage],
      fields: [...c.fields.map((f) => L.field[f]), ...c.otherFields].join(', '),
      programs: c.programs.map((x) => L.program[x]).join(', '),
      // Korean names where HQ gave one; an id the desk has not received yet stays as the id, never dropped.
      programmes: (c.programIds ?? [])
        .map((id) => {
          const p = programmes.get(id);
          return p ? (language === 'ko' && p.nameKo ? p.nameKo : p.name) : id;
        })
        .join(', '),
      interest: L.interest[c.interestLevel],
      preferredStart: c.preferredStart,
      followUpAction: c.followUpAction,
      followUpOwner: c.followUpOwner,
      followUpDue: c.followUpDue,
      followUpStatus: L.status[c.followUpStatus],
      staff: c.staffName,
      notes: c.notes,
      consentScope: L.consent[consent.scope],
      consentVersion: consent.textVersion,
      consentGivenAt: consent.givenAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
      conflict: s.conflict ? L.yes : '',
      consultationId: s.consultationId,
    };
    return COLUMNS.map((k) => neutralizeFormula(cells[k]));
  });
  return { header: COLUMNS.map((k) => L.header[k]), rows, excludedNoConsent, excludedAnonymous };
}

const BOM = '\ufeff';

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * RFC 4180 CSV with CRLF line ends and a UTF-8 byte-order mark: without the BOM, Excel (Korean
 * Windows included) reads UTF-8 as the legacy code page and shows Hangul as mojibake.
 */
export function toCsv(table: Pick<FollowUpTable, 'header' | 'rows'>): string {
  return BOM + [table.header, ...table.rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A file name safe on every OS: ASCII letters, digits, dot, dash. */
export function exportFileName(parts: readonly string[], ext: string): string {
  const safe = parts
    .map((p) => p.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, ''))
    .filter(Boolean)
    .join('_');
  return `${safe || 'export'}.${ext}`;
}
