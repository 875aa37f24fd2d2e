import type { RejectedRowLabels } from '../../shared/ipc/importRejectsContract';
import type { RejectedRow } from './importPlan';
import { exportFileName, toCsv } from './followUpExport';
import { neutralizeFormula } from './spreadsheetSafety';

const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => values[k] ?? '');

/** One reason as the import report shows it (renderer/components/ImportDialog.tsx), from the desk's texts. */
export function reasonText(x: RejectedRow['reasons'][number], labels: RejectedRowLabels): string {
  if (x.code === 'token_taken' && x.otherRow !== null) return fill(labels.reasons.token_taken_row, { otherRow: String(x.otherRow) });
  const field = x.field && x.field !== 'name' ? (labels.fields[x.field] ?? x.field) : '';
  return fill(labels.reasons[x.code], { otherRow: x.otherRow === null ? '' : String(x.otherRow), field });
}

/**
 * The rows an import leaves out (and, with `labels.outcome`, those it imports all the same with a
 * note, each said which), as a CSV the stop lead fixes and imports again: the file's own
 * header and cells as they were read (so the same mapping applies), then the row's number as a
 * spreadsheet shows the original file and every reason. Every cell is guarded against formula injection (the cells come
 * from an outside file); UTF-8 with BOM and CRLF so Excel shows Hangul.
 */
export function rejectedRowsCsv(headers: readonly string[], dataRows: readonly (readonly string[])[], rejected: readonly RejectedRow[], labels: RejectedRowLabels): string {
  const width = Math.max(headers.length, ...rejected.map((r) => dataRows[r.index]?.length ?? 0));
  const pad = (cells: readonly string[]) => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  // The result column only when some problem row is imported all the same (otherwise every row listed is left out).
  const outcome = labels.outcome && rejected.some((r) => r.imported) ? labels.outcome : null;
  const header = [...pad(headers), labels.rowHeader, labels.reasonHeader, ...(outcome ? [outcome.header] : [])].map(neutralizeFormula);
  const rows = rejected.map((r) =>
    [...pad(dataRows[r.index] ?? []), String(r.row), r.reasons.map((x) => reasonText(x, labels)).join('; '), ...(outcome ? [r.imported ? outcome.imported : outcome.rejected] : [])].map(neutralizeFormula),
  );
  return toCsv({ header, rows });
}

/**
 * `rejected-rows_<file name>.csv`: the uploaded file's name kept (a Hangul name too, so the stop lead
 * finds it beside the original), only characters no OS allows in a name replaced.
 */
export function rejectedRowsFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').trim().slice(0, 120);
  return base ? `rejected-rows_${base}.csv` : exportFileName(['rejected-rows'], 'csv');
}
