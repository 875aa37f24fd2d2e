import type { FastifyInstance } from 'fastify';
import { HqActions } from './admin/hqActions';
import { registerDashboard, type DashboardDeps } from './dashboard/dashboardRoutes';
import { registerSelfBooking, type SelfBookingDeps } from './selfBooking/selfBookingRoutes';
import { buildSyncApp, type SyncAppOptions } from './syncApp';
import type { MailService } from './mail/mailService';
import { registerUnsubscribeRoutes } from './mail/unsubscribeRoutes';

export type { HqDeps } from './syncApp';

export interface HqAppOptions extends SyncAppOptions {
  /** The admins' dashboard under /dashboard (issue #8). */
  dashboard?: DashboardDeps;
  /** The attendees' self-booking pages under /book/<signed link> (issue #21). */
  selfBooking?: SelfBookingDeps;
  /** Attendee messages (issue #21): the unsubscribe pages (the Messages page gets it through `dashboard.mail`). */
  mail?: MailService;
}

/** The HQ HTTP server, routes only (listening is the caller's): tests drive it with `inject` or real sockets. */
export function buildHqApp(opts: HqAppOptions): FastifyInstance {
  const { dashboard, selfBooking, mail } = opts;
  // One queue for HQ's own events, whichever page decides (dashboardRoutes, selfBooking).
  const actions = selfBooking ? (selfBooking.actions ?? dashboard?.actions ?? new HqActions(selfBooking.projections.store, selfBooking.storage, selfBooking.dataDir)) : undefined;
  return buildSyncApp(
    opts,
    dashboard || selfBooking || mail
      ? (app) => {
          // The deps object itself (not a copy): a caller may add to it after the build (a hub's certificate pin).
          if (dashboard) {
            if (actions && !dashboard.actions) dashboard.actions = actions;
            registerDashboard(app, dashboard);
          }
          if (selfBooking) registerSelfBooking(app, { ...selfBooking, actions });
          // After the dashboard: its form parser is the one the unsubscribe form's POST gets.
          if (mail) registerUnsubscribeRoutes(app, mail);
        }
      : undefined,
  );
}
