/**
 * The closed set of error codes the API can answer with. The renderer translates each code
 * (`errors.<code>` in renderer/i18n); `message` is an English fallback for logs and tests.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  'ALREADY_CHECKED_IN',
  'UNKNOWN_TOKEN',
  'NO_CURRENT_STOP',
  'IMPORT_UNREADABLE',
  'IMPORT_EXPIRED',
  'IMPORT_NO_NAME_COLUMN',
  'IMPORT_NOT_WRITTEN',
  'STALE_REVISION',
  'SLOT_FULL',
  'ATTENDEE_DOUBLE_BOOKED',
  'NO_BOOTH_PLAN',
  'SLOT_NOT_IN_PLAN',
  'INVALID_BOOTH_PLAN',
  'BOOKING_NOT_ACTIVE',
  'ALREADY_ON_WAITLIST',
  'NO_OPEN_OFFER',
  'SIGN_IN_REQUIRED',
  'FORBIDDEN_ROLE',
  'WRONG_PIN',
  'TOO_MANY_ATTEMPTS',
  'DIGEST_MISMATCH',
  'BACKUP_INVALID',
  'SYNC_NOT_CONFIGURED',
  'SYNC_NOT_ENROLLED',
  'SYNC_INSECURE_URL',
  'SYNC_OFFLINE',
  'SYNC_UNAUTHORIZED',
  'SYNC_REVOKED',
  'SYNC_BAD_CODE',
  'SYNC_DEVICE_EXISTS',
  'SYNC_CLOCK_AHEAD',
  'SYNC_REFUSED',
  'SYNC_HQ_ERROR',
  'SYNC_IN_PROGRESS',
  'SYNC_CERT_MISMATCH',
  'SYNC_CERT_UNTRUSTED',
  'SYNC_FINGERPRINT_INVALID',
  'SYNC_RATE_LIMITED',
  'HUB_UNAVAILABLE',
  'HUB_PORT_IN_USE',
  'HUB_DATA_NOT_AT_HQ',
  'BUNDLE_INVALID',
  'BUNDLE_EMPTY',
  'TOUR_SHEET_INVALID',
  'NO_SETUP_CODE',
  'WRONG_SETUP_CODE',
  'BOOTH_REMOVED',
  'SESSION_CANCELLED',
  'OFFER_EXPIRED',
  'ATTENDEE_CHANGED',
  'ATTENDEE_IN_CONFLICT',
  'INTERNAL',
  'UPDATES_UNAVAILABLE',
  'UPDATE_NOT_READY',
  // Issue #22: a quote opened in a row and never closed swallowed the rest of the file (details: row, rowsNotRead).
  'IMPORT_UNCLOSED_QUOTE',
  // Issue #21: an institution may hold a lead (and record its outcomes) only with the person's consent.
  'CONSENT_REQUIRED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  /** Values the translated message may interpolate, and field paths for validation errors. */
  details?: Record<string, unknown>;
}

/** Thrown inside core; turned into `{ ok: false, error }` at the API boundary, never across it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toShape(): ApiErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
