import { Badge, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingView, ConflictView } from '../../shared/schemas/booths';
import { formatName } from '../i18n/formatName';
import { formatStopTime } from '../i18n/formatStopTime';
import type { SlotOption } from './BookingItem';

export interface ConflictListProps {
  conflicts: ConflictView[];
  boothName(boothId: string): string;
  timeZone: string;
  moveOptions: SlotOption[];
  onKeep(bookingId: string): void;
  onCancel(bookingId: string): void;
  onMove(bookingId: string, target: string): void;
}

function ConflictedBooking({ b, moveOptions, onKeep, onCancel, onMove, place }: { b: BookingView; place: string; moveOptions: SlotOption[]; onKeep(): void; onCancel(): void; onMove(target: string): void }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<string | null>(null);
  const name = formatName(b.attendee);
  return (
    <Stack gap={4} role="listitem" aria-label={name}>
      <Group gap={6}>
        <Text size="sm" fw={600}>
          {name}
        </Text>
        <Text size="xs" c="dimmed">
          {place}
        </Text>
        <Badge color="orange">{t('booths.conflicts.needsDecision')}</Badge>
      </Group>
      <Group gap={4} align="flex-end">
        <Button size="compact-sm" variant="light" onClick={onKeep} aria-label={t('booths.conflicts.keepName', { name })}>
          {t('booths.conflicts.keep')}
        </Button>
        <Button size="compact-sm" variant="light" color="red" onClick={onCancel} aria-label={t('booths.conflicts.cancelName', { name })}>
          {t('booths.cancelBooking')}
        </Button>
        <Select size="xs" placeholder={t('booths.moveTo')} aria-label={t('booths.conflicts.moveName', { name })} data={moveOptions} value={target} onChange={setTarget} searchable w={220} />
        <Button size="compact-sm" disabled={!target} onClick={() => target && onMove(target)}>
          {t('booths.moveConfirm')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Conflicts that only sync could reveal: a person decides each with keep, cancel or move. */
export function ConflictList({ conflicts, boothName, timeZone, moveOptions, onKeep, onCancel, onMove }: ConflictListProps) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={t('booths.conflicts.title')}>
      <Title order={3} size="h4" mb="xs">
        {t('booths.conflicts.title')} {conflicts.length > 0 && <Badge color="orange">{conflicts.length}</Badge>}
      </Title>
      {conflicts.length === 0 && <Text c="dimmed">{t('booths.conflicts.none')}</Text>}
      <Stack gap="md">
        {conflicts.map((c) => {
          const first = c.bookings.find((b) => c.conflictedBookingIds.includes(b.bookingId)) ?? c.bookings[0]!;
          const title = t(`booths.conflicts.${c.kind}`, {
            booth: boothName(c.boothId),
            time: formatStopTime(c.slotStart, timeZone),
            count: c.bookings.length,
            capacity: c.capacity ?? 0,
            name: formatName(first.attendee),
          });
          return (
            <Stack key={c.key} gap={6} role="list" aria-label={title}>
              <Text fw={600}>{title}</Text>
              {c.bookings.map((b) => {
                const place = `${boothName(b.boothId)} ${formatStopTime(b.slotStart, timeZone)}`;
                return c.conflictedBookingIds.includes(b.bookingId) ? (
                  <ConflictedBooking
                    key={b.bookingId}
                    b={b}
                    place={place}
                    moveOptions={moveOptions}
                    onKeep={() => onKeep(b.bookingId)}
                    onCancel={() => onCancel(b.bookingId)}
                    onMove={(target) => onMove(b.bookingId, target)}
                  />
                ) : (
                  <Group key={b.bookingId} gap={6} role="listitem" aria-label={formatName(b.attendee)}>
                    <Text size="sm">{formatName(b.attendee)}</Text>
                    <Text size="xs" c="dimmed">
                      {place}
                    </Text>
                    <Badge color="green" variant="light">
                      {t('booths.conflicts.keepsPlace')}
                    </Badge>
                  </Group>
                );
              })}
            </Stack>
          );
        })}
      </Stack>
    </Paper>
  );
}
