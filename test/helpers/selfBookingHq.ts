import { rmSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../core/store/openStore';
import { enrollDevice, SyncClient } from '../../core/sync/syncClient';
import { AdminStore } from '../../hq/server/admin/adminStore';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { LinkSigner } from '../../hq/server/links/signedLinks';
import type { SelfBookingLimits } from '../../hq/server/selfBooking/selfBookingRoutes';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { injectTransport } from './hqHarness';
import { tempDir } from './testStore';
import { ADMIN } from './tourScenario';

/** 10 March 2026 in New York (EDT, UTC−4): the booths consult 13:00–15:00 local, i.e. 17:00–19:00 UTC. */
export const NYC = 'stop-nyc';
export const CHI = 'stop-chi';
export const KAIST = 'booth-nyc-kaist';
export const POSTECH = 'booth-nyc-postech';
export const CHI_KAIST = 'booth-chi-kaist';
/** The NYC slot at 13:00 local plus `minutes`, as the handlers spell it. */
export const slot = (minutes: number): string => new Date(Date.parse('2026-03-10T17:00:00.000Z') + minutes * 60_000).toISOString();
/** 08:00 in New York on the stop's day: every slot is still ahead. */
export const MORNING = Date.parse('2026-03-10T12:00:00Z');

export interface SelfBookingHq {
  app: FastifyInstance;
  storage: SqliteHqStorage;
  projections: HqProjections;
  store: Store;
  admin: AdminStore;
  dataDir: string;
  clock: { now: number };
  signer: LinkSigner;
  /** `/book/<token>` of an attendee at a stop (expires a day after the clock by default). */
  link(attendeeId: string, stopId?: string, expiresAt?: string): string;
  /** A laptop enrolled at this HQ, synced once (it holds the tour). */
  desk(deviceId: string): Promise<{ store: Store; sync: () => Promise<unknown> }>;
  close(): Promise<void>;
}

/**
 * An HQ with the dashboard and the self-booking pages (inject), seeded by a laptop with two stops:
 * New York (KAIST 1 place a slot, POSTECH 2; 30-minute slots 13:00–15:00) with Kim, Lee and Park
 * registered, and Chicago where Kim is registered too.
 */
export async function createSelfBookingHq(opts: { limits?: Partial<SelfBookingLimits> } = {}): Promise<SelfBookingHq> {
  const dataDir = tempDir('roadshow-selfbook-');
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const admin = new AdminStore(path.join(dataDir, 'hq-admin.sqlite'));
  admin.addAdmin(ADMIN.email, ADMIN.name, ADMIN.password);
  const clock = { now: MORNING };
  const now = () => clock.now;
  const app = buildHqApp({
    storage,
    projections,
    // The sync routes keep the real clock (laptops stamp events with it); the pages run on `clock`.
    dashboard: { storage, projections, admin, dataDir, now },
    selfBooking: { storage, projections, dataDir, now, publicUrl: 'https://hq.example.org', ...(opts.limits ? { limits: opts.limits } : {}) },
  });
  await app.ready();
  const transport = injectTransport(app);
  const signer = LinkSigner.forDataDir(dataDir);
  const laptops: Store[] = [];
  const laptop = async (deviceId: string) => {
    const s = openStore(path.join(tempDir('roadshow-selfbook-laptop-'), 'roadshow.sqlite'), { deviceId });
    laptops.push(s);
    const { code } = await issueEnrollmentCode(storage, { label: deviceId });
    const token = await enrollDevice(transport, deviceId, code, deviceId);
    return { store: s, sync: () => new SyncClient(s, transport, token).sync() };
  };

  const seed = await laptop('seed-laptop');
  const e = seed.store.events;
  e.append('tour_upserted', { id: 'tour-2026', name: 'Korea–US roadshow 2026', nameKo: '한미 로드쇼 2026', year: 2026 });
  e.append('stop_upserted', { id: NYC, tourId: 'tour-2026', round: '1', city: 'New York', cityKo: '뉴욕', venue: 'Columbia University, Low Library', campus: '', date: '2026-03-10', timeZone: 'America/New_York', kind: 'joint_briefing' });
  e.append('stop_upserted', { id: CHI, tourId: 'tour-2026', round: '2', city: 'Chicago', cityKo: '시카고', venue: 'UChicago', campus: '', date: '2026-03-12', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
  e.append('institution_upserted', { id: 'inst-kaist', name: 'Korea Advanced Institute of Science and Technology', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university' });
  e.append('institution_upserted', { id: 'inst-postech', name: 'Pohang University of Science and Technology', nameKo: '포항공과대학교', shortName: 'POSTECH', kind: 'university' });
  const plan = (boothId: string, stopId: string, capacity: number) =>
    e.append('booth_plan_set', { boothId, stopId, copiedFromStopId: null, startTime: '13:00', endTime: '15:00', slotMinutes: 30, capacity, breaks: [], fields: [] }, { stopId });
  e.append('booth_upserted', { id: KAIST, stopId: NYC, institutionId: 'inst-kaist', location: 'B01', staff: [] }, { stopId: NYC });
  e.append('booth_upserted', { id: POSTECH, stopId: NYC, institutionId: 'inst-postech', location: 'B02', staff: [] }, { stopId: NYC });
  e.append('booth_upserted', { id: CHI_KAIST, stopId: CHI, institutionId: 'inst-kaist', location: 'A1', staff: [] }, { stopId: CHI });
  plan(KAIST, NYC, 1);
  plan(POSTECH, NYC, 2);
  plan(CHI_KAIST, CHI, 1);
  const person = (id: string, familyName: string, givenName: string, nameKo: string) =>
    e.append('attendee_registered', { attendeeId: id, familyName, givenName, nameKo, email: `${givenName.toLowerCase()}@mit.edu`, affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] });
  const register = (registrationId: string, attendeeId: string, stopId: string) =>
    e.append('registration_created', { registrationId, attendeeId, stopId, source: 'preregistered', scanToken: `RS-${registrationId}` }, { stopId });
  person('att-kim', 'Kim', 'Minjun', '김민준');
  person('att-lee', 'Lee', 'Sora', '이소라');
  person('att-park', 'Park', 'Jiho', '박지호');
  register('reg-kim-nyc', 'att-kim', NYC);
  register('reg-lee-nyc', 'att-lee', NYC);
  register('reg-park-nyc', 'att-park', NYC);
  register('reg-kim-chi', 'att-kim', CHI);
  await seed.sync();
  await projections.catchUp();

  return {
    app,
    storage,
    projections,
    store,
    admin,
    dataDir,
    clock,
    signer,
    link: (attendeeId, stopId = NYC, expiresAt = new Date(clock.now + 86400_000).toISOString()) => `/book/${signer.sign({ purpose: 'book', attendeeId, stopId, expiresAt })}`,
    desk: async (deviceId) => {
      const d = await laptop(deviceId);
      await d.sync();
      return d;
    },
    async close() {
      await app.close();
      projections.stop();
      await projections.catchUp().catch(() => 0);
      await storage.close();
      store.close();
      admin.close();
      for (const l of laptops) {
        const dir = path.dirname(l.db.name);
        l.close();
        rmSync(dir, { recursive: true, force: true });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A phone over inject: GET a page, POST a form of it (the page's own form token and hidden fields). */
export function attendeePhone(h: SelfBookingHq) {
  return {
    get: (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers }),
    post: (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(fields).toString() }),
  };
}

/** The form token of a self-booking page. */
export const formToken = (html: string): string => /name="_form" value="([^"]+)"/.exec(html)![1]!;
