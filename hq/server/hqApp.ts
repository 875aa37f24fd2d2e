import type { FastifyInstance } from 'fastify';
import { registerDashboard, type DashboardDeps } from './dashboard/dashboardRoutes';
import { buildSyncApp, type SyncAppOptions } from './syncApp';

export type { HqDeps } from './syncApp';

export interface HqAppOptions extends SyncAppOptions {
  /** The admins' dashboard under /dashboard (issue #8). */
  dashboard?: DashboardDeps;
}

/** The HQ HTTP server, routes only (listening is the caller's): tests drive it with `inject` or real sockets. */
export function buildHqApp(opts: HqAppOptions): FastifyInstance {
  const dashboard = opts.dashboard;
  return buildSyncApp(opts, dashboard ? (app) => registerDashboard(app, dashboard) : undefined);
}
