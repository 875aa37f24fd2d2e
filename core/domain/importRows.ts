import type { ImportMapping, ImportRowIssue, ImportRowReason } from '../../shared/ipc/importContract';
import { isEmail } from '../../shared/schemas/common';
import type { AttendeeFields } from '../../shared/schemas/attendees';
import { CAREER_STAGES, RESEARCH_FIELDS, type CareerStage, type ResearchField } from '../../shared/vocab';
import { isAttending, parseConsentAnswer, type ConsentAnswer } from './importConsent';
import { normToken } from './searchKeys';

/** One row of the file, read through the mapping. Fields the mapping leaves out stay undefined. */
export interface ImportCandidate {
  /** Row number as a spreadsheet shows it. */
  row: number;
  fields: Partial<AttendeeFields>;
  scanToken: string;
  /** Lower-case email ('' if none) and normalised name + affiliation: how a person is recognised. */
  emailKey: string;
  nameKey: string;
  /** The consent column's answer (null: no such column, blank or not understood; see `consentCell`). */
  consent: ConsentAnswer | null;
  /** False when the status column says the person does not come. */
  attending: boolean;
}

const HANGUL = /[\uac00-\ud7a3]/;

const STAGE_WORDS: [CareerStage, RegExp][] = [
  ['postdoc', /post-?doc|postdoctoral|박사\s*후|포닥/i],
  ['professor', /professor|faculty|lecturer|교수/i],
  ['student', /student|ph\.?\s?d|master|undergrad|candidate|학생|대학원|석사|박사과정/i],
  ['job_seeker', /job\s*seeker|seeking|unemployed|구직/i],
  ['industry', /industry|engineer|manager|director|ceo|cto|founder|기업|회사원|산업/i],
  ['researcher', /research|scientist|fellow|연구원|연구자/i],
];
const STAGE_LABELS: Record<string, CareerStage> = {
  student: 'student', postdoc: 'postdoc', professor: 'professor', researcher: 'researcher', job_seeker: 'job_seeker',
  industry: 'industry', other: 'other', 학생: 'student', 박사후연구원: 'postdoc', 교수: 'professor', 연구원: 'researcher',
  구직자: 'job_seeker', 산업계: 'industry', 기타: 'other',
};

/** "Postdoc", "박사후연구원", "PhD student", "postdoc" → a career stage; undefined when nothing fits. */
export function parseCareerStage(text: string): CareerStage | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const key = t.toLowerCase().replace(/[\s-]+/g, '_');
  if ((CAREER_STAGES as readonly string[]).includes(key)) return key as CareerStage;
  if (STAGE_LABELS[t.replace(/\s+/g, '')]) return STAGE_LABELS[t.replace(/\s+/g, '')];
  for (const [stage, re] of STAGE_WORDS) if (re.test(t)) return stage;
  return 'other';
}

const FIELD_WORDS: [ResearchField, RegExp][] = [
  ['ai', /^(ai|artificial intelligence|machine learning|ml|인공지능|ai\s*\/.*)$/i],
  ['semiconductors', /semiconductor|반도체/i],
  ['bio', /bio|life science|생명|바이오/i],
  ['aerospace', /aero|space|우주|항공/i],
  ['quantum', /quantum|양자/i],
  ['energy', /energy|hydrogen|solar|에너지|수소|태양/i],
  ['robotics', /robot|로봇/i],
  ['manufacturing', /manufactur|제조/i],
  ['communications', /communication|6g|5g|network|통신/i],
  ['nano', /nano|나노/i],
  ['healthcare', /health|medic|의료|헬스/i],
];

/** "AI; Quantum, 반도체" → ['ai', 'quantum', 'semiconductors']; unknown words are left out. */
export function parseFields(text: string): ResearchField[] {
  const out = new Set<ResearchField>();
  for (const part of text.split(/[;,|/\n]+/)) {
    const p = part.trim();
    if (!p) continue;
    const key = p.toLowerCase().replace(/[\s-]+/g, '_');
    if ((RESEARCH_FIELDS as readonly string[]).includes(key)) {
      out.add(key as ResearchField);
      continue;
    }
    const hit = FIELD_WORDS.find(([, re]) => re.test(p));
    if (hit) out.add(hit[0]);
  }
  return [...out].sort();
}

/** "Kim, Minjun" → family Kim; "Minjun Kim" → family Kim; a Hangul name goes to nameKo. */
export function splitFullName(full: string): Pick<AttendeeFields, 'familyName' | 'givenName' | 'nameKo'> {
  const t = full.trim().replace(/\s+/g, ' ');
  if (!t) return { familyName: '', givenName: '', nameKo: '' };
  if (HANGUL.test(t)) return { familyName: '', givenName: '', nameKo: t };
  const comma = t.indexOf(',');
  if (comma > 0) return { familyName: t.slice(0, comma).trim(), givenName: t.slice(comma + 1).trim(), nameKo: '' };
  const sp = t.lastIndexOf(' ');
  if (sp < 0) return { familyName: '', givenName: t, nameKo: '' };
  return { familyName: t.slice(sp + 1), givenName: t.slice(0, sp), nameKo: '' };
}

export function personNameKey(f: { familyName?: string; givenName?: string; nameKo?: string; affiliation?: string }): string {
  const latin = sortedWords(normToken(`${f.familyName ?? ''} ${f.givenName ?? ''}`));
  const ko = normToken(f.nameKo ?? '');
  // normToken leaves single spaces as its only separators.
  return `${latin}|${ko.includes(' ') ? ko.replaceAll(' ', '') : ko}|${normToken(f.affiliation ?? '')}`;
}

/** The words of normalised text (single-space separated, trimmed) in sorted order; two words without a split. */
function sortedWords(n: string): string {
  const i = n.indexOf(' ');
  if (i < 0) return n;
  if (n.indexOf(' ', i + 1) < 0) {
    const a = n.slice(0, i);
    const b = n.slice(i + 1);
    return a <= b ? n : `${b} ${a}`;
  }
  return n.split(' ').sort().join(' ');
}

/**
 * A 100,000-row file repeats a few dozen stage and field texts: each is read once per file-sized run.
 * The remembered field lists are frozen: rows share them.
 */
const stageMemo = new Map<string, CareerStage | undefined>();
const fieldsMemo = new Map<string, readonly ResearchField[]>();
function memoized<T>(memo: Map<string, T>, text: string, read: (text: string) => T): T {
  if (memo.has(text)) return memo.get(text) as T;
  const value = read(text);
  if (memo.size >= 10_000) memo.clear();
  memo.set(text, value);
  return value;
}
const consentMemo = new Map<string, ConsentAnswer | null>();
const attendingMemo = new Map<string, boolean>();
const readFields = (text: string): readonly ResearchField[] => Object.freeze(parseFields(text));

const LIMITS: readonly (readonly [keyof AttendeeFields, number])[] = [
  ['familyName', 100],
  ['givenName', 100],
  ['nameKo', 100],
  ['affiliation', 200],
  ['email', 254],
];
const TEXT_FIELDS = ['familyName', 'givenName', 'nameKo', 'affiliation'] as const;
/** Whitespace other than single spaces (runs, tabs, line breaks, non-breaking spaces): collapsed. */
const UNEVEN_SPACE = /\s\s|[^\S ]/;
const BAD_TOKEN = /[\s\p{Cc}]/u;

const cellOf = (cells: readonly string[], i: number | undefined): string | undefined => (i === undefined ? undefined : (cells[i] ?? '').trim());
const hasText = (s: string | undefined): boolean => s !== undefined && s.trim() !== '';

/** Reads one row through the mapping and says what is wrong with it (nothing: []). Runs once per row of a file: keep it lean. */
export function readRow(cells: readonly string[], rowNumber: number, m: ImportMapping): { candidate: ImportCandidate; reasons: ImportRowIssue['reasons'] } {
  const fields: Partial<AttendeeFields> = {};
  const reasons: ImportRowIssue['reasons'] = [];

  const full = cellOf(cells, m.fullName);
  if (full !== undefined) Object.assign(fields, splitFullName(full));
  for (const f of TEXT_FIELDS) {
    const v = cellOf(cells, m[f]);
    if (v !== undefined && (v !== '' || fields[f] === undefined)) fields[f] = UNEVEN_SPACE.test(v) ? v.replace(/\s+/g, ' ') : v;
  }
  const email = cellOf(cells, m.email);
  if (email !== undefined) {
    if (email && !isEmail(email)) reasons.push({ code: 'invalid_email', field: 'email', otherRow: null });
    else fields.email = email;
  }
  const stage = cellOf(cells, m.careerStage);
  if (stage) fields.careerStage = memoized(stageMemo, stage, parseCareerStage);
  const fl = cellOf(cells, m.fields);
  if (fl) fields.fields = memoized(fieldsMemo, fl, readFields) as ResearchField[];
  for (const [f, max] of LIMITS) {
    const v = fields[f];
    if (typeof v === 'string' && v.length > max) reasons.push({ code: 'too_long', field: f, otherRow: null });
  }
  if (!hasText(fields.familyName) && !hasText(fields.givenName) && !hasText(fields.nameKo)) reasons.push({ code: 'missing_name', field: 'name', otherRow: null });
  const scanToken = cellOf(cells, m.scanToken) ?? '';
  if (scanToken && (scanToken.length > 64 || BAD_TOKEN.test(scanToken))) reasons.push({ code: 'invalid_token', field: 'scanToken', otherRow: null });
  const consentCell = m.consent === undefined ? '' : (cells[m.consent] ?? '');
  const consent = consentCell ? memoized(consentMemo, consentCell, parseConsentAnswer) : null;
  const status = m.attendance === undefined ? '' : (cells[m.attendance] ?? '');
  const attending = status ? memoized(attendingMemo, status, isAttending) : true;

  return {
    candidate: { row: rowNumber, fields, scanToken, emailKey: fields.email ? fields.email.toLowerCase() : '', nameKey: personNameKey(fields), consent, attending },
    reasons,
  };
}
