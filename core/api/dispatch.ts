import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { contract, isChannel, type Channel } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { ApiContext } from './apiContext';
import { authorize } from './authorization';
import type { Handler } from './handler';
import { handlers } from './handlerMap';

export function validationDetails(error: z.ZodError): Record<string, unknown> {
  return { issues: error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code })) };
}

/**
 * Channels whose answers the running app sends as the handler built them, without the output schema's
 * parse (issue #20): the check-in writes of the desk and of a session's door, and the desk's lookups
 * (search as you type, a typed token), the calls a desk makes most. Their handlers build the answer
 * from the contract's own types (`DeskView` by registrationQueries' `toView`, the session views); the
 * parse only copied it (~0.1–0.2 ms of CPU per check-in, more than the rest of dispatch; ~0.17 ms per
 * search of 20 people at a 100k stop, about a fifth of the search's CPU in the host).
 * Where it protects, it still runs: under tests and in development (`checkOutputs`) every answer of
 * these channels is parsed and must come out equal to what the handler returned (as JSON: what a
 * caller receives), so the parse the app skips would have changed nothing; a difference answers
 * INTERNAL and fails the test that made it.
 */
export const TRUSTED_OUTPUTS: ReadonlySet<Channel> = new Set<Channel>([
  'checkin:checkIn',
  'checkin:scan',
  'checkin:void',
  'checkin:search',
  'checkin:byToken',
  'sessions:checkIn',
  'sessions:scan',
  'sessions:void',
  'sessions:search',
]);

/** Every answer through its schema: tests (vitest), development, or `ROADSHOW_CHECK_OUTPUTS=1`. */
const checkOutputs =
  process.env.ROADSHOW_CHECK_OUTPUTS === '1' || process.env.VITEST !== undefined || process.env.NODE_ENV === 'test' || process.env.NODE_ENV === 'development';

const asJson = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** The answer a caller gets: parsed by the output schema, or, for a trusted channel in a running app, as built. */
export function answer(channel: Channel, output: z.ZodType, value: unknown): unknown {
  if (!TRUSTED_OUTPUTS.has(channel)) return output.parse(value);
  if (!checkOutputs) return value;
  const parsed = output.parse(value);
  if (!isDeepStrictEqual(asJson(parsed), asJson(value))) {
    throw new Error(`${channel}: the handler's answer differs from its output schema's parse (TRUSTED_OUTPUTS in core/api/dispatch.ts)`);
  }
  return value;
}

/**
 * The single entry of the API for every transport (Electron IPC, browser-mode HTTP, tests):
 * validates the channel and input with the shared schemas, runs the handler, and answers a
 * Result. Nothing throws past this function.
 */
export async function dispatch(channel: string, rawInput: unknown, ctx: ApiContext): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${channel}`, details: { channel } } };
  }
  const spec = contract[channel];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'VALIDATION', message: `Invalid input for ${channel}`, details: validationDetails(parsed.error) } };
  }
  // Sign-in, idle lock and role rules (core/api/authorization.ts), before any handler runs.
  const denied = authorize(channel, parsed.data, ctx);
  if (denied) return { ok: false, error: denied };
  try {
    const handler = handlers[channel] as Handler<Channel>;
    const value = await handler(parsed.data as never, ctx);
    return { ok: true, value: answer(channel, spec.output, value) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toShape() };
    console.error(`[api] ${channel} failed`, err);
    return { ok: false, error: { code: 'INTERNAL', message: 'Internal error' } };
  }
}
