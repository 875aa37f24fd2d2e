import type { TFunction } from 'i18next';
import { IMPORT_FIELDS, IMPORT_ROW_REASONS } from '../../shared/ipc/importFields';
import type { RejectedRowLabels } from '../../shared/ipc/importRejectsContract';
import { importFieldName } from './importFieldName';

/**
 * The reason texts of the import report (importer.reason.*), as templates core fills per row for
 * the CSV of rejected rows: `{{otherRow}}` and `{{field}}` stay for core to replace.
 */
export function rejectedRowLabels(t: TFunction): RejectedRowLabels {
  const keep = { otherRow: '{{otherRow}}', field: '{{field}}', interpolation: { escapeValue: false } };
  const reasons = Object.fromEntries([...IMPORT_ROW_REASONS, 'token_taken_row' as const].map((code) => [code, t(`importer.reason.${code}`, keep)])) as RejectedRowLabels['reasons'];
  return {
    rowHeader: t('deskOps.rejected.rowHeader'),
    reasonHeader: t('deskOps.rejected.reasonHeader'),
    reasons,
    fields: Object.fromEntries(IMPORT_FIELDS.map((f) => [f, importFieldName(t, f)])),
    outcome: { header: t('importFit.outcome'), rejected: t('importFit.outcomeRejected'), imported: t('importFit.outcomeImported') },
  };
}
