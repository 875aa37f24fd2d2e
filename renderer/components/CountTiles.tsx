import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CAREER_STAGES } from '../../shared/vocab';
import { formatCount } from '../i18n/formatCount';

export interface CountTile {
  key: string;
  label: string;
  /** Shown as is; null while unknown (shown as '–', spoken as "Loading…" — a dash would be read as nothing or 0). */
  value: string | null;
}

/** A row of count tiles and, when any, the counts by career stage: the stop's door and a session's door. */
export function CountTiles({ label, items, stagesLabel, byCareerStage }: { label: string; items: CountTile[]; stagesLabel: string; byCareerStage: Record<string, number> | null }) {
  const { t, i18n } = useTranslation();
  const stages = CAREER_STAGES.filter((s) => (byCareerStage?.[s] ?? 0) > 0);
  return (
    <Group gap="md" align="stretch">
      <Group role="group" aria-label={label} gap="md">
        {items.map((i) => (
          <Paper key={i.key} withBorder px="md" py={6} radius="md">
            <Text size="xs" c="dimmed">
              {i.label}
            </Text>
            <Text fw={700} size="xl" aria-label={`${i.label}: ${i.value ?? t('app.loading')}`} aria-busy={i.value === null || undefined}>
              {i.value ?? '–'}
            </Text>
          </Paper>
        ))}
      </Group>
      {stages.length > 0 && (
        <Paper withBorder px="md" py={6} radius="md" role="group" aria-label={stagesLabel}>
          <Text size="xs" c="dimmed">
            {stagesLabel}
          </Text>
          <Group gap="sm">
            {stages.map((s) => (
              <Text key={s} size="sm" aria-label={`${t(`careerStage.${s}`)}: ${formatCount(byCareerStage![s]!, i18n.language)}`}>
                {t(`careerStage.${s}`)} <b>{formatCount(byCareerStage![s]!, i18n.language)}</b>
              </Text>
            ))}
          </Group>
        </Paper>
      )}
    </Group>
  );
}
