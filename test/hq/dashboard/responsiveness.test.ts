import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../core/sync/hlc';
import { closeDashboardHq, dashboardBrowser } from '../../helpers/dashboardBrowser';
import { writeBulkTour, type BulkTour } from '../../helpers/bulkHq';
import { createDashboardHq, type DashboardHq } from '../../helpers/tourScenario';

/**
 * Issue #17, part 2: HQ stays responsive whatever page is opened. HQ holds 100,000 people (written in
 * bulk through its storage's push API, then projected); while the heaviest dashboard pages load at
 * once (same-person proposals over every record, the tour's conflicts, the stops' figures, a stop's
 * report, a whole-tour XLSX follow-up export), a laptop's /v1/health, push and pull are answered
 * before any of those pages is. No clock is read: the test compares the order in which answers come.
 */
const PEOPLE = 100_000;

let hq: DashboardHq;
let tour: BulkTour;
let base: string;
let cookie: string;
let token: string;
/** Resolves when the server has received the proposals page's request (its handler is about to run). */
let matchesArrived: () => void = () => undefined;
const arrived = new Promise<void>((resolve) => (matchesArrived = resolve));

beforeAll(async () => {
  hq = await createDashboardHq({
    beforeReady: (app) =>
      app.addHook('onRequest', async (req) => {
        if (req.url === '/dashboard/matches') matchesArrived();
      }),
  });
  // 100,000 people at 10 stops; every 5th a walk-in again at the next stop (20,000 proposals);
  // 3,000 double check-ins; 10,000 consultations with consenting people.
  tour = await writeBulkTour(hq.storage, hq.projections, { people: PEOPLE, stops: 10, repeatEvery: 5, doubleCheckIns: 3_000, consultations: 10_000 }, 10_000);
  token = await hq.enroll('desk-live');
  const browser = dashboardBrowser(hq);
  await browser.signIn();
  cookie = browser.cookie();
  base = await hq.app.listen({ port: 0, host: '127.0.0.1' });
}, 600_000);

afterAll(async () => {
  if (hq) await closeDashboardHq(hq);
});

/** The order in which answers came back (a counter, not a clock). */
const order: string[] = [];
async function track(name: string, res: Promise<Response>): Promise<{ status: number; bytes: number }> {
  const r = await res;
  const body = await r.arrayBuffer();
  order.push(name);
  return { status: r.status, bytes: body.byteLength };
}

const dashboard = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { cookie, ...(init.headers ?? {}) }, redirect: 'manual' });
const sync = (path: string, body?: unknown) =>
  fetch(`${base}${path}`, body === undefined ? {} : { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('HQ with 100,000 people: sync answers while the heaviest dashboard pages load', () => {
  it('answers /v1/health, a push and a pull before any heavy page is done', async () => {
    expect(tour.events).toBeGreaterThan(250_000);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await dashboard('/dashboard/exports')).text())![1]!;
    order.length = 0;

    // The proposals page first (the heaviest: every record), then, once HQ is at work on it, the rest.
    const heavy: Promise<{ status: number; bytes: number }>[] = [track('matches', dashboard('/dashboard/matches'))];
    await arrived;
    heavy.push(
      track('overview', dashboard('/dashboard')),
      track('conflicts', dashboard('/dashboard/conflicts?page=3')),
      track('report', dashboard(`/dashboard/stops/${tour.stopIds[0]}/report`)),
      track('export', dashboard('/dashboard/exports', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, institutionId: 'inst-kaist', format: 'xlsx', language: 'ko' }).toString() })),
    );

    // Meanwhile a laptop syncs: health, a push of one new event, a pull of what is new.
    const wall = hq.clock.now - 60_000;
    const health = await track('health', sync('/v1/health'));
    const push = await track(
      'push',
      sync('/v1/sync/push', {
        device_id: 'desk-live',
        events: [
          {
            eventId: randomUUID(),
            deviceId: 'desk-live',
            deviceSeq: 1,
            hlc: encodeHlc(wall, 0, 'desk-live'),
            type: 'checked_in',
            schemaVersion: 1,
            actorId: null,
            stopId: tour.stopIds[1]!,
            recordedAt: new Date(wall).toISOString(),
            payload: { registrationId: 'reg-1', attendeeId: 'att-1', stopId: tour.stopIds[1]!, desk: 'Desk live' },
          },
        ],
      }),
    );
    const pull = await track('pull', sync('/v1/sync/pull', { cursor: String(tour.events - 10), limit: 100 }));
    const pages = await Promise.all(heavy);

    expect([health.status, push.status, pull.status]).toEqual([200, 200, 200]);
    for (const p of pages) expect(p.status).toBe(200);
    // Every sync call answered while every heavy page was still loading.
    expect(order.slice(0, 3)).toEqual(['health', 'push', 'pull']);
    expect(order.slice(3).sort()).toEqual(['conflicts', 'export', 'matches', 'overview', 'report']);
    // And the pages stayed bounded: one page of 100 proposals, not 20,000.
    expect(pages[0]!.bytes).toBeLessThan(400_000);
  }, 600_000);
});
