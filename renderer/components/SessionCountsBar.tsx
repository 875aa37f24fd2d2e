import { useTranslation } from 'react-i18next';
import type { SessionCounts } from '../../shared/ipc/sessionCheckinContract';
import { formatCount } from '../i18n/formatCount';
import { CountTiles } from './CountTiles';

/** Live attendance of the session at this door: people in it, seats, duplicate check-ins, by career stage. */
export function SessionCountsBar({ counts }: { counts: SessionCounts | null }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatCount(x, i18n.language);
  const items = [
    { key: 'in', label: t('sessionCheckin.inSession'), value: counts ? n(counts.checkedIn) : null },
    { key: 'seats', label: t('sessionCheckin.seats'), value: counts ? (counts.capacity === null ? t('sessionCheckin.noLimit') : n(counts.capacity)) : null },
    ...(counts && counts.duplicates > 0 ? [{ key: 'dup', label: t('sessionCheckin.duplicates'), value: n(counts.duplicates) }] : []),
  ];
  return <CountTiles label={t('sessionCheckin.counts')} items={items} stagesLabel={t('sessionCheckin.byStage')} byCareerStage={counts?.byCareerStage ?? null} />;
}
