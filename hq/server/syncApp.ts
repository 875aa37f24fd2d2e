import Fastify, { type FastifyInstance } from 'fastify';
import { type HealthResponse, type HubUpstreamHealth, HQ_BATCH_BYTES, MAX_BATCH_BYTES, PROTOCOL_VERSION } from '../../shared/sync/hqProtocol';
import { HQ_DEVICE_ID } from './hqRuntime';
import { registerCompression } from './compression';
import { registerEnrollRoutes } from './enrollRoutes';
import { registerBodyCaps, type EnrollLimit } from './limits';
import { sendError } from './httpErrors';
import type { HqProjections } from './hqProjections';
import type { HqStorage } from './storage';
import { importEvents } from './importEvents';
import { registerSyncRoutes } from './syncRoutes';
import { registerPushBodyText } from './pushBody';

export interface HqDeps {
  storage: HqStorage;
  /** HQ's wall clock (injected for tests). */
  now: () => number;
  /** Called after a push added events (the projection catch-up). */
  onAccepted: () => void;
  /** The device id this server writes its own events as (HQ's decisions): nobody may push events under it. */
  ownDeviceId: string;
  /**
   * Set on a venue hub: asks HQ for its digest of a stop (the hub's link, hub/hubUpstream.ts). The
   * hub's stop-digest answer is HQ's confirmation of the hub's copy, never the hub's word alone.
   */
  hqStopDigest?: (stopId: string) => Promise<{ eventCount: number; digest: string }>;
  /** Set on HQ (not on a venue hub): publishes the demo tour's events when a demo desk enrolls (see `SyncAppOptions.demoEvents`). */
  publishDemo?: () => Promise<void>;
}

export interface SyncAppOptions {
  storage: HqStorage;
  projections?: HqProjections;
  now?: () => number;
  logger?: boolean;
  https?: { key: Buffer; cert: Buffer };
  /**
   * The reverse proxy in front of HQ (addresses or CIDRs, comma-separated) whose X-Forwarded-For/-Proto are
   * believed: the client's address for the rate limits, https for the dashboard's Secure cookies. Unset: no
   * forwarded header is believed (a client could claim anything).
   */
  trustProxy?: string;
  /** Failed enrollments allowed per client address (default 10 per 15 minutes). */
  enrollLimit?: EnrollLimit;
  /**
   * The demo tour's events, as a desk seeds them (core/demo/seedDemo.ts): taken into HQ's log, under
   * the push rules (idempotent, per device contiguous), when a desk that holds the demo enrolls, so
   * the demo desk's stops, people and figures are HQ's too without a seeding step. HQ's own events
   * are never involved: the demo's pretend devices are its authors.
   */
  demoEvents?: () => readonly unknown[];
  /** Set when this server is a venue hub: its link to HQ, reported to the desks by /v1/health. */
  hub?: { upstreamHealth: () => HubUpstreamHealth; hqStopDigest?: (stopId: string) => Promise<{ eventCount: number; digest: string }> };
}

/**
 * The sync server without the dashboard: what a venue hub serves (also inside the desk app, where
 * the dashboard's pages and assets are not bundled). `moreRoutes` adds routes before the handlers.
 */
export function buildSyncApp(opts: SyncAppOptions, moreRoutes?: (app: FastifyInstance) => void): FastifyInstance {
  const base = { logger: opts.logger ?? false, bodyLimit: MAX_BATCH_BYTES, ...(opts.trustProxy ? { trustProxy: opts.trustProxy } : {}) };
  const app = (opts.https ? Fastify({ ...base, https: opts.https }) : Fastify(base)) as FastifyInstance;
  const deps: HqDeps = {
    storage: opts.storage,
    now: opts.now ?? Date.now,
    onAccepted: () => opts.projections?.kick(),
    ownDeviceId: HQ_DEVICE_ID,
    // A hub without a link to HQ cannot confirm anything: it answers NOT_CONFIRMED.
    hqStopDigest: opts.hub ? (opts.hub.hqStopDigest ?? (() => Promise.reject(new Error('This hub has no link to HQ')))) : undefined,
    publishDemo: opts.demoEvents && !opts.hub ? publishDemoOnce(opts.storage, opts.demoEvents, () => opts.projections?.kick()) : undefined,
  };
  // The projection catch-up gives way to sync requests (hqProjections.ts): a desk's push or pull is
  // answered first, the fold runs in the gaps (and at least one step a second).
  const projections = opts.projections;
  if (projections) {
    // What the router matched, not the raw URL (a spelling of the path must not change the schedule).
    const isSync = (req: { routeOptions: { url?: string } }) => req.routeOptions.url?.startsWith('/v1/sync/') === true;
    app.addHook('onRequest', async (req) => {
      if (isSync(req)) projections.noteRequest();
    });
    app.addHook('onResponse', async (req) => {
      if (isSync(req)) projections.noteRequest();
    });
  }
  registerBodyCaps(app); // before any route
  registerPushBodyText(app);
  registerCompression(app);
  app.get('/v1/health', async (): Promise<HealthResponse> =>
    opts.hub ? { ok: true, protocol: PROTOCOL_VERSION, storage: opts.storage.kind, role: 'hub', upstream: opts.hub.upstreamHealth() } : { ok: true, protocol: PROTOCOL_VERSION, storage: opts.storage.kind, role: 'hq' },
  );
  registerEnrollRoutes(app, deps, opts.enrollLimit);
  registerSyncRoutes(app, deps);
  moreRoutes?.(app);

  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'NOT_FOUND', `No route ${req.method} ${req.url}`));
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) {
      const limit = req.routeOptions.bodyLimit ?? MAX_BATCH_BYTES;
      return sendError(reply, 413, 'TOO_LARGE', `The body is over ${limit} bytes (after gunzip)${limit === MAX_BATCH_BYTES || limit === HQ_BATCH_BYTES ? '; send smaller batches' : ''}.`, { limit });
    }
    if (status === 415) return sendError(reply, 415, 'UNSUPPORTED_ENCODING', err.message);
    if (status >= 400 && status < 500) return sendError(reply, status, 'VALIDATION', `Bad request: ${err.message}`);
    req.log.error(err);
    console.error('[hq] internal error', err);
    return sendError(reply, 500, 'INTERNAL', 'Internal error at HQ; nothing from this request was stored.');
  });
  return app;
}

/**
 * Publishes the demo's events into HQ's log (at most one run at a time; later calls find them held and
 * add nothing). A refusal (HQ holds other events under a demo device) is logged, never thrown: the
 * enrollment it follows has succeeded.
 */
function publishDemoOnce(storage: HqStorage, events: () => readonly unknown[], onAdded: () => void): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () =>
    (running ??= (async () => {
      try {
        const report = await importEvents(storage, events());
        if (report.added > 0) onAdded();
        for (const r of report.refused) console.error(`[hq] demo tour: events of ${r.deviceId} not taken (${r.reason})`);
      } catch (err) {
        console.error('[hq] demo tour could not be published', err);
      } finally {
        running = null;
      }
    })());
}
