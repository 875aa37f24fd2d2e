import type { FastifyInstance } from 'fastify';
import { registerDashboard, type DashboardDeps } from './dashboard/dashboardRoutes';
import { buildSyncApp, type SyncAppOptions } from './syncApp';
import type { MailService } from './mail/mailService';
import { registerUnsubscribeRoutes } from './mail/unsubscribeRoutes';

export type { HqDeps } from './syncApp';

export interface HqAppOptions extends SyncAppOptions {
  /** The admins' dashboard under /dashboard (issue #8). */
  dashboard?: DashboardDeps;
  /** Attendee messages (issue #21): the unsubscribe pages (the Messages page gets it through `dashboard.mail`). */
  mail?: MailService;
}

/** The HQ HTTP server, routes only (listening is the caller's): tests drive it with `inject` or real sockets. */
export function buildHqApp(opts: HqAppOptions): FastifyInstance {
  const dashboard = opts.dashboard;
  const mail = opts.mail;
  if (!dashboard && !mail) return buildSyncApp(opts);
  return buildSyncApp(opts, (app) => {
    if (dashboard) registerDashboard(app, dashboard);
    // After the dashboard: its form parser is the one the unsubscribe form's POST gets.
    if (mail) registerUnsubscribeRoutes(app, mail);
  });
}
