import type { Attendee } from '../../shared/schemas/attendees';

/** "Minjun Kim (김민준)": Latin and Hangul, whichever the person has. */
export function formatName(a: Pick<Attendee, 'familyName' | 'givenName' | 'nameKo'>): string {
  const latin = [a.givenName, a.familyName].filter(Boolean).join(' ');
  if (latin && a.nameKo) return `${latin} (${a.nameKo})`;
  return latin || a.nameKo;
}

export function formatTime(iso: string, language: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(iso));
}
