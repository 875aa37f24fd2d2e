import type { TourSheetProblem } from '../../../shared/schemas/tourSheet';
import type { Language } from '../../../shared/vocab';

/**
 * One tour-spreadsheet problem as a sentence, for the dashboard's report and the CLI's `tour import`.
 * TODO(#18 merge): return `tourSheetMessage(problem, lang)` from core/domain/tourSheetText.ts (written by the
 * spreadsheet helper, not on this branch yet); until then the problem's code and details.
 */
export function sheetProblemText(problem: TourSheetProblem, _lang: Language): string {
  const details = Object.entries(problem.details).map(([k, v]) => `${k}: ${v}`);
  return details.length > 0 ? `${problem.code} (${details.join(', ')})` : problem.code;
}
