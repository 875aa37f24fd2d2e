import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Stop } from '../../shared/schemas/masterData';
import { DeskConflictList } from '../components/DeskConflictList';
import { errorMessage } from '../i18n/errorMessage';
import { conflictKey, useConflictsStore } from '../state/conflictsStore';
import { useLiveRefresh } from '../state/useLiveRefresh';

/** Issue #19: the conflicts HQ lists, at the desk and the hub laptop, resolvable here. */
export function ConflictsScreen({ stop }: { stop: Stop }) {
  const { t } = useTranslation();
  const s = useConflictsStore();
  useEffect(() => {
    useConflictsStore.setState({ resolved: null, error: null });
    void useConflictsStore.getState().load(stop.id);
  }, [stop.id]);
  // Other desks' events arrive by sync (or every few seconds through a venue hub): so do new conflicts.
  useLiveRefresh(() => void useConflictsStore.getState().load(stop.id));
  const entries = s.stopId === stop.id ? s.entries : null;
  return (
    <Stack maw={960}>
      <Group justify="space-between">
        <Title order={2}>{t('deskOps.conflicts.title')}</Title>
        <Button variant="default" onClick={() => void s.load(stop.id)}>
          {t('deskOps.conflicts.refresh')}
        </Button>
      </Group>
      <Text c="dimmed">{t('deskOps.conflicts.intro')}</Text>
      {s.resolved && (
        <Alert color="green" role="status">
          {t('deskOps.conflicts.resolved')}
        </Alert>
      )}
      {s.error !== null && (
        <Alert color="red" role="alert">
          {errorMessage(t, s.error)}
        </Alert>
      )}
      {entries === null ? (
        <Loader aria-label={t('deskOps.conflicts.loading')} />
      ) : (
        <DeskConflictList entries={entries} timeZone={stop.timeZone} busy={s.busy} keyOf={conflictKey} onResolve={(key, r) => void s.resolve(stop.id, key, r)} />
      )}
    </Stack>
  );
}
