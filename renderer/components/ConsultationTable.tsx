import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsultationSummary } from '../../shared/schemas/consultations';
import { formatName, formatTime } from '../i18n/formatName';

export interface ConsultationTableProps {
  items: ConsultationSummary[];
  timeZone: string;
  onOpen(consultationId: string): void;
}

const INTEREST_COLOR = { low: 'gray', medium: 'blue', high: 'teal' } as const;
const STATUS_COLOR = { none: 'gray', open: 'orange', in_progress: 'yellow', done: 'green' } as const;

/** The consultations of a stop (or an institution), newest first. */
export function ConsultationTable({ items, timeZone, onOpen }: ConsultationTableProps) {
  const { t, i18n } = useTranslation();
  return (
    <Table striped highlightOnHover aria-label={t('consultations.list')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('consultations.col.time')}</Table.Th>
          <Table.Th>{t('consultations.col.person')}</Table.Th>
          <Table.Th>{t('consultations.col.institution')}</Table.Th>
          <Table.Th>{t('consultations.col.interest')}</Table.Th>
          <Table.Th>{t('consultations.col.followUp')}</Table.Th>
          <Table.Th>{t('consultations.col.staff')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((c) => {
          const name = c.person ? formatName(c.person) || c.person.email : c.visitorLabel ? `${t('consultations.anonymous')} (${c.visitorLabel})` : t('consultations.anonymous');
          const fields = [...c.content.fields.map((f) => t(`field.${f}`)), ...c.content.otherFields].join(', ');
          return (
            <Table.Tr key={c.consultationId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(c.loggedAt, i18n.language, timeZone)}</Table.Td>
              <Table.Td>
                <Text fw={600} size="sm">
                  {name}
                </Text>
                <Text size="xs" c="dimmed">
                  {[c.person?.affiliation, fields].filter(Boolean).join(' · ')}
                </Text>
              </Table.Td>
              <Table.Td>{c.institutionShortName}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={INTEREST_COLOR[c.content.interestLevel]}>
                  {t(`consultations.interest.${c.content.interestLevel}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Badge variant="dot" color={STATUS_COLOR[c.content.followUpStatus]}>
                    {t(`consultations.status.${c.content.followUpStatus}`)}
                  </Badge>
                  {c.conflict && <Badge color="red">{t('consultations.conflictBadge')}</Badge>}
                </Group>
                {c.content.followUpAction && (
                  <Text size="xs" c="dimmed">
                    {c.content.followUpAction}
                    {c.content.followUpDue ? ` · ${c.content.followUpDue}` : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{c.content.staffName}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" onClick={() => onOpen(c.consultationId)} aria-label={t('consultations.open', { name })}>
                  {t('consultations.openButton')}
                </Button>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
