import { Button, Checkbox, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat } from '../../shared/schemas/consultations';
import type { Institution } from '../../shared/schemas/masterData';

export interface FollowUpExportPanelProps {
  institutions: Institution[];
  defaultInstitutionId: string | null;
  onExport(institutionId: string, wholeTour: boolean, format: ExportFormat): Promise<unknown>;
  /** Locked to this one institution (booth staff export only their own), with the reason said beside it. */
  locked?: boolean;
  /** The outcome of the last export, shown inside the panel (beside the buttons that caused it). */
  outcome?: ReactNode;
}

/** Exports one institution's follow-up list (this stop or the whole tour) as CSV or Excel. */
export function FollowUpExportPanel({ institutions, defaultInstitutionId, onExport, locked, outcome }: FollowUpExportPanelProps) {
  const { t, i18n } = useTranslation();
  const [institutionId, setInstitutionId] = useState<string | null>(defaultInstitutionId);
  const [wholeTour, setWholeTour] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<ExportFormat | null>(null);

  async function run(format: ExportFormat) {
    if (!institutionId) return setError(t('consultations.export.choose'));
    setError(undefined);
    setBusy(format);
    try {
      await onExport(institutionId, wholeTour, format);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="followup-export-title">
      <Stack gap="xs">
        <Title order={3} size="h5" id="followup-export-title">
          {t('consultations.export.title')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('consultations.export.help')}
        </Text>
        <Group align="flex-end">
          <Select
            label={t('consultations.export.institution')}
            data={institutions.map((i) => ({ value: i.id, label: `${i.shortName} · ${i18n.language === 'ko' && i.nameKo ? i.nameKo : i.name}` }))}
            value={institutionId}
            onChange={setInstitutionId}
            disabled={locked}
            description={locked ? t('roleFit.exportLocked') : undefined}
            error={error}
            w={280}
          />
          <Checkbox label={t('consultations.export.wholeTour')} checked={wholeTour} onChange={(e) => setWholeTour(e.currentTarget.checked)} mb={8} />
          <Button variant="light" loading={busy === 'csv'} onClick={() => void run('csv')}>
            {t('consultations.export.csv')}
          </Button>
          <Button variant="light" loading={busy === 'xlsx'} onClick={() => void run('xlsx')}>
            {t('consultations.export.xlsx')}
          </Button>
        </Group>
        {outcome}
      </Stack>
    </Paper>
  );
}
