import type { TFunction } from 'i18next';
import { ERROR_CODES } from '../../shared/errors';
import { ApiError } from '../api/apiClient';
import { errorMessage } from './errorMessage';

/**
 * Sync errors whose general wording speaks of HQ; with the venue hub they concern the hub, so the
 * hub section says so (`hub.errors.<CODE>`). Every other code reads as everywhere else.
 */
export const HUB_WORDED_CODES = [
  'SYNC_OFFLINE',
  'SYNC_INSECURE_URL',
  'SYNC_NOT_CONFIGURED',
  'SYNC_NOT_ENROLLED',
  'SYNC_BAD_CODE',
  'SYNC_UNAUTHORIZED',
  'SYNC_REVOKED',
  'SYNC_DEVICE_EXISTS',
  'SYNC_HQ_ERROR',
  'SYNC_REFUSED',
] as const;

const isOurs = (code: string): boolean => (ERROR_CODES as readonly string[]).includes(code);

/** The sentence for an error code (with its details) met while talking to the hub. */
export function hubErrorText(t: TFunction, code: string | null, details?: Record<string, unknown> | null): string {
  const c = code ?? 'INTERNAL';
  if ((HUB_WORDED_CODES as readonly string[]).includes(c)) return t(`hub.errors.${c}`, { ...(details ?? {}) });
  return isOurs(c) ? t(`errors.${c}`, { ...(details ?? {}) }) : t('errors.INTERNAL');
}

/** The translated sentence for an error a hub action (connect, sync, auto, forget) gave. */
export function hubErrorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && !error.isNetwork) return hubErrorText(t, error.code, error.shape.details ?? null);
  return errorMessage(t, error);
}

/** The hub's own last error towards HQ: translated when it is one of our codes, else shown as the hub gave it. */
export function upstreamErrorText(t: TFunction, code: string): string {
  return isOurs(code) ? t(`errors.${code}`) : code;
}
