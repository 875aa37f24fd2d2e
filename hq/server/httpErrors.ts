import type { FastifyReply } from 'fastify';
import type { HqErrorBody, HqErrorCode } from '../../shared/sync/hqProtocol';

/** Every refusal HQ gives: a 4xx (or, only for a real bug, 500) with a code and a sentence. */
export function sendError(reply: FastifyReply, status: number, code: HqErrorCode, message: string, details?: Record<string, unknown>): FastifyReply {
  const body: HqErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return reply.code(status).send(body);
}
