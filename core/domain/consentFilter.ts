import type { ConsentScope } from '../../shared/vocab';

/** A consent as the rules need it: who may see the person's data, and when it was given (HLC). */
export interface ConsentFact {
  scope: ConsentScope;
  institutionId: string | null;
  hlc: string;
}

/** The person's effective consent: the latest by HLC (a later consent replaces an earlier one, also a narrower one). */
export function effectiveConsent<C extends ConsentFact>(consents: readonly C[]): C | null {
  let latest: C | null = null;
  for (const c of consents) if (!latest || c.hlc > latest.hlc) latest = c;
  return latest;
}

/**
 * Whether a consent lets `institutionId` receive the person's details for follow-up:
 * `all_institutions`, or `institution` naming that very institution. `hq_stats` never does,
 * and neither does no consent at all.
 */
export function consentCovers(consent: ConsentFact | null, institutionId: string): boolean {
  if (!consent) return false;
  switch (consent.scope) {
    case 'all_institutions':
      return true;
    case 'institution':
      return consent.institutionId === institutionId;
    case 'hq_stats':
      return false;
  }
}

/** The whole rule in one call: the latest consent by HLC, and whether it covers the institution. */
export function consentAllows(consents: readonly ConsentFact[], institutionId: string): boolean {
  return consentCovers(effectiveConsent(consents), institutionId);
}
