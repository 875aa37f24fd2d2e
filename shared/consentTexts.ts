import type { ConsentScope, Language } from './vocab';

/**
 * The consent texts people agree to, by version, in both languages (issue #22). A consent record keeps the
 * version (`consent_recorded.textVersion`); this table keeps what that version said, so the attendee's
 * consent history shows the very words they agreed to.
 *
 * APPEND ONLY. A version's wording never changes once shipped: to change what the forms say, add a new
 * version at the end (it becomes the current one). test/shared/consentTexts.test.ts holds a digest of every
 * shipped version and fails when one is edited.
 */
export interface ConsentWording {
  /** The heading of the consent part of a form. */
  title: string;
  /** What is collected, why, and what the choice means: shown above the choices. */
  statement: string;
  /** The choices, as the person reads them. */
  scopes: Record<ConsentScope, string>;
  /** What the staff member confirms under the choice. */
  agreement: string;
}

export interface ConsentText {
  version: string;
  en: ConsentWording;
  ko: ConsentWording;
}

export const CONSENT_TEXTS: readonly ConsentText[] = [
  {
    // The wording before issue #22: one sentence above the walk-in form's agreement box, the scope labels,
    // and the booth's "read and agreed" box. Kept as it was shown.
    version: '2025-10-v1',
    en: {
      title: 'Consent to share data',
      statement: 'I agree that the data I give here may be used as chosen below (consent text 2025-10-v1).',
      scopes: {
        institution: 'Share with this institution only',
        all_institutions: 'Share with all participating institutions',
        hq_stats: 'HQ statistics only',
      },
      agreement: 'The attendee read and agreed to consent text 2025-10-v1',
    },
    ko: {
      title: '정보 제공 동의',
      statement: '여기에 입력한 정보를 아래에서 선택한 범위로 사용하는 데 동의합니다 (동의서 2025-10-v1).',
      scopes: {
        institution: '이 기관에만 제공',
        all_institutions: '모든 참여 기관에 제공',
        hq_stats: '본부 통계용으로만 사용',
      },
      agreement: '참가자가 동의서 2025-10-v1을 읽고 동의했습니다',
    },
  },
  {
    // Issue #22: the statement above the choices, no choice made in advance, the person's own choice confirmed.
    version: '2025-11-v2',
    en: {
      title: 'Consent to use your details',
      statement:
        'To run this event, the programme’s HQ records your name, email, affiliation, career stage and research fields. ' +
        'Choose below who may also use them to contact you about positions and programmes. ' +
        'You may refuse to share them with institutions by choosing “HQ statistics only”. ' +
        'You can change your choice at any desk or booth; your latest choice applies.',
      scopes: {
        institution: 'Only the institution I am talking to may contact me',
        all_institutions: 'All institutions taking part in this tour may contact me',
        hq_stats: 'HQ statistics only: no institution receives my details',
      },
      agreement: 'The person read the text above and made this choice themselves',
    },
    ko: {
      title: '개인정보 이용 동의',
      statement:
        '본부는 행사 운영을 위해 성명, 이메일, 소속, 경력 단계, 연구 분야를 기록합니다. ' +
        '채용·프로그램 안내를 위해 이 정보를 누가 함께 이용할 수 있는지 아래에서 선택하세요. ' +
        '“본부 통계용으로만 사용”을 선택하면 어떤 기관에도 정보를 제공하지 않습니다. ' +
        '선택은 어느 데스크나 부스에서든 바꿀 수 있으며, 가장 최근의 선택이 적용됩니다.',
      scopes: {
        institution: '지금 상담하는 기관만 연락할 수 있습니다',
        all_institutions: '이번 투어에 참여하는 모든 기관이 연락할 수 있습니다',
        hq_stats: '본부 통계용으로만 사용 (어떤 기관에도 제공하지 않음)',
      },
      agreement: '참가자가 위 안내문을 읽고 직접 선택했습니다',
    },
  },
];

/** The version the forms show now: the last one in the table. */
export const CURRENT_CONSENT_TEXT_VERSION: string = CONSENT_TEXTS[CONSENT_TEXTS.length - 1]!.version;

export function consentText(version: string): ConsentText | null {
  return CONSENT_TEXTS.find((c) => c.version === version) ?? null;
}

export function consentWording(version: string, language: Language): ConsentWording | null {
  return consentText(version)?.[language] ?? null;
}

/** The choices a walk-in at the desk may make: "this institution" needs an institution, which only a booth has. */
export const DESK_CONSENT_SCOPES = ['all_institutions', 'hq_stats'] as const satisfies readonly ConsentScope[];
