import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_BATCH_BYTES } from '../../shared/sync/hqProtocol';
import { SignInLimiter } from './admin/adminStore';
import { sendError } from './httpErrors';

/** Body caps per route (bytes, after gunzip). Routes that set their own bodyLimit (sync push, bundle upload) keep it. */
export const BODY_CAPS = {
  /** {code, device_id, label}: a few hundred bytes. */
  enroll: 4 * 1024,
  /** The dashboard's sign-in form. */
  signIn: 8 * 1024,
  /** Every other dashboard form (decisions, merges, exports): small url-encoded forms. */
  dashboardForm: 64 * 1024,
  /** The sync protocol's batches (push, pull), gzip or not. */
  sync: MAX_BATCH_BYTES,
  /** Anything else without its own limit (GETs have no body; unknown routes answer 404). */
  other: 64 * 1024,
} as const;

export interface EnrollLimit {
  /** Failed enrollment attempts allowed per client address in the window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_ENROLL_LIMIT: EnrollLimit = { max: 10, windowMs: 15 * 60_000 };

/**
 * Must run before any route is registered: gives every route without an explicit bodyLimit a
 * small cap, so no unauthenticated request can make HQ buffer a large body (a content-type
 * parser's own larger limit, e.g. the bundle upload's, only applies where the route asks for it).
 */
export function registerBodyCaps(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined) return;
    const url = route.url ?? route.path;
    route.bodyLimit =
      url === '/v1/devices/enroll'
        ? BODY_CAPS.enroll
        : url.startsWith('/v1/sync/')
          ? BODY_CAPS.sync
          : url === '/dashboard/sign-in'
            ? BODY_CAPS.signIn
            : url.startsWith('/dashboard')
              ? BODY_CAPS.dashboardForm
              : BODY_CAPS.other;
  });
}

/**
 * Enrollment codes are short: an address that keeps failing is guessing. After `max` failed
 * attempts in the window, every enrollment from that address is answered 429 RATE_LIMITED with
 * Retry-After until the oldest failure leaves the window. A success does not reset the count.
 */
export class EnrollGuard {
  private readonly limiter: SignInLimiter;
  constructor(
    limit: EnrollLimit,
    private readonly now: () => number,
  ) {
    this.limiter = new SignInLimiter(limit.max, limit.windowMs);
  }

  /** Answers 429 and returns true when the caller must stop. */
  refuse(req: FastifyRequest, reply: FastifyReply): boolean {
    const wait = this.limiter.retryAfter([`ip:${req.ip}`], this.now());
    if (wait <= 0) return false;
    const seconds = Math.ceil(wait / 1000);
    reply.header('retry-after', String(seconds));
    sendError(reply, 429, 'RATE_LIMITED', `Too many failed enrollment attempts from this address; try again in ${Math.ceil(seconds / 60)} minute(s).`, { retry_after_s: seconds });
    return true;
  }

  failed(req: FastifyRequest): void {
    this.limiter.fail([`ip:${req.ip}`], this.now());
  }
}
