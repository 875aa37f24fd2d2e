import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface OfferCountdownProps {
  /** When the offer expires (null: the stop lets offers wait). */
  expiresAt: string | null;
  /** The screen's clock, ticking every second while an offer is open. */
  now: number;
  name: string;
}

/** "04:59": minutes and seconds rounded up, so 0:00 shows only once the offer has expired. */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** How long the person offered a place has left to answer (issue #19). */
export function OfferCountdown({ expiresAt, now, name }: OfferCountdownProps) {
  const { t } = useTranslation();
  if (!expiresAt) return null;
  const left = Date.parse(expiresAt) - now;
  const time = formatCountdown(left);
  return (
    <Badge
      color={left <= 60_000 ? 'red' : 'orange'}
      variant="light"
      role="timer"
      aria-label={t('noShow.countdownName', { name, time })}
      style={{ fontVariantNumeric: 'tabular-nums' }}
    >
      {t('noShow.countdown', { time })}
    </Badge>
  );
}
