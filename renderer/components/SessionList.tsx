import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { StopSession } from '../../shared/schemas/masterData';

export interface SessionListProps {
  sessions: StopSession[];
  /** The stop's IANA zone: the times are its wall clock. */
  timeZone: string;
  /** Edit and cancel buttons (stop lead, HQ admin). */
  onEdit?(session: StopSession): void;
  onSetCancelled?(session: StopSession, cancelled: boolean): void;
}

/** The stop's programme in its own time zone; a cancelled session stays, struck through. */
export function SessionList({ sessions, timeZone, onEdit, onSetCancelled }: SessionListProps) {
  const { t, i18n } = useTranslation();
  const editable = Boolean(onEdit || onSetCancelled);
  if (sessions.length === 0) return <Text c="dimmed">{t('programme.none')}</Text>;
  return (
    <Table aria-label={t('programme.list')} verticalSpacing="sm" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('programme.time')}</Table.Th>
          <Table.Th>{t('programme.session')}</Table.Th>
          <Table.Th>{t('programme.room')}</Table.Th>
          <Table.Th>{t('programme.capacity')}</Table.Th>
          {editable && <Table.Th>{t('programme.actions')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sessions.map((s) => {
          const title = i18n.language === 'ko' && s.titleKo ? s.titleKo : s.title;
          const struck = s.cancelled ? ({ textDecoration: 'line-through' } as const) : undefined;
          const dim = s.cancelled ? 'dimmed' : undefined;
          return (
            <Table.Tr key={s.id} aria-label={`${title}${s.cancelled ? `, ${t('programme.cancelled')}` : ''}`} data-cancelled={s.cancelled || undefined}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm" c={dim} style={struck}>
                  {t('programme.timeRange', { start: s.startTime, end: s.endTime, tz: timeZone })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={600} c={dim} style={struck}>
                    {title}
                  </Text>
                  {s.cancelled && (
                    <Badge color="red" variant="light" size="sm">
                      {t('programme.cancelled')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {t(`sessionKind.${s.kind}`)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={dim} style={struck}>
                  {s.room || '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={dim} style={struck}>
                  {s.capacity === null ? t('programme.noLimit') : t('programme.seats', { count: s.capacity })}
                </Text>
              </Table.Td>
              {editable && (
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {onEdit && (
                      <Button size="compact-xs" variant="subtle" onClick={() => onEdit(s)} aria-label={t('programme.editName', { title })}>
                        {t('programme.edit')}
                      </Button>
                    )}
                    {onSetCancelled && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color={s.cancelled ? 'blue' : 'red'}
                        onClick={() => onSetCancelled(s, !s.cancelled)}
                        aria-label={t(s.cancelled ? 'programme.restoreName' : 'programme.cancelName', { title })}
                      >
                        {t(s.cancelled ? 'programme.restore' : 'programme.cancel')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
