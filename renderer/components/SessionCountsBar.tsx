import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionCounts } from '../../shared/ipc/sessionCheckinContract';
import { CAREER_STAGES } from '../../shared/vocab';

/** Live attendance of the session at this door: people in it, seats, duplicate check-ins, by career stage. */
export function SessionCountsBar({ counts }: { counts: SessionCounts | null }) {
  const { t } = useTranslation();
  const items = [
    { key: 'in', label: t('sessionCheckin.inSession'), value: counts ? String(counts.checkedIn) : '–' },
    { key: 'seats', label: t('sessionCheckin.seats'), value: counts ? (counts.capacity === null ? t('sessionCheckin.noLimit') : String(counts.capacity)) : '–' },
    ...(counts && counts.duplicates > 0 ? [{ key: 'dup', label: t('sessionCheckin.duplicates'), value: String(counts.duplicates) }] : []),
  ];
  const stages = CAREER_STAGES.filter((s) => (counts?.byCareerStage[s] ?? 0) > 0);
  return (
    <Group gap="md" align="stretch">
      <Group role="group" aria-label={t('sessionCheckin.counts')} gap="md">
        {items.map((i) => (
          <Paper key={i.key} withBorder px="md" py={6} radius="md">
            <Text size="xs" c="dimmed">
              {i.label}
            </Text>
            <Text fw={700} size="xl" aria-label={`${i.label}: ${i.value}`}>
              {i.value}
            </Text>
          </Paper>
        ))}
      </Group>
      {stages.length > 0 && (
        <Paper withBorder px="md" py={6} radius="md" role="group" aria-label={t('sessionCheckin.byStage')}>
          <Text size="xs" c="dimmed">
            {t('sessionCheckin.byStage')}
          </Text>
          <Group gap="sm">
            {stages.map((s) => (
              <Text key={s} size="sm" aria-label={`${t(`careerStage.${s}`)}: ${counts!.byCareerStage[s]}`}>
                {t(`careerStage.${s}`)} <b>{counts!.byCareerStage[s]}</b>
              </Text>
            ))}
          </Group>
        </Paper>
      )}
    </Group>
  );
}
