import { Alert, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CheckTarget, StopCloseCheck } from '../../shared/ipc/stopCloseContract';
import { errorMessage } from '../i18n/errorMessage';

export interface StopClosePanelProps {
  stopName: string | null;
  /** A check is running (true: at HQ), or where it runs. */
  busy: boolean | CheckTarget;
  check: StopCloseCheck | null;
  error: unknown;
  onCheck(): void;
  /** Given when this desk is joined to a venue hub: the same check against the hub. */
  onCheckHub?: () => void;
}

/** Closing a stop: the digest check that every desk's events are at HQ (or at the venue hub), desk by desk. */
export function StopClosePanel({ stopName, busy, check, error, onCheck, onCheckHub }: StopClosePanelProps) {
  const { t } = useTranslation();
  const atHub = check?.at === 'hub';
  const running = busy !== false;
  return (
    <Card withBorder component="section" aria-label={t('stopClose.title')}>
      <Stack>
        <Title order={3} size="h4">
          {t('stopClose.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('stopClose.help')}
        </Text>
        {onCheckHub && (
          <Text size="sm" c="dimmed">
            {t('stopClose.helpHub')}
          </Text>
        )}
        <Group>
          <Button onClick={onCheck} loading={busy === true || busy === 'hq'} disabled={!stopName || running} w="fit-content">
            {stopName ? t('stopClose.check', { stop: stopName }) : t('stopClose.noStop')}
          </Button>
          {onCheckHub && stopName && (
            <Button variant="light" onClick={onCheckHub} loading={busy === 'hub'} disabled={running} w="fit-content">
              {t('stopClose.checkHub', { stop: stopName })}
            </Button>
          )}
        </Group>
        {check && (
          <>
            <Alert color={check.complete ? 'green' : 'yellow'} role="status" title={t(`stopClose.${check.complete ? 'complete' : 'incomplete'}${atHub ? 'Hub' : ''}`)}>
              {t(`stopClose.${check.complete ? 'completeHelp' : 'incompleteHelp'}${atHub ? 'Hub' : ''}`)}
            </Alert>
            <Table aria-label={t('stopClose.desks')} w="auto">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('stopClose.desk')}</Table.Th>
                  <Table.Th>{t('stopClose.here')}</Table.Th>
                  <Table.Th>{atHub ? t('stopClose.atHub') : t('stopClose.atHq')}</Table.Th>
                  <Table.Th>{t('stopClose.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {check.desks.map((d) => (
                  <Table.Tr key={d.deviceId}>
                    <Table.Td>{d.deviceId}</Table.Td>
                    <Table.Td>{t('stopClose.events', { count: d.localCount, max: d.localMaxSeq })}</Table.Td>
                    <Table.Td>{t('stopClose.events', { count: d.hqCount, max: d.hqMaxSeq })}</Table.Td>
                    <Table.Td>{d.complete ? t('stopClose.deskComplete') : t(atHub ? 'stopClose.deskMissingHub' : 'stopClose.deskMissing', { missing: d.missing, from: d.hqMaxSeq + 1, to: d.localMaxSeq })}</Table.Td>
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
