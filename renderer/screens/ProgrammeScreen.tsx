import { Alert, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Stop } from '../../shared/schemas/masterData';
import { SessionForm } from '../components/SessionForm';
import { SessionList } from '../components/SessionList';
import { errorMessage } from '../i18n/errorMessage';
import { useCanConfigure } from '../state/permissions';
import { useProgrammeStore } from '../state/programmeStore';
import { useLiveRefresh } from '../state/useLiveRefresh';

/** The stop's programme (from HQ's plan, by sync), in the stop's own time zone; a stop lead adapts it on site. */
export function ProgrammeScreen({ stop }: { stop: Stop }) {
  const { t, i18n } = useTranslation();
  const p = useProgrammeStore();
  const configures = useCanConfigure();

  useEffect(() => {
    void useProgrammeStore.getState().load(stop.id);
  }, [stop.id]);
  useLiveRefresh(() => void useProgrammeStore.getState().load(stop.id));

  const sessions = p.stopId === stop.id ? p.sessions : [];
  const city = i18n.language === 'ko' && stop.cityKo ? stop.cityKo : stop.city;
  const editing = p.editing === 'new' ? null : p.editing;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Stack gap={0}>
          <Title order={2}>{t('programme.heading')}</Title>
          <Text size="sm" c="dimmed">
            {t('programme.subtitle', { round: stop.round, city, date: stop.date, tz: stop.timeZone })}
          </Text>
        </Stack>
        {configures && <Button onClick={() => p.edit('new')}>{t('programme.add')}</Button>}
      </Group>
      {p.error != null && (
        <Alert color="red" role="alert">
          {errorMessage(t, p.error)}
        </Alert>
      )}
      {p.notice && (
        <Text c="green" role="status">
          {t(`programme.notice.${p.notice.kind}`, { title: p.notice.title })}
        </Text>
      )}
      <SessionList
        sessions={sessions}
        timeZone={stop.timeZone}
        onEdit={configures ? (s) => p.edit(s) : undefined}
        onSetCancelled={configures ? (s, cancelled) => void p.setCancelled(s, cancelled) : undefined}
      />
      <Modal
        opened={p.editing !== null}
        onClose={() => p.edit(null)}
        title={editing ? t('programme.editTitle', { title: editing.title }) : t('programme.addTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('booths.close') }}
      >
        {p.editing !== null && (
          <SessionForm
            key={editing?.id ?? 'new'}
            session={editing}
            timeZone={stop.timeZone}
            error={p.saveError}
            onCancel={() => p.edit(null)}
            onSubmit={(fields) => void p.save({ ...fields, id: editing?.id, stopId: stop.id, cancelled: editing?.cancelled ?? false })}
          />
        )}
      </Modal>
    </Stack>
  );
}
