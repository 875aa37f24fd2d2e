import { Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegistrationView } from '../../shared/schemas/attendees';
import type { Stop } from '../../shared/schemas/masterData';
import { CheckinNoticeBanner } from '../components/CheckinNoticeBanner';
import { CountsBar } from '../components/CountsBar';
import { RegistrationRow } from '../components/RegistrationRow';
import { UndoCheckInForm } from '../components/UndoCheckInForm';
import { WalkInForm } from '../components/WalkInForm';
import { useCheckinStore } from '../state/checkinStore';

export function CheckInScreen({ stop }: { stop: Stop }) {
  const { t } = useTranslation();
  const s = useCheckinStore();
  const [selected, setSelected] = useState(0);
  const [undoTarget, setUndoTarget] = useState<RegistrationView | null>(null);
  const [walkInOpen, setWalkInOpen] = useState(false);

  useEffect(() => {
    void s.refresh(stop.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stop.id]);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setSelected((i) => Math.min(i + 1, s.results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      const r = s.results[selected];
      if (r) void s.checkIn(stop.id, r.registrationId);
    } else if (e.key === 'Escape') {
      setSelected(0);
      void s.setQuery(stop.id, '');
    }
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('checkin.title')}</Title>
        <CountsBar counts={s.counts} />
      </Group>
      {s.notice && <CheckinNoticeBanner notice={s.notice} onClose={s.clearNotice} />}
      <Group align="flex-end">
        <TextInput
          style={{ flex: 1 }}
          size="lg"
          label={t('checkin.search')}
          placeholder={t('checkin.searchPlaceholder')}
          value={s.query}
          onChange={(e) => {
            setSelected(0);
            void s.setQuery(stop.id, e.currentTarget.value);
          }}
          onKeyDown={onKeyDown}
          autoFocus
          autoComplete="off"
        />
        <Button size="lg" variant="light" onClick={() => setWalkInOpen(true)}>
          {t('checkin.walkIn')}
        </Button>
      </Group>
      <Stack role="list" aria-label={t('checkin.results')} gap={4}>
        {s.results.map((r, i) => (
          <RegistrationRow
            key={r.registrationId}
            registration={r}
            selected={i === selected}
            onCheckIn={() => void s.checkIn(stop.id, r.registrationId)}
            onUndo={() => setUndoTarget(r)}
          />
        ))}
        {!s.searching && s.query && s.results.length === 0 && <Text c="dimmed">{t('checkin.noResults', { query: s.query })}</Text>}
      </Stack>
      <Modal opened={undoTarget !== null} onClose={() => setUndoTarget(null)} title={t('checkin.undo')}>
        {undoTarget?.checkIn && (
          <UndoCheckInForm
            onCancel={() => setUndoTarget(null)}
            onSubmit={(reason) => {
              void s.undo(stop.id, undoTarget.checkIn!.eventId, reason);
              setUndoTarget(null);
            }}
          />
        )}
      </Modal>
      <Modal opened={walkInOpen} onClose={() => setWalkInOpen(false)} title={t('walkIn.title')} size="lg">
        <WalkInForm
          stopId={stop.id}
          onCancel={() => setWalkInOpen(false)}
          onSubmit={async (input) => {
            await s.registerWalkIn(input);
            setWalkInOpen(false);
          }}
        />
      </Modal>
    </Stack>
  );
}
