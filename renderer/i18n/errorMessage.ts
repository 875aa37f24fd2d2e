import type { TFunction } from 'i18next';
import { ApiError } from '../api/apiClient';

/** The translated sentence for any error the API or the network gave. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) return error.isNetwork ? t('errors.NETWORK') : t(`errors.${error.code}`, { ...(error.shape.details ?? {}) });
  return t('errors.INTERNAL');
}
