import type { TFunction } from 'i18next';
import { ApiError } from '../api/apiClient';
import { errorMessage } from './errorMessage';

/** The form field a VALIDATION error names (`details.issues[0].path`, e.g. "endTime"), or null. */
export function errorField(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION') return null;
  const issues = (error.shape.details as { issues?: { path?: unknown }[] } | undefined)?.issues;
  const path = issues?.[0]?.path;
  return typeof path === 'string' && path ? path : null;
}

/**
 * The sentence to show beside `field` when `error` names it: `<prefix>.<field>` with the error's details
 * (e.g. programme.invalid.startTime: the room is taken), else the general "not valid" line.
 */
export function fieldErrorText(t: TFunction, error: unknown, prefix: string, field: string): string | null {
  if (errorField(error) !== field) return null;
  const details = ((error as ApiError).shape.details ?? {}) as Record<string, unknown>;
  return t(`${prefix}.${field}`, { ...details, defaultValue: t('errors.invalidField') });
}

/** The error for an alert under the form: anything not shown beside one of `fields`. */
export function formErrorText(t: TFunction, error: unknown, fields: readonly string[]): string | null {
  if (error == null) return null;
  const field = errorField(error);
  return field && fields.includes(field) ? null : errorMessage(t, error);
}
