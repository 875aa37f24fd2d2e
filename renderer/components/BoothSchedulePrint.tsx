import { Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BookingView, BoothScheduleRow } from '../../shared/schemas/booths';
import { formatName } from '../i18n/formatName';

export interface BoothSchedulePrintProps {
  row: BoothScheduleRow;
  bookings: BookingView[];
  stopLabel: string;
}

/** The booth's day on paper for the institution's staff: every slot, who is booked, a box to tick. */
export function BoothSchedulePrint({ row, bookings, stopLabel }: BoothSchedulePrintProps) {
  const { t, i18n } = useTranslation();
  const inst = row.booth.institution;
  const name = i18n.language === 'ko' && inst.nameKo ? inst.nameKo : inst.name;
  return (
    <div>
      <Title order={2} size="h3">
        {t('booths.print.scheduleTitle', { booth: `${inst.shortName} (${row.booth.location})` })}
      </Title>
      <Text size="sm" mb="sm">
        {name} · {stopLabel}
      </Text>
      <Table withTableBorder withColumnBorders aria-label={t('booths.print.scheduleTitle', { booth: inst.shortName })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('booths.print.time')}</Table.Th>
            <Table.Th>{t('booths.print.attendee')}</Table.Th>
            <Table.Th>{t('booths.print.affiliation')}</Table.Th>
            <Table.Th>{t('booths.attended')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {row.slots.flatMap((s) => {
            const inSlot = bookings.filter((b) => b.boothId === row.booth.id && b.slotStart === s.start && b.attendance !== 'no_show');
            const lines = inSlot.length > 0 ? inSlot : [null];
            return lines.map((b, i) => (
              <Table.Tr key={`${s.start}-${b?.bookingId ?? 'free'}`}>
                <Table.Td>{i === 0 ? `${s.localStart}–${s.localEnd}` : ''}</Table.Td>
                <Table.Td>{b ? formatName(b.attendee) : t('booths.print.empty')}</Table.Td>
                <Table.Td>{b?.attendee.affiliation ?? ''}</Table.Td>
                <Table.Td>{b ? (b.attendance === 'attended' ? '☑' : '☐') : ''}</Table.Td>
              </Table.Tr>
            ));
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}
