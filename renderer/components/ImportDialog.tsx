import { Alert, Badge, Button, FileInput, Group, Progress, Select, Stack, Table, Text, Title } from '@mantine/core';
import { createContext, memo, useContext, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportMapping, ImportOutcome, ImportReport, ParsedImport } from '../../shared/ipc/importContract';
import { IMPORT_FIELDS, IMPORT_PRESETS, type ImportField, type ImportPreset } from '../../shared/ipc/importFields';
import type { ImportProgressView } from '../../shared/ipc/importProgressContract';
import { ApiError } from '../api/apiClient';
import { errorMessage } from '../i18n/errorMessage';
import { importFieldName } from '../i18n/importFieldName';
import type { ImportStep } from '../state/importStore';

export interface ImportDialogProps {
  step: ImportStep;
  progress: number;
  /** Bytes sent of the file (uploading). */
  sent?: { done: number; total: number } | null;
  /** How far the host's parse, check or commit is (issue #22: a bar with counts for every phase). */
  phase?: ImportProgressView | null;
  /** What `error` came from in the report step: the import itself or the download of problem rows. */
  errorKind?: 'commit' | 'download' | null;
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
const HANGUL = /[\uac00-\ud7a3]/;
const MB = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
const codeOf = (error: unknown) => (error instanceof ApiError ? error.code : null);

/**
 * An error or a confirmation where its cause is, titled with what happened, brought into view when
 * it appears (the dialog scrolls: an alert at its top could be out of sight).
 */
function InView(props: { color: string; role: 'alert' | 'status'; title: string; children: React.ReactNode; watch: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // With the buttons beside it (`data-import-actions`): the alert and the button that caused it both in view.
    const el = ref.current;
    (el?.closest('[data-import-actions]') ?? el)?.scrollIntoView?.({ block: 'nearest' });
  }, [props.watch]);
  return (
    <Alert ref={ref} color={props.color} role={props.role} title={props.title} aria-label={props.title}>
      {props.children}
    </Alert>
  );
}

/** A bar with counts for the phase the import is in (sending, reading, checking, writing, saving). */
function PhaseBar(p: { step: ImportStep; progress: number; sent?: { done: number; total: number } | null; phase?: ImportProgressView | null }) {
  const { t } = useTranslation();
  let label: string;
  let value: number | null;
  // Only the host's phases of this step (a reading left from the step before is not this one's).
  const ours: Record<ImportStep, readonly string[]> = { uploading: ['reading'], checking: ['checking'], importing: ['writing', 'saving'], choose: [], mapping: [], report: [], done: [] };
  const ph = p.phase && ours[p.step].includes(p.phase.phase) ? p.phase : null;
  if (p.step === 'uploading' && p.progress < 100 && p.sent) {
    label = t('importFit.phase.uploading', { done: MB(p.sent.done), total: MB(p.sent.total) });
    value = p.progress;
  } else if (ph && ph.phase !== 'idle') {
    const { done, total } = ph;
    label = ph.phase === 'reading' ? (total > 0 ? t('importFit.phase.readingOf', { done, total }) : t('importFit.phase.reading', { done })) : t(`importFit.phase.${ph.phase}`, { done, total });
    value = ph.phase === 'saving' ? 100 : total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  } else {
    label = p.step === 'uploading' ? t('importer.parsing') : p.step === 'importing' ? t('importer.importing') : t('importFit.phase.idle');
    value = null;
  }
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    (el?.closest('[data-import-actions]') ?? el)?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <Stack ref={ref} gap={4} role="group" aria-label={t('importFit.progressLabel')}>
      <Text size="sm" aria-live="polite">
        {label}
      </Text>
      {/* Stripes without motion while no count is known: an animated bar repaints 60 times a second for the whole step. */}
      <Progress value={value ?? 100} aria-label={label} striped size="lg" />
    </Stack>
  );
}

/** What moves while a step runs (read every 500 ms): only the bar reads it, so the step around it is not rendered again. */
type LiveProgress = Pick<ImportDialogProps, 'step' | 'progress' | 'sent' | 'phase'>;
const LiveProgressContext = createContext<LiveProgress>({ step: 'choose', progress: 0 });
function LivePhaseBar() {
  return <PhaseBar {...useContext(LiveProgressContext)} />;
}
const LIVE_KEYS: ReadonlySet<string> = new Set(['progress', 'sent', 'phase']);
/** Equal props but for the moving ones (which the bar reads from the context). */
function sameButLive<P extends object>(a: P, b: P): boolean {
  const ka = Object.keys(a) as (keyof P)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => LIVE_KEYS.has(k as string) || Object.is(a[k], b[k]));
}

/** Import steps: choose a file (progress), map columns (preset, preview), validation report, import valid rows or none. */
export function ImportDialog(p: ImportDialogProps) {
  const { t } = useTranslation();
  const busy = p.step === 'uploading' || p.step === 'checking' || p.step === 'importing';
  const error = p.error !== null && p.error !== undefined ? p.error : null;
  return (
    <LiveProgressContext.Provider value={{ step: p.step, progress: p.progress, sent: p.sent, phase: p.phase }}>
      <Stack gap="md">
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
            {p.step === 'uploading' && <PhaseBar {...p} />}
            {error !== null && p.step === 'choose' && (
              <InView color="red" role="alert" title={codeOf(error) === 'IMPORT_UNCLOSED_QUOTE' ? t('importFit.unclosedQuoteTitle') : t('importFit.uploadFailedTitle')} watch={error}>
                {errorMessage(t, error)}
              </InView>
            )}
          </Stack>
        )}

        {p.parsed && (p.step === 'mapping' || p.step === 'checking') && <MappingStepOnce {...p} parsed={p.parsed} />}

        {p.report && (p.step === 'report' || p.step === 'importing') && <ReportStepOnce {...p} report={p.report} />}

        {p.step === 'done' && p.outcome && (
          <Stack>
            <InView color="green" role="status" title={t('importFit.doneTitle')} watch={p.outcome}>
              <Text size="sm">{p.outcome.events === 0 ? t('importer.nothingToDo') : t('importer.done', { ...p.outcome })}</Text>
              {p.outcome.notAttending > 0 && <Text size="sm">{t('importFit.notAttending', { count: p.outcome.notAttending })}</Text>}
              {p.outcome.newCodes > 0 && <Text size="sm">{t('importFit.newCodes', { count: p.outcome.newCodes })}</Text>}
              {p.outcome.consents > 0 && <Text size="sm">{t('importFit.consents', { count: p.outcome.consents })}</Text>}
            </InView>
            <Group justify="flex-end">
              <Button onClick={p.onClose}>{t('desk.close')}</Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </LiveProgressContext.Provider>
  );
}

function MappingStep(p: ImportDialogProps & { parsed: ParsedImport }) {
  const { t } = useTranslation();
  const { parsed } = p;
  const columns = [{ value: '', label: t('importer.notMapped') }, ...parsed.headers.map((h, i) => ({ value: String(i), label: `${i + 1}. ${h}` }))];
  // Shown as guessed while the column is still the one guessed from the header words.
  const guessed = (parsed.guessed ?? []).filter((f) => p.mapping[f] !== undefined && p.mapping[f] === parsed.mapping[f]);
  const used = new Set(Object.values(p.mapping));
  // A column of Hangul names nobody imports: every Hangul name would be lost silently.
  const hangulColumn =
    p.mapping.nameKo === undefined && !(p.mapping.fullName !== undefined && parsed.preview.some((r) => HANGUL.test(r[p.mapping.fullName!] ?? '')))
      ? parsed.headers.findIndex((_, i) => !used.has(i) && parsed.preview.some((r) => HANGUL.test(r[i] ?? '') && (r[i] ?? '').length <= 20))
      : -1;
  const header = (f: ImportField) => parsed.headers[p.mapping[f]!] ?? '';
  const error = p.error !== null && p.error !== undefined ? p.error : null;
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
      {guessed.length > 0 && (
        <Text size="sm" c="blue.8">
          {t('importFit.guessedNote', { list: guessed.map((f) => t('importFit.guessedItem', { header: header(f), field: importFieldName(t, f), interpolation: { escapeValue: false } })).join(', '), interpolation: { escapeValue: false } })}
        </Text>
      )}
      <Group gap="sm" align="flex-end">
        {IMPORT_FIELDS.map((f) => (
          <Select
            key={f}
            w={220}
            label={
              guessed.includes(f) ? (
                <>
                  {t('importer.column', { field: importFieldName(t, f) })}{' '}
                  <Badge size="xs" variant="light" color="blue" component="span">
                    {t('importFit.guessedBadge')}
                  </Badge>
                </>
              ) : (
                t('importer.column', { field: importFieldName(t, f) })
              )
            }
            data={columns}
            value={p.mapping[f] === undefined ? '' : String(p.mapping[f])}
            onChange={(v) => p.onColumn(f, v === null || v === '' ? null : Number(v))}
            allowDeselect={false}
          />
        ))}
      </Group>
      {hangulColumn >= 0 && (
        <Alert color="yellow" title={t('importFit.unmappedHangulTitle')}>
          {t('importFit.unmappedHangul', { header: parsed.headers[hangulColumn], interpolation: { escapeValue: false } })}
        </Alert>
      )}
      {p.mapping.consent !== undefined && (
        <Text size="sm">{t('importFit.consentMapped', { header: header('consent'), scope: t(`importFit.consentScope.${consentScopeHint(header('consent'))}`), interpolation: { escapeValue: false } })}</Text>
      )}
      {p.mapping.attendance !== undefined && <Text size="sm">{t('importFit.attendanceMapped', { header: header('attendance'), interpolation: { escapeValue: false } })}</Text>}
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
      <Stack gap="sm" data-import-actions>
        {p.step === 'checking' && <LivePhaseBar />}
        {error !== null && (
          <InView color="red" role="alert" title={t('importFit.checkFailedTitle')} watch={error}>
            {codeOf(error) === 'IMPORT_NO_NAME_COLUMN' ? t('importFit.noNameColumn') : errorMessage(t, error)}
          </InView>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onClose}>
            {t('walkIn.cancel')}
          </Button>
          {/* Disabled, not spinning, while it runs: the bar above counts the rows, and a spinner would draw a
              frame 60 times a second for the whole check, taking the processor from the threads doing it. */}
          <Button onClick={p.onCheck} disabled={p.step === 'checking'}>
            {t('importer.check')}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}

/** The scope an agreement to this question is recorded with (the rule of core/domain/importConsent.ts, said before the check). */
/** The mapping step, rendered again only when something but the bar's figures changes. */
const MappingStepOnce = memo(MappingStep, sameButLive);

function consentScopeHint(header: string): 'all_institutions' | 'hq_stats' {
  return /제\s*3\s*자|제공\s*(에\s*)?동의|공유|참여\s*기관|참가\s*기관|share|sharing|third[\s-]*part|participating\s+(institution|organi[sz]ation)|partner\s+(institution|organi[sz]ation)|disclos/i.test(header) ? 'all_institutions' : 'hq_stats';
}

function ReportStep(p: ImportDialogProps & { report: ImportReport }) {
  const { t } = useTranslation();
  const r = p.report;
  const reasonText = (x: ImportReport['issues'][number]['reasons'][number]) => {
    if (x.code === 'token_taken' && x.value) return x.otherRow !== null ? t('importFit.tokenTakenRow', { code: x.value, otherRow: x.otherRow }) : t('importFit.tokenTaken', { code: x.value });
    if (x.code === 'token_taken' && x.otherRow !== null) return t('importer.reason.token_taken_row', { otherRow: x.otherRow });
    const field = x.field && x.field !== 'name' ? importFieldName(t, x.field as ImportField) : '';
    return t(`importer.reason.${x.code}`, { otherRow: x.otherRow ?? '', field });
  };
  const problems = r.invalid + r.newCodes;
  const error = p.error !== null && p.error !== undefined ? p.error : null;
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('importer.report')}
      </Title>
      <Text role="status" fw={600}>
        {t('importer.summary', { total: r.total, valid: r.valid, invalid: r.invalid })}
      </Text>
      <Text>{t('importer.plan', { create: r.toCreate, update: r.toUpdate, register: r.toRegister, unchanged: r.unchanged })}</Text>
      {r.notAttending > 0 && <Text size="sm">{t('importFit.notAttending', { count: r.notAttending })}</Text>}
      {r.newCodes > 0 && <Text size="sm">{t('importFit.newCodes', { count: r.newCodes })}</Text>}
      {r.consentTextVersion !== null && <Text size="sm">{t('importFit.consentSummary', { ...r.consent })}</Text>}
      {r.issues.length > 0 && (
        <div style={{ maxHeight: 260, overflowY: 'auto' }}>
          <Table aria-label={t('importer.issuesTable')} striped withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('importer.row')}</Table.Th>
                <Table.Th>{t('importFit.name')}</Table.Th>
                <Table.Th>{t('importFit.email')}</Table.Th>
                <Table.Th>{t('importer.reasons')}</Table.Th>
                <Table.Th>{t('importFit.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.issues.map((i) => (
                <Table.Tr key={i.row}>
                  <Table.Td>{i.row}</Table.Td>
                  <Table.Td>{i.name}</Table.Td>
                  <Table.Td style={PREVIEW_CELL} title={i.email}>
                    {i.email}
                  </Table.Td>
                  <Table.Td>{i.reasons.map(reasonText).join('; ')}</Table.Td>
                  <Table.Td>{i.imported ? t('importFit.outcomeImported') : t('importFit.outcomeRejected')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {problems > r.issues.length && <Text size="sm">{t('importer.moreIssues', { count: r.issues.length })}</Text>}
      {problems > 0 && p.onRejectedRows && (
        <Stack gap="xs" data-import-actions>
          <Group gap="xs">
            <Button variant="light" size="compact-sm" onClick={p.onRejectedRows}>
              {r.newCodes > 0 ? t('importFit.downloadProblems', { count: problems }) : t('deskOps.rejected.download', { count: r.invalid })}
            </Button>
            <Text size="xs" c="dimmed">
              {r.newCodes > 0 ? t('importFit.downloadHelp') : t('deskOps.rejected.downloadHelp')}
            </Text>
          </Group>
          {error !== null && p.errorKind === 'download' && (
            <InView color="red" role="alert" title={t('importFit.downloadFailedTitle')} watch={error}>
              {errorMessage(t, error)}
            </InView>
          )}
        </Stack>
      )}
      <Stack gap="sm" data-import-actions>
        {p.step === 'importing' && <LivePhaseBar />}
        {error !== null && p.errorKind !== 'download' && (
          <InView color="red" role="alert" title={t('importFit.commitFailedTitle')} watch={error}>
            {errorMessage(t, error)}
          </InView>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={p.onBack} disabled={p.step === 'importing'}>
            {t('importer.back')}
          </Button>
          <Button variant="default" onClick={p.onClose} disabled={p.step === 'importing'}>
            {t('importer.importNone')}
          </Button>
          {/* As Check: the bar counts what is written, no spinner beside it. */}
          <Button onClick={p.onCommit} disabled={r.valid === 0 || p.step === 'importing'}>
            {t('importer.importValid', { count: r.valid })}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}

/** The report step, rendered again only when something but the bar's figures changes. */
const ReportStepOnce = memo(ReportStep, sameButLive);
