import { Alert, Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StopCloseCheck } from '../../shared/ipc/stopCloseContract';
import { errorMessage } from '../i18n/errorMessage';

export interface StopClosePanelProps {
  stopName: string | null;
  busy: boolean;
  check: StopCloseCheck | null;
  error: unknown;
  onCheck(): void;
}

/** Closing a stop: the digest check that every desk's events are at HQ, desk by desk. */
export function StopClosePanel({ stopName, busy, check, error, onCheck }: StopClosePanelProps) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-label={t('stopClose.title')}>
      <Stack>
        <Title order={3} size="h4">
          {t('stopClose.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('stopClose.help')}
        </Text>
        <Button onClick={onCheck} loading={busy} disabled={!stopName} w="fit-content">
          {stopName ? t('stopClose.check', { stop: stopName }) : t('stopClose.noStop')}
        </Button>
        {check && (
          <>
            <Alert color={check.complete ? 'green' : 'yellow'} role="status" title={check.complete ? t('stopClose.complete') : t('stopClose.incomplete')}>
              {check.complete ? t('stopClose.completeHelp') : t('stopClose.incompleteHelp')}
            </Alert>
            <Table aria-label={t('stopClose.desks')} w="auto">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('stopClose.desk')}</Table.Th>
                  <Table.Th>{t('stopClose.here')}</Table.Th>
                  <Table.Th>{t('stopClose.atHq')}</Table.Th>
                  <Table.Th>{t('stopClose.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {check.desks.map((d) => (
                  <Table.Tr key={d.deviceId}>
                    <Table.Td>{d.deviceId}</Table.Td>
                    <Table.Td>{t('stopClose.events', { count: d.localCount, max: d.localMaxSeq })}</Table.Td>
                    <Table.Td>{t('stopClose.events', { count: d.hqCount, max: d.hqMaxSeq })}</Table.Td>
                    <Table.Td>{d.complete ? t('stopClose.deskComplete') : t('stopClose.deskMissing', { missing: d.missing, from: d.hqMaxSeq + 1, to: d.localMaxSeq })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
        {error != null && (
          <Alert color="red" role="alert" title={t('stopClose.failed')}>
            {errorMessage(t, error)}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
