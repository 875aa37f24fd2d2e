import { Alert, Button, Card, FileInput, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleFile, BundleImportReport } from '../../shared/ipc/bundleContract';
import { errorMessage } from '../i18n/errorMessage';

export interface BundlePanelProps {
  busy: 'export' | 'import' | null;
  exported: Omit<BundleFile, 'base64'> | null;
  report: BundleImportReport | null;
  error: unknown;
  onExport(scope: 'unsent' | 'all'): void;
  onImport(file: File): void;
}

/** No network at all: this laptop's events to a file for a USB stick, and another laptop's file taken here. */
export function BundlePanel({ busy, exported, report, error, onExport, onImport }: BundlePanelProps) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  return (
    <Card withBorder component="section" aria-label={t('bundle.title')}>
      <Stack>
        <Title order={3} size="h4">
          {t('bundle.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('bundle.help')}
        </Text>
        <Group>
          <Button onClick={() => onExport('unsent')} loading={busy === 'export'}>
            {t('bundle.export')}
          </Button>
          <Button variant="default" onClick={() => onExport('all')} disabled={busy !== null}>
            {t('bundle.exportAll')}
          </Button>
        </Group>
        {exported && (
          <Text role="status" c="green">
            {t('bundle.exported', { file: exported.filename, count: exported.count, from: exported.fromSeq + 1, to: exported.toSeq })}
          </Text>
        )}
        <Group align="flex-end">
          <FileInput label={t('bundle.file')} placeholder={t('bundle.choose')} accept=".rsbundle,application/gzip" value={file} onChange={setFile} clearable w={320} />
          <Button variant="light" disabled={!file || busy !== null} loading={busy === 'import'} onClick={() => file && onImport(file)}>
            {t('bundle.import')}
          </Button>
        </Group>
        {report && (
          <Alert color={report.rejected > 0 ? 'yellow' : 'green'} role="status" title={t('bundle.reportTitle', { device: report.deviceId })}>
            <Text size="sm">{t('bundle.report', { events: report.events, added: report.added, held: report.alreadyHeld, rejected: report.rejected })}</Text>
            {report.added === 0 && report.rejected === 0 && <Text size="sm">{t('bundle.nothingNew')}</Text>}
            {report.keyStatus === 'first_seen' && <Text size="sm">{t('bundle.firstSeen')}</Text>}
          </Alert>
        )}
        {error != null && (
          <Alert color="red" role="alert" title={t('bundle.failed')}>
            {errorMessage(t, error)}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
