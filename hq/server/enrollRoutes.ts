import type { FastifyInstance } from 'fastify';
import { EnrollRequest, HQ_LEADS_DEVICE_ID, PROTOCOL_VERSION, type EnrollResponse } from '../../shared/sync/hqProtocol';
import { hashCode, hashToken, newDeviceToken } from './auth';
import type { HqDeps } from './syncApp';
import { sendError } from './httpErrors';
import { DEFAULT_ENROLL_LIMIT, EnrollGuard, type EnrollLimit } from './limits';

export function registerEnrollRoutes(app: FastifyInstance, deps: HqDeps, limit: EnrollLimit = DEFAULT_ENROLL_LIMIT): void {
  const guard = new EnrollGuard(limit, deps.now);
  /** The one unauthenticated call: a one-time code from an HQ admin buys a device token (rate-limited per address). */
  app.post('/v1/devices/enroll', async (req, reply) => {
    if (guard.refuse(req, reply)) return reply;
    const parsed = EnrollRequest.safeParse(req.body);
    if (!parsed.success) {
      guard.failed(req);
      return sendError(reply, 400, 'VALIDATION', 'Send {code, device_id}.');
    }
    const { code, device_id, label } = parsed.data;
    // This server's own id (HQ's decisions) is never a device's: nobody may enroll as it.
    if (device_id === deps.ownDeviceId || device_id === HQ_LEADS_DEVICE_ID) return sendError(reply, 409, 'DEVICE_EXISTS', `Device id ${device_id} is reserved.`);
    const token = newDeviceToken();
    const outcome = await deps.storage.redeemEnrollmentCode(hashCode(code), device_id, label, hashToken(token), new Date(deps.now()).toISOString());
    if (outcome === 'invalid') guard.failed(req);
    if (outcome === 'invalid') return sendError(reply, 400, 'CODE_INVALID', 'This enrollment code is unknown, already used or expired.');
    if (outcome === 'device_exists') return sendError(reply, 409, 'DEVICE_EXISTS', `Device ${device_id} is enrolled already; HQ must issue a code for this device to re-enroll it.`);
    // A desk on the demo tour: HQ holds the same demo (its people, stops, check-ins), so the desk's stop is HQ's too.
    if (parsed.data.holds_demo && deps.publishDemo) await deps.publishDemo();
    const res: EnrollResponse = { device_id, token, protocol: PROTOCOL_VERSION };
    return res;
  });
}
