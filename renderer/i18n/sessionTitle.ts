import type { StopSession } from '../../shared/schemas/masterData';

/** A session's title in the desk's language (the Korean one when it has one). */
export function sessionTitle(s: Pick<StopSession, 'title' | 'titleKo'>, language: string): string {
  return language === 'ko' && s.titleKo ? s.titleKo : s.title;
}
