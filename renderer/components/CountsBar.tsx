import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StopCounts } from '../../shared/schemas/attendees';
import { CAREER_STAGES } from '../../shared/vocab';

/** Live counts for the stop: registered, checked in, walk-ins, and check-ins by career stage. */
export function CountsBar({ counts }: { counts: StopCounts | null }) {
  const { t } = useTranslation();
  const items = [
    { key: 'registered', label: t('counts.registered'), value: counts?.registered },
    { key: 'checkedIn', label: t('counts.checkedIn'), value: counts?.checkedIn },
    { key: 'walkIns', label: t('counts.walkIns'), value: counts?.walkIns },
  ];
  const stages = CAREER_STAGES.filter((s) => (counts?.byCareerStage[s] ?? 0) > 0);
  return (
    <Group gap="md" align="stretch">
      <Group role="group" aria-label={t('counts.label')} gap="md">
        {items.map((i) => (
          <Paper key={i.key} withBorder px="md" py={6} radius="md">
            <Text size="xs" c="dimmed">
              {i.label}
            </Text>
            <Text fw={700} size="xl" aria-label={`${i.label}: ${i.value ?? 0}`}>
              {i.value ?? '–'}
            </Text>
          </Paper>
        ))}
      </Group>
      {stages.length > 0 && (
        <Paper withBorder px="md" py={6} radius="md" role="group" aria-label={t('desk.byStage')}>
          <Text size="xs" c="dimmed">
            {t('desk.byStage')}
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
