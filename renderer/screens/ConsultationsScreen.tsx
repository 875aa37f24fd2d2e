import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Stop } from '../../shared/schemas/masterData';

export function ConsultationsScreen({ stop }: { stop: Stop }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('consultations.title')}</Title>
      <Text>{t('consultations.intro')}</Text>
      <Text c="dimmed" data-stop={stop.id}>
        {t('consultations.none')}
      </Text>
    </Stack>
  );
}
