import type { TFunction } from 'i18next';
import { ApiError } from '../api/apiClient';
import type { PlanField } from '../components/BoothPlanForm';
import { errorField } from './fieldError';

/** Which field of the plan form an INVALID_BOOTH_PLAN problem is about. */
const PROBLEM_FIELD: Record<string, PlanField> = {
  end_before_start: 'endTime',
  break_outside_hours: 'breaks',
  break_end_before_start: 'breaks',
  breaks_overlap: 'breaks',
  no_slots: 'slotMinutes',
};

/**
 * A plan error beside its field: INVALID_BOOTH_PLAN by its problem, VALIDATION by its path (`plan.endTime`
 * from booth:upsert, `endTime` from booths:setPlan). Empty when the error is about something else.
 */
export function planFieldErrors(t: TFunction, error: unknown): Partial<Record<PlanField, string>> {
  if (!(error instanceof ApiError)) return {};
  if (error.code === 'INVALID_BOOTH_PLAN') {
    const problem = (error.shape.details as { problem?: string } | undefined)?.problem;
    const field = problem ? PROBLEM_FIELD[problem] : undefined;
    return field && problem ? { [field]: t(`booths.planProblem.${problem}`) } : {};
  }
  const path = errorField(error)?.replace(/^plan\./, '').split('.')[0];
  return path && ['startTime', 'endTime', 'slotMinutes', 'capacity', 'breaks', 'fields'].includes(path) ? { [path]: t('errors.invalidField') } : {};
}

/** True when `planFieldErrors` places this error beside a field. */
export const isPlanFieldError = (t: TFunction, error: unknown): boolean => Object.keys(planFieldErrors(t, error)).length > 0;
