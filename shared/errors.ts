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
  'INTERNAL',
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
