import type { ApiErrorShape } from './errors';

/** What every API call answers, over IPC and HTTP alike: it never throws across the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };
