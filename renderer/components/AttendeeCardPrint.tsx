import { Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BookingView, BoothScheduleRow } from '../../shared/schemas/booths';
import { formatName } from '../i18n/formatName';
import { formatStopTime } from '../i18n/formatStopTime';

export interface AttendeeCardPrintProps {
  bookings: BookingView[];
  rows: BoothScheduleRow[];
  timeZone: string;
  stopLabel: string;
}

/** A card to hand to the attendee: their consultations at this stop, in time order, with booth locations. */
export function AttendeeCardPrint({ bookings, rows, timeZone, stopLabel }: AttendeeCardPrintProps) {
  const { t } = useTranslation();
  const first = bookings[0];
  if (!first) return null;
  const sorted = [...bookings].sort((a, b) => (a.slotStart < b.slotStart ? -1 : 1));
  return (
    <div style={{ maxWidth: 420, border: '1px solid #999', borderRadius: 8, padding: 16 }}>
      <Title order={2} size="h3">
        {formatName(first.attendee)}
      </Title>
      <Text size="sm">{first.attendee.affiliation}</Text>
      <Text size="sm" mb="sm">
        {t('booths.print.cardTitle')} · {stopLabel}
      </Text>
      <Table withTableBorder aria-label={t('booths.print.cardTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('booths.print.time')}</Table.Th>
            <Table.Th>{t('booths.print.boothColumn')}</Table.Th>
            <Table.Th>{t('booths.location')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((b) => {
            const row = rows.find((r) => r.booth.id === b.boothId);
            return (
              <Table.Tr key={b.bookingId}>
                <Table.Td>
                  {formatStopTime(b.slotStart, timeZone)}–{formatStopTime(b.slotEnd, timeZone)}
                </Table.Td>
                <Table.Td>{row?.booth.institution.shortName ?? b.boothId}</Table.Td>
                <Table.Td>{row?.booth.location ?? ''}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        {first.scanToken}
      </Text>
    </div>
  );
}
