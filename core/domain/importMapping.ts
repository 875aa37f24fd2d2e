import type { ImportField, ImportMapping, ImportPreset } from '../../shared/ipc/importContract';

/** A header cell reduced to letters and digits (any script), lower case: "E-mail Address" → "emailaddress". */
export function headerKey(h: string): string {
  return h.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}#]+/gu, '');
}

/** Header names of each preset, per field, as the exporting tool writes them. */
export const PRESET_HEADERS: Record<ImportPreset, Partial<Record<ImportField, string[]>>> = {
  template: {
    familyName: ['family_name'],
    givenName: ['given_name'],
    nameKo: ['name_ko'],
    email: ['email'],
    affiliation: ['affiliation'],
    careerStage: ['career_stage'],
    fields: ['fields'],
    scanToken: ['scan_token'],
  },
  // Eventbrite's attendee summary export; "Barcode #" is what its tickets print, so scanning them works.
  eventbrite: {
    familyName: ['Last Name'],
    givenName: ['First Name'],
    email: ['Email'],
    affiliation: ['Company'],
    careerStage: ['Job Title'],
    scanToken: ['Barcode #'],
    attendance: ['Attendee Status'],
  },
  // Google Forms: "Timestamp", "Email Address", then the questions of the roadshow's form.
  google_forms: {
    email: ['Email Address', '이메일 주소', 'Email', '이메일'],
    familyName: ['Family name', 'Family name / 성', 'Last name'],
    givenName: ['Given name', 'Given name / 이름', 'First name'],
    nameKo: ['Name in Korean', 'Name in Korean (한글 이름)', '한글 이름', '한글 성명', '성명(한글)', '이름(한글)'],
    affiliation: ['Affiliation', 'Affiliation / 소속', '소속'],
    careerStage: ['Career stage', 'Career stage / 신분', '신분', '과정/직위', '직위'],
    fields: ['Research fields', 'Research fields / 관심 분야', '관심 분야'],
    fullName: ['Name', 'Full name', '영문 이름', '영문 성명', 'Name in English', '성명', '이름'],
  },
};

/** The words of a header cell, lower case, any script: "성명(한글)" → ['성명', '한글'], "E-mail Address" → ['e', 'mail', 'address']. */
export function headerWords(h: string): string[] {
  return h.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}#]+/u).filter(Boolean);
}

/**
 * Header words that mean a field, in English and Korean (issue #22): a header matches when it holds
 * one word of every group of a rule, and a word of no `not` group. Rules are tried in this order, the
 * most specific first, and a column is used for one field at most; among the columns that match a
 * rule, the one with the fewest other words wins ("Email" before "Buyer Email").
 */
interface HeaderRule {
  field: ImportField;
  all: readonly (readonly string[])[];
  not?: readonly string[];
  /** Words that make a column preferred among several that match (the consent to share, over the one to collect). */
  prefer?: readonly string[];
}
const NAME = ['name', 'names', '이름', '성명', '성함', '名前'];
const KOREAN = ['korean', 'hangul', 'hangeul', '한글', '국문', '한국어'];
const ENGLISH = ['english', 'romanized', 'romanised', 'latin', '영문', '영어'];
const FIRST = ['first', 'given', 'forename'];
const LAST = ['last', 'family', 'surname'];
const BUYER = ['buyer', 'purchaser', 'emergency', 'contact', 'advisor', 'supervisor', '지도교수', '보호자'];
const HEADER_RULES: readonly HeaderRule[] = [
  { field: 'consent', all: [['consent', 'agree', 'agreement', 'privacy', '동의', '개인정보', '수집', '수집이용']], prefer: ['share', 'sharing', 'third', 'institutions', 'organizations', 'organisations', '제3자', '제공', '공유', '참여기관', '기관'] },
  { field: 'attendance', all: [['status', 'attending', 'attendance', 'rsvp', '참석', '참석여부', '참가여부', '참여여부', '상태']], not: ['order', 'payment', 'ticket', 'checkin', 'career', 'visa', '신분'] },
  { field: 'nameKo', all: [NAME, KOREAN], not: BUYER },
  { field: 'nameKo', all: [['nameko', '한글이름', '한글성명', '국문이름', '국문성명', '한글명', '국문명']] },
  { field: 'familyName', all: [LAST, NAME], not: [...BUYER, ...KOREAN] },
  { field: 'givenName', all: [FIRST, NAME], not: [...BUYER, ...KOREAN] },
  { field: 'familyName', all: [['familyname', 'lastname', 'surname', '성', 'family_name']], not: BUYER },
  { field: 'givenName', all: [['givenname', 'firstname', 'forename', 'given_name']], not: BUYER },
  { field: 'fullName', all: [NAME, ENGLISH], not: BUYER },
  { field: 'email', all: [['email', 'mail', '이메일', '이메일주소', '전자우편', '메일']], not: BUYER },
  { field: 'affiliation', all: [['affiliation', 'organization', 'organisation', 'company', 'institution', 'university', 'school', 'employer', '소속', '기관', '소속기관', '학교', '회사', '대학', '대학교', '직장']], not: BUYER },
  { field: 'careerStage', all: [['careerstage', 'career', 'position', 'job', 'title', 'role', 'stage', 'occupation', '신분', '직위', '직급', '과정', '직책', '구분', '직업']], not: ['ticket', 'order', 'event'] },
  { field: 'fields', all: [['fields', 'field', 'interests', 'interest', 'research', 'area', 'areas', '관심분야', '연구분야', '분야', '전공']] },
  { field: 'scanToken', all: [['barcode', 'barcode#', 'token', 'scantoken', 'qr', 'qrcode', '바코드', 'scan']] },
  { field: 'scanToken', all: [['ticket'], ['code', 'number', 'no', '#', 'id']] },
  { field: 'fullName', all: [NAME], not: [...BUYER, 'event', 'ticket', 'company', 'organization', 'institution', 'school', 'university', 'file'] },
  { field: 'fullName', all: [['participant', 'attendee', '참가자', '참석자']], not: ['#', 'id', 'status', 'number', 'type'] },
];

/** A mapping guessed from the header words, English and Korean; a column is used for one field at most. */
export function guessMapping(headers: readonly string[]): ImportMapping {
  const words = headers.map((h) => {
    const w = headerWords(h);
    // The whole header as one word too: "E-mail" → 'email', "성명(한글)" → '성명한글'.
    const joined = headerKey(h);
    return new Set(joined && !w.includes(joined) ? [...w, joined] : w);
  });
  const sizes = headers.map((h) => headerWords(h).length);
  const out: ImportMapping = {};
  const used = new Set<number>();
  for (const rule of HEADER_RULES) {
    if (out[rule.field] !== undefined) continue;
    let best = -1;
    let bestScore = -Infinity;
    words.forEach((w, i) => {
      if (used.has(i)) return;
      if (!rule.all.every((group) => group.some((x) => w.has(x)))) return;
      if (rule.not?.some((x) => w.has(x))) return;
      const score = (rule.prefer?.some((x) => w.has(x)) ? 100 : 0) - sizes[i]!;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best !== -1) {
      out[rule.field] = best;
      used.add(best);
    }
  }
  // "성" and "이름", "Last name" and "Name": beside a family-name column, a bare name column is the given name.
  if (out.familyName !== undefined && out.givenName === undefined && out.fullName !== undefined) {
    out.givenName = out.fullName;
    delete out.fullName;
  }
  return cleanMapping(out);
}

function mappingFrom(headers: readonly string[], names: Partial<Record<ImportField, string[]>>): ImportMapping {
  const keys = headers.map(headerKey);
  const out: ImportMapping = {};
  for (const [field, list] of Object.entries(names) as [ImportField, string[]][]) {
    for (const name of list) {
      const at = keys.indexOf(headerKey(name));
      if (at !== -1) {
        out[field] = at;
        break;
      }
    }
  }
  return out;
}

export function presetMapping(headers: readonly string[], preset: ImportPreset): ImportMapping {
  return cleanMapping(mappingFrom(headers, PRESET_HEADERS[preset]));
}

/** The preset whose tell-tale headers the file has, if any. */
export function detectPreset(headers: readonly string[]): ImportPreset | null {
  const keys = new Set(headers.map(headerKey));
  if (keys.has('familyname') && keys.has('givenname') && keys.has('nameko')) return 'template';
  if (keys.has('barcode#') || (keys.has('order#') && keys.has('attendee#'))) return 'eventbrite';
  if ((keys.has('timestamp') || keys.has('타임스탬프')) && (keys.has('emailaddress') || keys.has('이메일주소'))) return 'google_forms';
  // A form without "collect email addresses": its export still starts with the response's time stamp.
  const first = headerKey(headers[0] ?? '');
  if (first === 'timestamp' || first === '타임스탬프') return 'google_forms';
  return null;
}

/** A full name column is only used when no separate family/given columns are. */
function cleanMapping(m: ImportMapping): ImportMapping {
  if (m.fullName !== undefined && (m.familyName !== undefined || m.givenName !== undefined)) {
    const { fullName: _drop, ...rest } = m;
    return rest;
  }
  return m;
}

/**
 * A preset's exact headers, and for every field it leaves out the column its header words suggest
 * (a form's own questions: "성명(한글)", "Name in Korean (optional)", a consent question), each
 * column used once. `guessed`: the fields found from header words.
 */
export function presetWithGuesses(headers: readonly string[], preset: ImportPreset | null): { mapping: ImportMapping; guessed: ImportField[] } {
  const exact = preset ? presetMapping(headers, preset) : {};
  const taken = new Set(Object.values(exact));
  const guess = guessMapping(headers);
  const mapping: ImportMapping = { ...exact };
  const guessed: ImportField[] = [];
  for (const [field, col] of Object.entries(guess) as [ImportField, number][]) {
    if (mapping[field] !== undefined || taken.has(col)) continue;
    mapping[field] = col;
    taken.add(col);
    guessed.push(field);
  }
  const clean = cleanMapping(mapping);
  return { mapping: clean, guessed: guessed.filter((f) => clean[f] !== undefined) };
}

export function suggestMapping(headers: readonly string[]): { preset: ImportPreset | null; mapping: ImportMapping; guessed: ImportField[] } {
  const preset = detectPreset(headers);
  return { preset, ...presetWithGuesses(headers, preset) };
}

/** Identifies a kind of file by its header row (FNV-1a), so a mapping can be remembered per source. */
export function sourceKeyOf(headers: readonly string[]): string {
  let h = 0x811c9dc5;
  const s = headers.map(headerKey).join('\u0001');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `h${h.toString(16).padStart(8, '0')}-${headers.length}`;
}
