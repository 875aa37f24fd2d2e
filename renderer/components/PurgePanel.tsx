import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PurgeCheck } from '../../shared/ipc/purgeContract';
import type { PurgeResult } from '../../shared/ipc/securityContract';
import { errorMessage } from '../i18n/errorMessage';

export interface PurgeStopRow {
  stopId: string;
  name: string;
  check: PurgeCheck | null;
  checking: boolean;
  error: unknown;
}

export interface PurgePanelProps {
  stops: PurgeStopRow[];
  purging: string | null;
  result: PurgeResult | null;
  onCheck(stopId: string): void;
  onPurge(stopId: string): void;
}

function StopCard({ row, purging, onCheck, onAsk }: { row: PurgeStopRow; purging: boolean; onCheck(): void; onAsk(): void }) {
  const { t, i18n } = useTranslation();
  const k = 'deskOps.purge';
  const c = row.check;
  const diff = c?.remote ? Math.abs(c.local.eventCount - c.remote.eventCount) : 0;
  const stateText = c ? t(`${k}.state.${c.state}`, { count: diff, code: c.errorCode ?? '' }) : null;
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={row.name}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{row.name}</Text>
          {c && <Badge color={c.state === 'equal' ? 'green' : 'orange'}>{c.state === 'equal' ? t(`${k}.state.equal`) : t(`${k}.notReady`)}</Badge>}
        </Group>
        {c?.purgedAt && (
          <Text size="sm" c="dimmed">
            {t(`${k}.purged`, { at: new Date(c.purgedAt).toLocaleString(i18n.language === 'ko' ? 'ko-KR' : 'en-US') })}
          </Text>
        )}
        {c && (
          <Text size="sm">
            {t(`${k}.here`, { count: c.local.eventCount })} · {c.remote ? t(c.remote.source === 'hub' ? `${k}.atHub` : `${k}.atHq`, { count: c.remote.eventCount }) : t(`${k}.atHqUnknown`)}
          </Text>
        )}
        {c && c.state !== 'equal' && (
          <Text size="sm" c="orange.9" role="status">
            {stateText}
          </Text>
        )}
        {row.error !== null && row.error !== undefined && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(t, row.error)}
          </Text>
        )}
        <Group gap="xs">
          <Button size="compact-sm" variant="default" loading={row.checking} onClick={onCheck}>
            {row.checking ? t(`${k}.checking`) : t(`${k}.check`)}
          </Button>
          <Button size="compact-sm" color="red" disabled={c?.state !== 'equal' || row.checking} loading={purging} aria-label={t(`${k}.purgeName`, { stop: row.name })} onClick={onAsk}>
            {t(`${k}.purge`)}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** The stop lead's purge screen: each stop's digest state against HQ's, and the purge with a typed confirmation. */
export function PurgePanel({ stops, purging, result, onCheck, onPurge }: PurgePanelProps) {
  const { t } = useTranslation();
  const k = 'deskOps.purge';
  const [asking, setAsking] = useState<PurgeStopRow | null>(null);
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  const word = t(`${k}.confirmWord`);
  const close = () => {
    setAsking(null);
    setTyped('');
    setWrong(false);
  };
  return (
    <Stack gap="sm" component="section" aria-label={t(`${k}.title`)}>
      <Title order={3}>{t(`${k}.title`)}</Title>
      <Text size="sm" c="dimmed">
        {t(`${k}.intro`)}
      </Text>
      {result && (
        <Alert color="green" role="status">
          {t(`${k}.done`, { attendees: result.attendeesPurged, events: result.eventsRedacted, backups: result.backupsRemoved })}
        </Alert>
      )}
      {stops.map((row) => (
        <StopCard key={row.stopId} row={row} purging={purging === row.stopId} onCheck={() => onCheck(row.stopId)} onAsk={() => setAsking(row)} />
      ))}
      <Modal opened={asking !== null} onClose={close} title={asking ? t(`${k}.confirmTitle`, { stop: asking.name }) : ''}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!asking) return;
            if (typed.trim() !== word) return setWrong(true);
            onPurge(asking.stopId);
            close();
          }}
        >
          <Stack>
            <Text size="sm">{t(`${k}.confirmBody`)}</Text>
            <TextInput label={t(`${k}.confirmLabel`, { word })} value={typed} onChange={(e) => { setTyped(e.currentTarget.value); setWrong(false); }} error={wrong ? t(`${k}.confirmWrong`, { word }) : undefined} autoComplete="off" data-autofocus />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t(`${k}.cancel`)}
              </Button>
              <Button type="submit" color="red">
                {t(`${k}.confirmButton`)}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
