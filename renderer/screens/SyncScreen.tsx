import { Code, Stack, Table, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../state/appStore';

export function SyncScreen() {
  const { t } = useTranslation();
  const info = useAppStore((s) => s.info);
  const refreshInfo = useAppStore((s) => s.refreshInfo);
  useEffect(() => void refreshInfo(), [refreshInfo]);
  return (
    <Stack>
      <Title order={2}>{t('sync.title')}</Title>
      {info && (
        <Table aria-label={t('sync.title')} w="auto">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th>{t('sync.deviceId')}</Table.Th>
              <Table.Td>
                <Code>{info.deviceId}</Code>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('sync.events')}</Table.Th>
              <Table.Td>{info.eventCount}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('sync.unsynced')}</Table.Th>
              <Table.Td>{info.unsyncedCount}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('sync.dataDir')}</Table.Th>
              <Table.Td>
                <Code>{info.dataDir}</Code>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
