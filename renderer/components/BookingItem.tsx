import { Badge, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BookingView } from '../../shared/schemas/booths';
import { formatName } from '../i18n/formatName';

export interface SlotOption {
  value: string;
  label: string;
}

export interface BookingItemProps {
  booking: BookingView;
  /** Where the booking could move to ("boothId|slotStart"). */
  moveOptions: SlotOption[];
  onAttendance(attendance: 'attended' | 'no_show'): void;
  onMove(target: string): void;
  onCancel(): void;
  onPrintCard(): void;
}

/** One booking in a slot: who, checked in or not, attendance, and what the desk can do with it. */
export function BookingItem({ booking: b, moveOptions, onAttendance, onMove, onCancel, onPrintCard }: BookingItemProps) {
  const { t } = useTranslation();
  const [moving, setMoving] = useState(false);
  const [target, setTarget] = useState<string | null>(null);
  const name = formatName(b.attendee);
  return (
    <Stack role="listitem" aria-label={name} gap={4} p="xs" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Text>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {b.attendee.affiliation}
          </Text>
        </Stack>
        <Group gap={4} justify="flex-end">
          <Badge variant="light" color="gray">
            {b.source === 'self' ? t('selfbook.source') : t(`booths.source.${b.source}`)}
          </Badge>
          <Badge color={b.attendance === 'attended' ? 'green' : b.attendance === 'no_show' ? 'red' : 'blue'} variant={b.attendance === 'pending' ? 'outline' : 'filled'}>
            {t(`booths.attendance.${b.attendance}`)}
          </Badge>
          {b.attendanceAuto && (
            <Badge color="red" variant="outline" title={t('noShow.autoTitle')} aria-label={t('noShow.autoTitle')}>
              {t('noShow.auto')}
            </Badge>
          )}
          {b.checkedIn ? (
            <Badge color="green" variant="light">
              {t('booths.checkedIn')}
            </Badge>
          ) : (
            <Badge color="yellow" variant="filled">
              {t('booths.notCheckedIn')}
            </Badge>
          )}
          {b.conflicted && <Badge color="orange">{t('booths.status.conflict')}</Badge>}
        </Group>
      </Group>
      <Group gap={4}>
        <Button size="compact-sm" color="green" variant="light" onClick={() => onAttendance('attended')} disabled={b.attendance === 'attended'} aria-label={t('booths.attendedName', { name })}>
          {t('booths.attended')}
        </Button>
        <Button size="compact-sm" color="red" variant="light" onClick={() => onAttendance('no_show')} disabled={b.attendance === 'no_show'} aria-label={t('booths.noShowName', { name })}>
          {t('booths.noShow')}
        </Button>
        <Button size="compact-sm" variant="light" onClick={() => setMoving((m) => !m)} aria-label={t('booths.moveName', { name })}>
          {t('booths.move')}
        </Button>
        <Button size="compact-sm" variant="subtle" color="red" onClick={onCancel} aria-label={t('booths.cancelName', { name })}>
          {t('booths.cancelBooking')}
        </Button>
        <Button size="compact-sm" variant="subtle" onClick={onPrintCard} aria-label={t('booths.print.cardName', { name })}>
          {t('booths.print.card')}
        </Button>
      </Group>
      {moving && (
        <Group align="flex-end" gap="xs">
          <Select label={t('booths.moveTo')} data={moveOptions} value={target} onChange={setTarget} searchable style={{ flex: 1 }} comboboxProps={{ withinPortal: false }} />
          <Button disabled={!target} onClick={() => target && onMove(target)}>
            {t('booths.moveConfirm')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
