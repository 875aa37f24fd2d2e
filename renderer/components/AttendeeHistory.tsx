import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DetailHistoryEntry } from '../../shared/ipc/attendeeCorrectionContract';
import type { HistoryEntry } from '../../shared/ipc/checkinContract';
import type { Stop } from '../../shared/schemas/masterData';
import { formatTime } from '../i18n/formatName';
import { formatFieldValue } from './correctionText';

/** Every check-in and undo of one person, at every stop, with desk and time; and every correction of their details (who, where, before → after). */
export function AttendeeHistory({ entries, stops, details, timeZone }: { entries: HistoryEntry[]; stops: Stop[]; details?: DetailHistoryEntry[]; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  const stopLabel = (id: string) => {
    const s = stops.find((x) => x.id === id);
    return s ? `${s.round} · ${i18n.language === 'ko' && s.cityKo ? s.cityKo : s.city}` : id;
  };
  return (
    <Stack gap="md">
      {entries.length === 0 ? (
        <Text c="dimmed">{t('desk.historyEmpty')}</Text>
      ) : (
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
                <Table.Td>
                  {t(e.kind === 'check_in' ? 'desk.historyCheckIn' : 'desk.historyVoid', {
                    who: e.staffName ?? t('attendeeEdit.unknownStaff'),
                    desk: e.desk || t('deskFit.unknownDesk'),
                    reason: e.reason ?? '',
                  })}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {details && (
        <Stack gap={4}>
          <Title order={4}>{t('attendeeEdit.detailsTitle')}</Title>
          {details.length === 0 ? (
            <Text c="dimmed">{t('attendeeEdit.detailsEmpty')}</Text>
          ) : (
            <Table aria-label={t('attendeeEdit.detailsTitle')} striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('desk.historyWhen')}</Table.Th>
                  <Table.Th>{t('desk.historyWhat')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {details.map((d) => (
                  <Table.Tr key={d.eventId}>
                    <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>{formatTime(d.at, i18n.language, timeZone)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {t(d.kind === 'resolved' ? 'attendeeEdit.resolved' : 'attendeeEdit.corrected', { who: d.staffName ?? t('attendeeEdit.unknownStaff'), desk: d.desk || t('deskFit.unknownDesk') })}
                        {d.inConflict && (
                          <Badge ml={6} size="sm" color="orange">
                            {t('attendeeEdit.inConflict')}
                          </Badge>
                        )}
                      </Text>
                      {d.changes.map((c) => (
                        <Text key={c.field} size="sm" style={{ overflowWrap: 'anywhere' }}>
                          {t(`attendeeEdit.fieldNames.${c.field}`)}: <s>{formatFieldValue(t, c.field, c.before)}</s> → {formatFieldValue(t, c.field, c.after)}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Stack>
  );
}
