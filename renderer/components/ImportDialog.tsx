import { Alert, Button, FileInput, Group, Loader, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IMPORT_FIELDS, IMPORT_PRESETS, type ImportField, type ImportMapping, type ImportOutcome, type ImportPreset, type ImportReport, type ParsedImport } from '../../shared/ipc/importContract';
import { errorMessage } from '../i18n/errorMessage';
import type { ImportStep } from '../state/importStore';

export interface ImportDialogProps {
  step: ImportStep;
  progress: number;
  parsed: ParsedImport | null;
  mapping: ImportMapping;
  report: ImportReport | null;
  outcome: ImportOutcome | null;
  error: unknown;
  onFile(file: File): void;
  onColumn(field: ImportField, column: number | null): void;
  onPreset(preset: ImportPreset): void;
  onCheck(): void;
  onCommit(): void;
  onBack(): void;
  onClose(): void;
  onTemplate(): void;
  /** Downloads every rejected row as CSV (the report lists the first 500). */
  onRejectedRows?(): void;
}

const PREVIEW_CELL = { whiteSpace: 'nowrap', maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' } as const;

/** Import steps: choose a file (progress), map columns (preset, preview), validation report, import valid rows or none. */
export function ImportDialog(p: ImportDialogProps) {
  const { t } = useTranslation();
  const busy = p.step === 'uploading' || p.step === 'checking' || p.step === 'importing';
  return (
    <Stack gap="md">
      {p.error !== null && p.error !== undefined && (
        <Alert color="red" role="alert">
          {errorMessage(t, p.error)}
        </Alert>
      )}
      {(p.step === 'choose' || p.step === 'uploading') && (
        <Stack gap="sm">
          <FileInput
            label={t('importer.chooseFile')}
            description={t('importer.chooseFileHelp')}
            accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(f) => f && p.onFile(f)}
            disabled={busy}
            clearable={false}
          />
          <Group>
            <Button variant="subtle" onClick={p.onTemplate}>
              {t('importer.template')}
            </Button>
          </Group>
          {p.step === 'uploading' && (
            <Stack gap={4}>
              <Text size="sm">{p.progress < 100 ? t('importer.uploading', { percent: p.progress }) : t('importer.parsing')}</Text>
              <Progress value={p.progress} aria-label={t('importer.uploading', { percent: p.progress })} striped animated size="lg" />
            </Stack>
          )}
        </Stack>
      )}

      {p.parsed && (p.step === 'mapping' || p.step === 'checking') && <MappingStep {...p} parsed={p.parsed} />}

      {p.report && (p.step === 'report' || p.step === 'importing') && <ReportStep {...p} report={p.report} />}

      {p.step === 'done' && p.outcome && (
        <Stack>
          <Alert color="green" role="status">
            {p.outcome.events === 0 ? t('importer.nothingToDo') : t('importer.done', { ...p.outcome })}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={p.onClose}>{t('desk.close')}</Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

function MappingStep(p: ImportDialogProps & { parsed: ParsedImport }) {
  const { t } = useTranslation();
  const { parsed } = p;
  const columns = [{ value: '', label: t('importer.notMapped') }, ...parsed.headers.map((h, i) => ({ value: String(i), label: `${i + 1}. ${h}` }))];
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {parsed.fileName} — {t('importer.fileInfo', { rows: parsed.rowCount, format: parsed.format.toUpperCase(), encoding: parsed.encoding })}
      </Text>
      {parsed.remembered && (
        <Text size="sm" c="teal">
          {t('importer.remembered')}
        </Text>
      )}
      <Select
        label={t('importer.preset')}
        placeholder={t('importer.presetNone')}
        data={IMPORT_PRESETS.map((x) => ({ value: x, label: t(`importer.presets.${x}`) }))}
        defaultValue={parsed.detectedPreset}
        onChange={(v) => v && p.onPreset(v as ImportPreset)}
        w={320}
      />
      <Title order={3} size="h5">
        {t('importer.mapping')}
      </Title>
      <Group gap="sm" align="flex-end">
        {IMPORT_FIELDS.map((f) => (
          <Select
            key={f}
            w={220}
            label={t('importer.column', { field: t(`importer.fieldNames.${f}`) })}
            data={columns}
            value={p.mapping[f] === undefined ? '' : String(p.mapping[f])}
            onChange={(v) => p.onColumn(f, v === null || v === '' ? null : Number(v))}
            allowDeselect={false}
          />
        ))}
      </Group>
      <Title order={3} size="h5">
        {t('importer.preview')}
      </Title>
      <div style={{ overflowX: 'auto' }}>
        <Table aria-label={t('importer.preview')} striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              {parsed.headers.map((h, i) => (
                <Table.Th key={i}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {parsed.preview.map((row, r) => (
              <Table.Tr key={r}>
                {row.map((c, i) => (
                  // One line per row however long a cell (a free-text answer): cut, whole on hover.
                  <Table.Td key={i} title={c} style={PREVIEW_CELL}>
                    {c}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      <Group justify="flex-end">
        <Button variant="default" onClick={p.onClose}>
          {t('walkIn.cancel')}
        </Button>
        <Button onClick={p.onCheck} loading={p.step === 'checking'}>
          {t('importer.check')}
        </Button>
      </Group>
    </Stack>
  );
}

function ReportStep(p: ImportDialogProps & { report: ImportReport }) {
  const { t } = useTranslation();
  const r = p.report;
  const reasonText = (x: ImportReport['issues'][number]['reasons'][number]) => {
    if (x.code === 'token_taken' && x.otherRow !== null) return t('importer.reason.token_taken_row', { otherRow: x.otherRow });
    const field = x.field && x.field !== 'name' ? t(`importer.fieldNames.${x.field as ImportField}`) : '';
    return t(`importer.reason.${x.code}`, { otherRow: x.otherRow ?? '', field });
  };
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('importer.report')}
      </Title>
      <Text role="status" fw={600}>
        {t('importer.summary', { total: r.total, valid: r.valid, invalid: r.invalid })}
      </Text>
      <Text>{t('importer.plan', { create: r.toCreate, update: r.toUpdate, register: r.toRegister, unchanged: r.unchanged })}</Text>
      {r.issues.length > 0 && (
        <div style={{ maxHeight: 260, overflowY: 'auto' }}>
          <Table aria-label={t('importer.issuesTable')} striped withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('importer.row')}</Table.Th>
                <Table.Th>{t('importer.reasons')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.issues.map((i) => (
                <Table.Tr key={i.row}>
                  <Table.Td>{i.row}</Table.Td>
                  <Table.Td>{i.reasons.map(reasonText).join('; ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {r.invalid > r.issues.length && <Text size="sm">{t('importer.moreIssues', { count: r.issues.length })}</Text>}
      {r.invalid > 0 && p.onRejectedRows && (
        <Group gap="xs">
          <Button variant="light" size="compact-sm" onClick={p.onRejectedRows}>
            {t('deskOps.rejected.download', { count: r.invalid })}
          </Button>
          <Text size="xs" c="dimmed">
            {t('deskOps.rejected.downloadHelp')}
          </Text>
        </Group>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={p.onBack} disabled={p.step === 'importing'}>
          {t('importer.back')}
        </Button>
        <Button variant="default" onClick={p.onClose} disabled={p.step === 'importing'}>
          {t('importer.importNone')}
        </Button>
        <Button onClick={p.onCommit} loading={p.step === 'importing'} disabled={r.valid === 0}>
          {t('importer.importValid', { count: r.valid })}
        </Button>
      </Group>
      {p.step === 'importing' && (
        <Group gap="xs">
          <Loader size="sm" />
          <Text size="sm">{t('importer.importing')}</Text>
        </Group>
      )}
    </Stack>
  );
}
