import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoothView } from '../../shared/ipc/masterDataContract';
import type { Stop } from '../../shared/schemas/masterData';
import { api } from '../api/apiClient';
import { errorMessage } from '../i18n/errorMessage';

export function BoothsScreen({ stop }: { stop: Stop }) {
  const { t, i18n } = useTranslation();
  const [booths, setBooths] = useState<BoothView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api().call('booths:list', { stopId: stop.id }).then(setBooths, setError);
  }, [stop.id]);
  return (
    <Stack>
      <Title order={2}>{t('booths.title')}</Title>
      {error !== null && <Text c="red" role="alert">{errorMessage(t, error)}</Text>}
      {booths && booths.length === 0 && <Text c="dimmed">{t('booths.none')}</Text>}
      {booths && booths.length > 0 && (
        <Table striped highlightOnHover aria-label={t('booths.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('booths.location')}</Table.Th>
              <Table.Th>{t('booths.institution')}</Table.Th>
              <Table.Th>{t('booths.kind')}</Table.Th>
              <Table.Th>{t('booths.staff')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {booths.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>{b.location}</Table.Td>
                <Table.Td>
                  <Text fw={600}>{b.institution.shortName}</Text>
                  <Text size="sm" c="dimmed">
                    {i18n.language === 'ko' && b.institution.nameKo ? b.institution.nameKo : b.institution.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{t(`institutionKind.${b.institution.kind}`)}</Badge>
                </Table.Td>
                <Table.Td>{b.staff.join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
