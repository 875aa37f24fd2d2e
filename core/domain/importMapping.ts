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
  },
  // Google Forms: "Timestamp", "Email Address", then the questions of the roadshow's form.
  google_forms: {
    email: ['Email Address', '이메일 주소'],
    familyName: ['Family name', 'Family name / 성', 'Last name'],
    givenName: ['Given name', 'Given name / 이름', 'First name'],
    nameKo: ['Name in Korean', 'Name in Korean (한글 이름)', '한글 이름', '한글 성명'],
    affiliation: ['Affiliation', 'Affiliation / 소속', '소속'],
    careerStage: ['Career stage', 'Career stage / 신분', '신분'],
    fields: ['Research fields', 'Research fields / 관심 분야', '관심 분야'],
    fullName: ['Name', 'Full name'],
  },
};

/** Header words that usually mean a field, in English and Korean, for files of no known preset. */
const SYNONYMS: Record<ImportField, string[]> = {
  familyName: ['familyname', 'lastname', 'surname', 'family', 'last', '성'],
  givenName: ['givenname', 'firstname', 'given', 'first', 'forename'],
  fullName: ['name', 'fullname', 'attendeename', 'participant'],
  nameKo: ['nameko', 'koreanname', 'nameinkorean', '한글이름', '한글성명', '이름', '성명', '국문이름', '국문성명'],
  email: ['email', 'emailaddress', 'mail', '이메일', '이메일주소', '전자우편'],
  affiliation: ['affiliation', 'organization', 'organisation', 'company', 'institution', 'university', 'school', '소속', '기관', '소속기관', '학교', '회사'],
  careerStage: ['careerstage', 'position', 'jobtitle', 'title', 'role', 'stage', '신분', '직위', '직급', '구분'],
  fields: ['fields', 'researchfields', 'researchfield', 'field', 'interests', 'researchinterests', '관심분야', '연구분야', '분야'],
  scanToken: ['scantoken', 'token', 'barcode', 'barcode#', 'ticket', 'ticketcode', 'qr', '바코드'],
};

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
  return null;
}

/** A mapping guessed from the header words; a column is used for one field at most. */
export function guessMapping(headers: readonly string[]): ImportMapping {
  const keys = headers.map(headerKey);
  const out: ImportMapping = {};
  const used = new Set<number>();
  for (const field of Object.keys(SYNONYMS) as ImportField[]) {
    const at = keys.findIndex((k, i) => !used.has(i) && SYNONYMS[field].includes(k));
    if (at !== -1) {
      out[field] = at;
      used.add(at);
    }
  }
  return cleanMapping(out);
}

/** A full name column is only used when no separate family/given columns are. */
function cleanMapping(m: ImportMapping): ImportMapping {
  if (m.fullName !== undefined && (m.familyName !== undefined || m.givenName !== undefined)) {
    const { fullName: _drop, ...rest } = m;
    return rest;
  }
  return m;
}

export function suggestMapping(headers: readonly string[]): { preset: ImportPreset | null; mapping: ImportMapping } {
  const preset = detectPreset(headers);
  return { preset, mapping: preset ? { ...guessMapping(headers), ...presetMapping(headers, preset) } : guessMapping(headers) };
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
