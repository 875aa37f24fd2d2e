import type { ConsentScope } from '../../shared/vocab';

/**
 * A form's consent answer and a registration's status, as an import reads them (issue #22).
 * What the answers mean for privacy is set out in docs/import.md ("Consent and status columns").
 */

export type ConsentAnswer = 'agreed' | 'declined';

// Declines first: "동의하지 않습니다" holds "동의", "I do not agree" holds "agree".
const DECLINED = /동의\s*하?지\s*않|동의\s*안\s*함|미동의|비동의|부동의|거부|거절|^\s*아니[오요]|^\s*no\b|disagree|do\s*n[o']?t\s+(agree|consent)|not\s+(agree|consent)|declin|refus|withdraw|^\s*(false|n|x)\s*$/i;
const AGREED = /동의|^\s*(예|네)(?![\p{L}\p{N}])|^\s*yes\b|agree|accept|consent|^\s*(true|y|o|v|checked)\s*$|[✓✔☑]/iu;

/** "동의합니다" → agreed, "동의하지 않습니다" → declined; blank or not understood → null (no consent recorded). */
export function parseConsentAnswer(text: string): ConsentAnswer | null {
  const t = text.trim();
  if (!t) return null;
  if (DECLINED.test(t)) return 'declined';
  if (AGREED.test(t)) return 'agreed';
  return null;
}

/**
 * A consent question that asks to share the person's details beyond the organiser (제3자 제공,
 * participating institutions). Only clear words count: a question that may be either is read as
 * the narrower one (collection and use), which shares nothing.
 */
const SHARING = /제\s*3\s*자|제공\s*(에\s*)?동의|공유|참여\s*기관|참가\s*기관|share|sharing|third[\s-]*part|participating\s+(institution|organi[sz]ation)|partner\s+(institution|organi[sz]ation)|disclos/i;

/**
 * What agreeing to this question allows, read from the question's own words (its column header):
 * sharing with the participating institutions → `all_institutions`; collection and use by the
 * organiser only → `hq_stats` (nobody outside the organiser receives the details).
 */
export function scopeIfAgreed(header: string): ConsentScope {
  return SHARING.test(header) ? 'all_institutions' : 'hq_stats';
}

/**
 * The scope recorded for an answer. A decline is recorded too, as `hq_stats`: no institution ever
 * receives the person's details for follow-up, and, being the latest consent, it replaces a wider
 * one given before (a withdrawal is honoured everywhere the effective consent is read).
 */
export function consentScopeOf(answer: ConsentAnswer, header: string): ConsentScope {
  return answer === 'agreed' ? scopeIfAgreed(header) : 'hq_stats';
}

/** FNV-1a of the text, 8 hex digits. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Max length of a consent's `textVersion` (shared/events/attendeeEvents.ts). */
const TEXT_VERSION_MAX = 40;

/**
 * The consent text version of an imported answer: the form's question (its header) is the wording
 * the person agreed to, so the version names it: `form-<hash of the whole question> <its first words>`,
 * e.g. "form-6c1f0a2e 개인정보 수집·이용 동의". The same question always gives the same version;
 * another wording, another version.
 */
export function formConsentTextVersion(header: string): string {
  const wording = header.normalize('NFC').replace(/\s+/g, ' ').trim();
  const head = `form-${fnv(wording)}`;
  const room = TEXT_VERSION_MAX - head.length - 1;
  const words = wording.length > room ? `${wording.slice(0, room - 1)}…` : wording;
  return words ? `${head} ${words}` : head;
}

const NOT_ATTENDING = /not\s*attending|non[\s-]*attending|cancel|refund|deleted|transferred|declined|no[\s-]*show|불참|취소|환불|미참석|참석\s*(안|않|불가|못)|^\s*(no|아니[오요])\s*$/i;

/** A status cell: false when it says the person does not come (Eventbrite "Not Attending", cancelled, 불참); true otherwise (blank too). */
export function isAttending(text: string): boolean {
  const t = text.trim();
  return !t || !NOT_ATTENDING.test(t);
}
