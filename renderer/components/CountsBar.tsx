import { useTranslation } from 'react-i18next';
import type { StopCounts } from '../../shared/schemas/attendees';
import { formatCount } from '../i18n/formatCount';
import { CountTiles } from './CountTiles';

/** Live counts for the stop: registered, checked in, walk-ins, and check-ins by career stage. */
export function CountsBar({ counts }: { counts: StopCounts | null }) {
  const { t, i18n } = useTranslation();
  const v = (n: number | undefined) => (n === undefined ? null : formatCount(n, i18n.language));
  const items = [
    { key: 'registered', label: t('counts.registered'), value: v(counts?.registered) },
    { key: 'checkedIn', label: t('counts.checkedIn'), value: v(counts?.checkedIn) },
    { key: 'walkIns', label: t('counts.walkIns'), value: v(counts?.walkIns) },
  ];
  return <CountTiles label={t('counts.label')} items={items} stagesLabel={t('desk.byStage')} byCareerStage={counts?.byCareerStage ?? null} />;
}
