import type { Language } from '../../../shared/vocab';

/** A record's name in the page's language: the Korean one when there is one, else the English one. */
export const nameIn = (lang: Language, en: string, ko: string): string => (lang === 'ko' && ko ? ko : en);

/** Every IANA zone this runtime knows, for the stop's time zone list; UTC is not among them in V8. */
export const TIME_ZONES: readonly string[] = [...Intl.supportedValuesOf('timeZone'), 'UTC'];

/**
 * A stop's zone as the pages name it beside local times: the IANA name and its abbreviation on the stop's
 * date ("America/New_York (EDT)"), so HQ in Seoul reads 13:00 as the venue's 13:00.
 */
export function zoneLabel(timeZone: string, date: string): string {
  try {
    const at = new Date(`${date}T12:00:00Z`);
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(Number.isNaN(at.getTime()) ? new Date() : at).find((p) => p.type === 'timeZoneName');
    return part ? `${timeZone} (${part.value})` : timeZone;
  } catch {
    return timeZone;
  }
}
