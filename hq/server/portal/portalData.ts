import { consentAllows, type ConsentFact } from '../../../core/domain/consentFilter';
import { EXPORT_LABELS, exportFileName, localDateTime, toCsv } from '../../../core/domain/followUpExport';
import { normalizeQuery } from '../../../core/domain/searchText';
import { neutralizeFormula } from '../../../core/domain/spreadsheetSafety';
import { followUpXlsx } from '../../../core/export/followUpXlsx';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import type { Db } from '../../../core/store/sqlite';
import type { ConsultationContent } from '../../../shared/schemas/consultations';
import type { LeadOutcomeEntry, Program } from '../../../shared/schemas/programs';
import { OUTCOME_STATUSES, PROGRAMS, type CareerStage, type ConsentScope, type Language, type OutcomeStatus, type Program as LegacyProgram, type ResearchField } from '../../../shared/vocab';
import { PAGE_SIZE, stopLabel } from '../dashboard/dashboardData';
import type { DashboardSources } from '../dashboard/dashboardOps';

/**
 * What an institution's staff see in the portal (issue #21): their LEADS, i.e. people who had at least one
 * consultation with the institution at any stop of any tour, counted once per merged group
 * (`attendee_canonical`), whose effective consent (the latest by HLC over every record of the group,
 * core/domain/consentFilter.ts, the rule `LeadOutcomes.record` checks) lets the institution hold them.
 *
 * The list is derived per institution from the institution's own consultations (index
 * consultations_institution), the consents of those people only (consents_attendee) and the institution's
 * outcomes (lead_outcomes_lead), then filtered and paged: it runs on the dashboard's worker thread, kept
 * until the store changes. A single lead is read directly on HQ's projection store (`leadDetail`).
 */

/** A programme of interest: a programme of the master data (`p:<id>`) or one of the desk's older vocabulary (`v:<key>`). */
export type ProgramKey = `p:${string}` | `v:${string}`;

export interface LeadRow {
  /** The person's id: their merged group's canonical record. */
  personId: string;
  familyName: string;
  givenName: string;
  nameKo: string;
  email: string;
  affiliation: string;
  careerStage: CareerStage | string;
  fields: string[];
  /** Stops where they consulted with the institution, oldest first. */
  stopIds: string[];
  programs: ProgramKey[];
  consultations: number;
  lastConsultedAt: string;
  /** The latest outcome not retracted (by its date, then when it was recorded). */
  latest: { status: OutcomeStatus; occurredOn: string; programId: string | null; note: string } | null;
  /** Every outcome not retracted, oldest first (the export's history column). */
  outcomes: { status: OutcomeStatus; occurredOn: string }[];
  search: string;
}

export interface LeadFilter {
  stopId?: string | undefined;
  program?: string | undefined;
  /** An outcome status, or `none` (no outcome yet). */
  status?: string | undefined;
  q?: string | undefined;
}

export interface LeadOptionLabels {
  stops: { id: string; label: string; date: string }[];
  programs: { key: ProgramKey; label: string }[];
}

export interface LeadPage extends LeadOptionLabels {
  items: (Omit<LeadRow, 'search' | 'outcomes'> & { stopLabels: string[]; programLabels: string[] })[];
  total: number;
  /** Consented leads before the filter. */
  all: number;
  page: number;
  pages: number;
  pageSize: number;
}

export interface PortalExportRequest {
  institutionId: string;
  filter: LeadFilter;
  format: 'csv' | 'xlsx';
  language: Language;
  now: string;
}

export interface PortalExportFile {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
  rowCount: number;
}

interface ConsultationRow {
  id: string;
  stop_id: string;
  at: string;
  attendee_id: string;
  person: string;
  content: string;
}
interface AttendeeRow {
  id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: string;
  fields: string;
}

/** The programmes a consultation names: the programme ids (`programIds`, issue #21) and the older vocabulary (`programs`). */
export function consultationPrograms(content: Partial<ConsultationContent> & { programIds?: unknown }): ProgramKey[] {
  const out: ProgramKey[] = [];
  if (Array.isArray(content.programIds)) for (const id of content.programIds) if (typeof id === 'string') out.push(`p:${id}`);
  if (Array.isArray(content.programs)) for (const key of content.programs) if ((PROGRAMS as readonly string[]).includes(key)) out.push(`v:${key}`);
  return out;
}

/** A programme key's name in the language, from the master data or the vocabulary. */
export function programLabel(key: string, programs: ReadonlyMap<string, Program>, lang: Language): string {
  if (key.startsWith('v:')) return EXPORT_LABELS[lang].program[key.slice(2) as LegacyProgram] ?? key.slice(2);
  const p = programs.get(key.slice(2));
  if (!p) return key.slice(2);
  return lang === 'ko' && p.nameKo ? p.nameKo : p.name;
}

/** Every record of a person's merged group (the record itself when never merged), canonical first. */
export function groupOf(db: Db, attendeeId: string): { canonical: string; members: string[] } {
  const canonical = db.prepare<[string], { canonical_id: string }>('SELECT canonical_id FROM attendee_canonical WHERE attendee_id = ?').get(attendeeId)?.canonical_id ?? attendeeId;
  const members = db.prepare<[string], { attendee_id: string }>('SELECT attendee_id FROM attendee_canonical WHERE canonical_id = ?').all(canonical).map((r) => r.attendee_id);
  return { canonical, members: [...new Set([canonical, attendeeId, ...members])] };
}

/**
 * Whether the group's effective consent lets the institution hold the person as a lead (the same rule as
 * `LeadOutcomes.consentAllows`: the latest consent by HLC over every record of the merged group).
 */
export function groupConsentCheck(db: Db): (members: readonly string[], institutionId: string) => boolean {
  const one = db.prepare<[string], { scope: ConsentScope; institution_id: string | null; hlc: string }>('SELECT scope, institution_id, hlc FROM consents WHERE attendee_id = ?');
  return (members, institutionId) => {
    const facts: ConsentFact[] = members.flatMap((m) => one.all(m).map((r) => ({ scope: r.scope, institutionId: r.institution_id, hlc: r.hlc })));
    return consentAllows(facts, institutionId);
  };
}

const latestOf = (list: readonly LeadOutcomeEntry[]): LeadOutcomeEntry | null => {
  let best: LeadOutcomeEntry | null = null;
  for (const o of list) {
    if (o.retracted) continue;
    if (!best || o.occurredOn > best.occurredOn || (o.occurredOn === best.occurredOn && o.recordedAt > best.recordedAt)) best = o;
  }
  return best;
};

/** Every consented lead of one institution (unfiltered, unpaged), most recently consulted first. */
export function leadRows(db: Db, institutionId: string): LeadRow[] {
  const consultations = db
    .prepare<[string], ConsultationRow>(
      `SELECT c.id, c.stop_id, c.at, c.attendee_id, COALESCE(ac.canonical_id, c.attendee_id) AS person, cur.content
       FROM consultations c
       JOIN consultation_current cur ON cur.consultation_id = c.id
       LEFT JOIN attendee_canonical ac ON ac.attendee_id = c.attendee_id
       WHERE c.institution_id = ? AND c.attendee_id IS NOT NULL`,
    )
    .all(institutionId);
  const byPerson = new Map<string, ConsultationRow[]>();
  for (const c of consultations) {
    const list = byPerson.get(c.person);
    if (list) list.push(c);
    else byPerson.set(c.person, [c]);
  }
  const members = db.prepare<[string], { attendee_id: string }>('SELECT attendee_id FROM attendee_canonical WHERE canonical_id = ?');
  const attendee = db.prepare<[string], AttendeeRow>('SELECT id, family_name, given_name, name_ko, email, affiliation, career_stage, fields FROM attendees WHERE id = ?');
  const stopDates = new Map(createMasterDataQueries(db).stops().map((s) => [s.id, s.date]));
  const allows = groupConsentCheck(db);
  // The institution's outcomes, by person.
  const canonicalOf = db.prepare<[string], { canonical_id: string }>('SELECT canonical_id FROM attendee_canonical WHERE attendee_id = ?');
  const outcomeIds = db.prepare<[string], { outcome_id: string }>('SELECT outcome_id FROM lead_outcomes WHERE institution_id = ?').all(institutionId);
  const programQ = createProgramQueries(db);
  const outcomesByPerson = new Map<string, LeadOutcomeEntry[]>();
  for (const { outcome_id } of outcomeIds) {
    const o = programQ.outcome(outcome_id);
    if (!o) continue;
    const person = canonicalOf.get(o.attendeeId)?.canonical_id ?? o.attendeeId;
    const list = outcomesByPerson.get(person);
    if (list) list.push(o);
    else outcomesByPerson.set(person, [o]);
  }

  const rows: LeadRow[] = [];
  for (const [person, list] of byPerson) {
    const group = [...new Set([person, ...list.map((c) => c.attendee_id), ...members.all(person).map((m) => m.attendee_id)])];
    if (!allows(group, institutionId)) continue;
    const a = attendee.get(person) ?? list.map((c) => attendee.get(c.attendee_id)).find(Boolean);
    if (!a) continue;
    const stops = [...new Set(list.map((c) => c.stop_id))].sort((x, y) => (stopDates.get(x) ?? '').localeCompare(stopDates.get(y) ?? '') || x.localeCompare(y));
    const programs = [...new Set(list.flatMap((c) => consultationPrograms(JSON.parse(c.content) as ConsultationContent)))];
    const outcomes = (outcomesByPerson.get(person) ?? []).filter((o) => !o.retracted).sort((x, y) => x.occurredOn.localeCompare(y.occurredOn) || x.recordedAt.localeCompare(y.recordedAt));
    const latest = latestOf(outcomes);
    rows.push({
      personId: person,
      familyName: a.family_name,
      givenName: a.given_name,
      nameKo: a.name_ko,
      email: a.email,
      affiliation: a.affiliation,
      careerStage: a.career_stage,
      fields: JSON.parse(a.fields || '[]') as string[],
      stopIds: stops,
      programs,
      consultations: list.length,
      lastConsultedAt: list.reduce((m, c) => (c.at > m ? c.at : m), ''),
      latest: latest ? { status: latest.status, occurredOn: latest.occurredOn, programId: latest.programId, note: latest.note } : null,
      outcomes: outcomes.map((o) => ({ status: o.status, occurredOn: o.occurredOn })),
      search: normalizeQuery(`${a.family_name} ${a.given_name} ${a.given_name} ${a.family_name} ${a.name_ko} ${a.email} ${a.affiliation}`).toLowerCase(),
    });
  }
  rows.sort((x, y) => y.lastConsultedAt.localeCompare(x.lastConsultedAt) || x.familyName.localeCompare(y.familyName) || x.personId.localeCompare(y.personId));
  return rows;
}

export function filterLeads(rows: readonly LeadRow[], f: LeadFilter): LeadRow[] {
  const words = f.q ? normalizeQuery(f.q).toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8) : [];
  return rows.filter(
    (r) =>
      (!f.stopId || r.stopIds.includes(f.stopId)) &&
      (!f.program || r.programs.includes(f.program as ProgramKey)) &&
      (!f.status || (f.status === 'none' ? r.latest === null : r.latest?.status === f.status)) &&
      words.every((w) => r.search.includes(w)),
  );
}

/** The filter's choices: the stops and programmes the institution's leads name (and the institution's own programmes). */
function optionLabels(db: Db, institutionId: string, rows: readonly LeadRow[], lang: Language): LeadOptionLabels & { programMap: Map<string, Program>; stopMap: Map<string, string> } {
  const stops = createMasterDataQueries(db).stops();
  const stopMap = new Map(stops.map((s) => [s.id, stopLabel(s, lang)]));
  const used = new Set(rows.flatMap((r) => r.stopIds));
  const programQ = createProgramQueries(db);
  const programMap = new Map(programQ.list().map((p) => [p.id, p]));
  const keys = new Set<ProgramKey>([...programQ.forInstitution(institutionId).map((p) => `p:${p.id}` as const), ...rows.flatMap((r) => r.programs)]);
  return {
    stopMap,
    programMap,
    stops: stops.filter((s) => used.has(s.id)).map((s) => ({ id: s.id, label: stopMap.get(s.id)!, date: s.date })),
    programs: [...keys].map((key) => ({ key, label: programLabel(key, programMap, lang) })).sort((a, b) => a.label.localeCompare(b.label)),
  };
}

/** Reads for the portal, run by the dashboard's reader (worker thread), kept until HQ's store changes. */
export class PortalQueries {
  private version: number | null = null;
  private readonly rows = new Map<string, LeadRow[]>();

  constructor(private readonly src: DashboardSources) {}

  private leadsOf(institutionId: string): LeadRow[] {
    if (!this.src.cacheable) return leadRows(this.src.db, institutionId);
    const v = this.src.db.pragma('data_version', { simple: true }) as number;
    if (v !== this.version) {
      this.rows.clear();
      this.version = v;
    }
    let rows = this.rows.get(institutionId);
    if (!rows) {
      if (this.rows.size >= 32) this.rows.clear();
      this.rows.set(institutionId, (rows = leadRows(this.src.db, institutionId)));
    }
    return rows;
  }

  leads({ institutionId, filter, page, lang }: { institutionId: string; filter: LeadFilter; page: number; lang: Language }): LeadPage {
    const all = this.leadsOf(institutionId);
    const rows = filterLeads(all, filter);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const at = Math.min(page, pages);
    const o = optionLabels(this.src.db, institutionId, all, lang);
    return {
      stops: o.stops,
      programs: o.programs,
      items: rows.slice((at - 1) * PAGE_SIZE, at * PAGE_SIZE).map(({ search: _s, outcomes: _o, ...r }) => ({
        ...r,
        stopLabels: r.stopIds.map((id) => o.stopMap.get(id) ?? id),
        programLabels: r.programs.map((k) => programLabel(k, o.programMap, lang)),
      })),
      total: rows.length,
      all: all.length,
      page: at,
      pages,
      pageSize: PAGE_SIZE,
    };
  }

  /** The same rows as the list (same filter), every page, with the outcome columns, as CSV or XLSX. */
  async export({ institutionId, filter, format, language, now }: PortalExportRequest): Promise<PortalExportFile> {
    const rows = filterLeads(this.leadsOf(institutionId), filter);
    const inst = createMasterDataQueries(this.src.db).institution(institutionId);
    const o = optionLabels(this.src.db, institutionId, rows, language);
    const L = EXPORT_LABELS[language];
    const H = EXPORT_HEADER[language];
    const status = (s: OutcomeStatus) => OUTCOME_LABELS[language][s];
    const table = {
      header: EXPORT_COLUMNS.map((k) => H[k]),
      rows: rows.map((r) => {
        const cells: Record<(typeof EXPORT_COLUMNS)[number], string> = {
          familyName: r.familyName,
          givenName: r.givenName,
          nameKo: r.nameKo,
          email: r.email,
          affiliation: r.affiliation,
          careerStage: L.careerStage[r.careerStage as CareerStage] ?? r.careerStage,
          fields: r.fields.map((f) => L.field[f as ResearchField] ?? f).join(', '),
          stops: r.stopIds.map((id) => o.stopMap.get(id) ?? id).join(', '),
          programs: r.programs.map((k) => programLabel(k, o.programMap, language)).join(', '),
          consultations: String(r.consultations),
          lastConsulted: r.lastConsultedAt.slice(0, 10),
          latestStatus: r.latest ? status(r.latest.status) : '',
          latestDate: r.latest?.occurredOn ?? '',
          latestProgram: r.latest?.programId ? programLabel(`p:${r.latest.programId}`, o.programMap, language) : '',
          latestNote: r.latest?.note ?? '',
          history: r.outcomes.map((x) => `${x.occurredOn} ${status(x.status)}`).join('; '),
          personId: r.personId,
        };
        return EXPORT_COLUMNS.map((k) => neutralizeFormula(cells[k]));
      }),
    };
    const at = new Date(now);
    const parts = ['leads', inst?.shortName ?? institutionId, at.toISOString().slice(0, 10)];
    if (format === 'csv') return { filename: exportFileName(parts, 'csv'), mimeType: 'text/csv;charset=utf-8', bytes: Buffer.from(toCsv(table), 'utf8'), rowCount: rows.length };
    const title = `${language === 'ko' && inst?.nameKo ? inst.nameKo : (inst?.name ?? institutionId)} — ${language === 'ko' ? '리드' : 'Leads'}`;
    const bytes = await followUpXlsx(table, inst?.shortName ?? 'Leads', { title, createdAt: at });
    return { filename: exportFileName(parts, 'xlsx'), mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes, rowCount: rows.length };
  }
}

export const OUTCOME_LABELS: Record<Language, Record<OutcomeStatus, string>> = {
  en: { contacted: 'Contacted', interview: 'Interview', applied: 'Applied', offer: 'Offer', hired: 'Hired', collaboration: 'Research collaboration', declined: 'Declined', lost: 'Lost' },
  ko: { contacted: '연락함', interview: '면접', applied: '지원함', offer: '제안함', hired: '채용됨', collaboration: '연구 협력', declined: '거절함', lost: '연락 끊김' },
};
// Every status has a name in both languages (a new one in OUTCOME_STATUSES fails tsc here).
OUTCOME_STATUSES satisfies readonly (keyof (typeof OUTCOME_LABELS)['en'])[];

const EXPORT_COLUMNS = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields', 'stops', 'programs', 'consultations', 'lastConsulted', 'latestStatus', 'latestDate', 'latestProgram', 'latestNote', 'history', 'personId'] as const;
const EXPORT_HEADER: Record<Language, Record<(typeof EXPORT_COLUMNS)[number], string>> = {
  en: {
    familyName: 'Family name',
    givenName: 'Given name',
    nameKo: 'Name (Hangul)',
    email: 'Email',
    affiliation: 'Affiliation',
    careerStage: 'Career stage',
    fields: 'Research fields',
    stops: 'Stops',
    programs: 'Programmes of interest',
    consultations: 'Consultations',
    lastConsulted: 'Last consultation',
    latestStatus: 'Latest outcome',
    latestDate: 'Latest outcome date',
    latestProgram: 'Latest outcome programme',
    latestNote: 'Latest outcome note',
    history: 'Outcome history',
    personId: 'Person id',
  },
  ko: {
    familyName: '성(영문)',
    givenName: '이름(영문)',
    nameKo: '한글 이름',
    email: '이메일',
    affiliation: '소속',
    careerStage: '경력 단계',
    fields: '연구 분야',
    stops: '행사',
    programs: '관심 프로그램',
    consultations: '상담 수',
    lastConsulted: '마지막 상담',
    latestStatus: '최근 결과',
    latestDate: '최근 결과 날짜',
    latestProgram: '최근 결과 프로그램',
    latestNote: '최근 결과 메모',
    history: '결과 이력',
    personId: '인물 ID',
  },
};

/** One consultation of the lead with this institution, as the lead page shows it. */
export interface LeadConsultation {
  consultationId: string;
  /** When it was logged (UTC ISO); `at` is the same in the stop's own time. */
  loggedAt: string;
  stopLabel: string;
  at: string;
  content: ConsultationContent;
  programs: ProgramKey[];
}

export interface LeadDetail {
  personId: string;
  members: string[];
  person: { familyName: string; givenName: string; nameKo: string; email: string; affiliation: string; careerStage: string; fields: string[] };
  consultations: LeadConsultation[];
  history: LeadOutcomeEntry[];
  /** Programmes an outcome may name: the institution's own and the national ones (active, plus any the history names). */
  programs: Program[];
  programMap: Map<string, Program>;
}

/**
 * One lead of one institution, or null when the person is not the institution's consented lead (no
 * consultation with it, consent withdrawn or never covering it, no such person): the portal answers 404 alike.
 * Only this institution's consultations and their notes; outcomes only of this institution.
 */
export function leadDetail(db: Db, institutionId: string, attendeeId: string, lang: Language): LeadDetail | null {
  const { canonical, members } = groupOf(db, attendeeId);
  const stmt = db.prepare<[string, string], { id: string; at: string; content: string; round: string | null; city: string | null; city_ko: string | null; time_zone: string | null }>(
    `SELECT c.id, c.at, cur.content, s.round, s.city, s.city_ko, s.time_zone
     FROM consultations c JOIN consultation_current cur ON cur.consultation_id = c.id LEFT JOIN stops s ON s.id = c.stop_id
     WHERE c.attendee_id = ? AND c.institution_id = ?`,
  );
  const rows = members.flatMap((m) => stmt.all(m, institutionId));
  if (rows.length === 0) return null;
  if (!groupConsentCheck(db)(members, institutionId)) return null;
  const attendee = db.prepare<[string], AttendeeRow>('SELECT id, family_name, given_name, name_ko, email, affiliation, career_stage, fields FROM attendees WHERE id = ?');
  const a = attendee.get(canonical) ?? members.map((m) => attendee.get(m)).find(Boolean);
  if (!a) return null;
  const programQ = createProgramQueries(db);
  const history = programQ.outcomesOf(institutionId, members);
  const offered = programQ.forInstitution(institutionId);
  const programMap = new Map(programQ.list().map((p) => [p.id, p]));
  const named = history.map((h) => h.programId).filter((id): id is string => id !== null && !offered.some((p) => p.id === id));
  return {
    personId: canonical,
    members,
    person: { familyName: a.family_name, givenName: a.given_name, nameKo: a.name_ko, email: a.email, affiliation: a.affiliation, careerStage: a.career_stage, fields: JSON.parse(a.fields || '[]') as string[] },
    consultations: rows
      .map((r) => {
        const content = JSON.parse(r.content) as ConsultationContent;
        return {
          consultationId: r.id,
          loggedAt: r.at,
          stopLabel: r.city ? stopLabel({ round: r.round ?? '', city: r.city, cityKo: r.city_ko ?? '' }, lang) : '',
          at: r.time_zone ? `${localDateTime(r.at, r.time_zone)}` : r.at.slice(0, 16).replace('T', ' '),
          content,
          programs: consultationPrograms(content),
        };
      })
      // In the order they happened (UTC), whatever each stop's time zone.
      .sort((x, y) => x.loggedAt.localeCompare(y.loggedAt)),
    history,
    programs: [...offered.filter((p) => p.active), ...named.map((id) => programMap.get(id)).filter((p): p is Program => Boolean(p))],
    programMap,
  };
}
