import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_BATCH_BYTES } from '../../shared/sync/hqProtocol';
import { SignInLimiter, type LimitKey } from './admin/adminStore';
import { sendError } from './httpErrors';

/** Body caps per route (bytes, after gunzip). Routes that set their own bodyLimit (sync push, bundle upload) keep it. */
export const BODY_CAPS = {
  /** {code, device_id, label}: a few hundred bytes. */
  enroll: 4 * 1024,
  /** The dashboard's sign-in form. */
  signIn: 8 * 1024,
  /** Every other dashboard form (decisions, merges, exports): small url-encoded forms. */
  dashboardForm: 64 * 1024,
  /** The sync routes' requests (pull, digest), gzip or not; the push route sets its own (HQ_BATCH_BYTES). */
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
 * Enrollment codes are short: a device that keeps failing from one address is guessing. After `max` failed
 * attempts of that device from that address in the window it waits (30 s, doubling, at most the window),
 * answered 429 RATE_LIMITED with Retry-After; the address as a whole only after five times as many, so one
 * bad laptop behind a venue's NAT does not block the other desks enrolling there (issue #17).
 */
export class EnrollGuard {
  private readonly limiter: SignInLimiter;
  constructor(
    private readonly limit: EnrollLimit,
    private readonly now: () => number,
  ) {
    this.limiter = new SignInLimiter(limit.windowMs, 30_000, limit.windowMs);
  }

  private keys(req: FastifyRequest): LimitKey[] {
    const body = req.body as { device_id?: unknown } | undefined;
    const device = typeof body?.device_id === 'string' ? body.device_id.slice(0, 64) : '';
    return [
      { key: `pair:${req.ip}|${device}`, free: this.limit.max },
      { key: `ip:${req.ip}`, free: this.limit.max * 5 },
    ];
  }

  /** Answers 429 and returns true when the caller must stop. */
  refuse(req: FastifyRequest, reply: FastifyReply): boolean {
    const wait = this.limiter.retryAfter(this.keys(req), this.now());
    if (wait <= 0) return false;
    const seconds = Math.ceil(wait / 1000);
    reply.header('retry-after', String(seconds));
    sendError(reply, 429, 'RATE_LIMITED', `Too many failed enrollment attempts from this address; try again in ${Math.ceil(seconds / 60)} minute(s).`, { retry_after_s: seconds });
    return true;
  }

  failed(req: FastifyRequest): void {
    this.limiter.fail(this.keys(req), this.now());
  }
}
