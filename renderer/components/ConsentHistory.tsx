import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsentHistoryEntry } from '../../shared/ipc/consentContract';
import { formatTime } from '../i18n/formatName';
import { ConsentWordingDetails } from './ConsentWordingDetails';

/** A person's consents, newest first: when, what they chose, and the exact wording of the text they agreed to. */
export function ConsentHistory({ entries, error, timeZone }: { entries: ConsentHistoryEntry[] | null; error?: string | null; timeZone?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={4} mt="md">
      <Title order={4}>{t('consentFit.historyTitle')}</Title>
      {error ? (
        <Text c="red" role="alert">
          {error}
        </Text>
      ) : entries === null ? null : entries.length === 0 ? (
        <Text c="dimmed">{t('consentFit.historyEmpty')}</Text>
      ) : (
        <Table aria-label={t('consentFit.historyTitle')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('consentFit.historyWhen')}</Table.Th>
              <Table.Th>{t('consentFit.historyChoice')}</Table.Th>
              <Table.Th>{t('consentFit.historyText')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((c) => {
              // The choice by the app's label; the exact words the person read are under "Show the wording".
              const choice = t(`consentScope.${c.scope}`);
              return (
                <Table.Tr key={c.consentId}>
                  <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>{formatTime(c.givenAt, i18n.language, timeZone)}</Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Text size="sm">{c.institutionShortName ? t('consentFit.historyInstitution', { choice, institution: c.institutionShortName }) : choice}</Text>
                    <Badge size="sm" variant="light" color={c.effective ? 'teal' : 'gray'}>
                      {c.effective ? t('consentFit.historyCurrent') : t('consentFit.historyReplaced')}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Text size="sm">{c.textVersion}</Text>
                    <ConsentWordingDetails version={c.textVersion} wording={c.wording} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
