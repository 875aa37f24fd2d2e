import type { TFunction } from 'i18next';
import { ApiError } from '../api/apiClient';
import { errorMessage } from './errorMessage';
import { formatStopTime } from './formatStopTime';

const DETAILED = ['SLOT_FULL', 'ATTENDEE_DOUBLE_BOOKED', 'NO_BOOTH_PLAN', 'SLOT_NOT_IN_PLAN', 'INVALID_BOOTH_PLAN'] as const;

/** Booth errors with their details (which booth, which time, what is wrong); others as everywhere. */
export function boothErrorMessage(t: TFunction, error: unknown, timeZone: string): string {
  if (error instanceof ApiError && (DETAILED as readonly string[]).includes(error.code) && error.shape.details) {
    const d = error.shape.details as Record<string, unknown>;
    const time = typeof d.time === 'string' && d.time.includes('T') ? formatStopTime(d.time, timeZone) : d.time;
    const problem = typeof d.problem === 'string' ? t(`booths.planProblem.${d.problem}`) : '';
    return t(`booths.errors.${error.code}`, { ...d, time, problem });
  }
  // An expired offer (issue #19): its slot and expiry on the stop's wall clock.
  if (error instanceof ApiError && error.code === 'OFFER_EXPIRED' && error.shape.details) {
    const d = error.shape.details as { booth?: string; slotStart?: string; expiredAt?: string };
    return t('errors.OFFER_EXPIRED', { booth: d.booth, time: d.slotStart ? formatStopTime(d.slotStart, timeZone) : '', expiredAt: d.expiredAt ? formatStopTime(d.expiredAt, timeZone) : '' });
  }
  return errorMessage(t, error);
}
