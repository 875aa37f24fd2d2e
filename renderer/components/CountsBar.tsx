import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StopCounts } from '../../shared/schemas/attendees';

export function CountsBar({ counts }: { counts: StopCounts | null }) {
  const { t } = useTranslation();
  const items = [
    { key: 'registered', label: t('counts.registered'), value: counts?.registered },
    { key: 'checkedIn', label: t('counts.checkedIn'), value: counts?.checkedIn },
    { key: 'walkIns', label: t('counts.walkIns'), value: counts?.walkIns },
  ];
  return (
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
  );
}
