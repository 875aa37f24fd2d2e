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
    return { ok: true, value: spec.output.parse(value) };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toShape() };
    console.error(`[api] ${channel} failed`, err);
    return { ok: false, error: { code: 'INTERNAL', message: 'Internal error' } };
  }
}
