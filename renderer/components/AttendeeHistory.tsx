import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../shared/ipc/checkinContract';
import type { Stop } from '../../shared/schemas/masterData';
import { formatTime } from '../i18n/formatName';

/** Every check-in and undo of one person, at every stop, with desk and time. */
export function AttendeeHistory({ entries, stops }: { entries: HistoryEntry[]; stops: Stop[] }) {
  const { t, i18n } = useTranslation();
  if (entries.length === 0) return <Text c="dimmed">{t('desk.historyEmpty')}</Text>;
  const stopLabel = (id: string) => {
    const s = stops.find((x) => x.id === id);
    return s ? `${s.round} · ${i18n.language === 'ko' && s.cityKo ? s.cityKo : s.city}` : id;
  };
  return (
    <Table aria-label={t('desk.historyTitle')} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('desk.historyWhen')}</Table.Th>
          <Table.Th>{t('desk.historyStop')}</Table.Th>
          <Table.Th>{t('desk.historyWhat')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((e) => (
          <Table.Tr key={e.eventId}>
            <Table.Td>{formatTime(e.at, i18n.language, stops.find((s) => s.id === e.stopId)?.timeZone)}</Table.Td>
            <Table.Td>{stopLabel(e.stopId)}</Table.Td>
            <Table.Td>{e.kind === 'check_in' ? t('desk.historyCheckIn', { desk: e.desk }) : t('desk.historyVoid', { desk: e.desk || '–', reason: e.reason ?? '' })}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
