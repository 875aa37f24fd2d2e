import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../core/store/openStore';
import { SyncClient } from '../../core/sync/syncClient';
import { AdminStore } from '../../hq/server/admin/adminStore';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { enrollDevice } from '../../core/sync/syncClient';
import type { HqTransport } from '../../core/sync/hqTransport';
import { injectTransport } from './hqHarness';
import { tempDir } from './testStore';

export const ADMIN = { email: 'hq@kofac.re.kr', name: 'Park HQ', password: 'correct horse battery staple' };

export interface DashboardHq {
  app: FastifyInstance;
  storage: SqliteHqStorage;
  projections: HqProjections;
  store: Store;
  admin: AdminStore;
  dataDir: string;
  transport: HqTransport;
  clock: { now: number };
  enroll(deviceId: string): Promise<string>;
  close(): Promise<void>;
}

/** An HQ with the dashboard, one admin, reached by inject; its clock is `clock.now` (ms). `beforeReady` may add hooks. */
export async function createDashboardHq(opts: { beforeReady?: (app: FastifyInstance) => void } = {}): Promise<DashboardHq> {
  const dataDir = tempDir('roadshow-hqdash-');
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const admin = new AdminStore(path.join(dataDir, 'hq-admin.sqlite'));
  admin.addAdmin(ADMIN.email, ADMIN.name, ADMIN.password);
  const clock = { now: Date.parse('2025-12-06T20:00:00Z') };
  const app = buildHqApp({ storage, projections, now: () => clock.now, dashboard: { storage, projections, admin, dataDir, now: () => clock.now } });
  opts.beforeReady?.(app);
  await app.ready();
  const transport = injectTransport(app);
  return {
    app,
    storage,
    projections,
    store,
    admin,
    dataDir,
    transport,
    clock,
    async enroll(deviceId) {
      const { code } = await issueEnrollmentCode(storage, { label: deviceId, now: new Date(clock.now) });
      return enrollDevice(transport, deviceId, code, deviceId);
    },
    async close() {
      await app.close();
      await projections.catchUp().catch(() => 0);
      await storage.close();
      store.close();
      admin.close();
    },
  };
}

const content = (over: Record<string, unknown> = {}) => ({
  staffName: 'Dr. Choi',
  fields: ['ai'],
  otherFields: [],
  careerStage: 'postdoc',
  programs: ['innocore_postdoc'],
  interestLevel: 'high',
  preferredStart: '',
  followUpAction: '',
  followUpOwner: '',
  followUpDue: '',
  followUpStatus: 'none',
  notes: '',
  ...over,
});

export interface Scenario {
  laptops: Record<'seed' | 'bostonA' | 'bostonB' | 'chicago', Store>;
  tokens: Record<'seed' | 'bostonA' | 'bostonB' | 'chicago', string>;
}

/**
 * Two stops of the tour synced to HQ: Boston (Kim Minjun checked in at two desks — a double
 * check-in; Lee Sora registered, not there; two KAIST consultations, only Kim consented) and
 * Chicago, where Kim walked in again as a new record with the same email.
 */
export async function syncTwoStops(hq: DashboardHq): Promise<Scenario> {
  let t = Date.parse('2025-10-20T14:00:00Z');
  const tick = () => (t += 1000);
  const laptop = (id: string) => openStore(path.join(tempDir('roadshow-laptop-'), 'roadshow.sqlite'), { deviceId: id, now: tick });
  const laptops = { seed: laptop('hq-seed'), bostonA: laptop('desk-boston-a'), bostonB: laptop('desk-boston-b'), chicago: laptop('desk-chicago') };
  const tokens = {} as Scenario['tokens'];
  for (const [k, s] of Object.entries(laptops)) tokens[k as keyof Scenario['tokens']] = await hq.enroll(s.deviceId);
  const sync = (k: keyof Scenario['tokens']) => new SyncClient(laptops[k], hq.transport, tokens[k]).sync();

  const seed = laptops.seed.events;
  seed.append('tour_upserted', { id: 'tour-2025', name: 'Korea–US roadshow 2025', nameKo: '한미 로드쇼 2025', year: 2025 });
  seed.append('stop_upserted', { id: 'stop-boston', tourId: 'tour-2025', round: '1', city: 'Boston', cityKo: '보스턴', venue: 'MIT Stata Center', campus: '', date: '2025-10-20', timeZone: 'America/New_York', kind: 'joint_briefing' });
  seed.append('stop_upserted', { id: 'stop-chicago', tourId: 'tour-2025', round: '5-1', city: 'Chicago', cityKo: '시카고', venue: 'UChicago', campus: '', date: '2025-12-05', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
  seed.append('institution_upserted', { id: 'inst-kaist', name: 'KAIST', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university' });
  seed.append('booth_upserted', { id: 'booth-boston-kaist', stopId: 'stop-boston', institutionId: 'inst-kaist', location: 'B01', staff: [] });
  await sync('seed');

  await sync('bostonA');
  await sync('bostonB');
  const a = laptops.bostonA.events;
  const meta = { stopId: 'stop-boston' };
  a.append('attendee_registered', { attendeeId: 'att-kim', familyName: 'Kim', givenName: 'Minjun', nameKo: '김민준', email: 'mk@mit.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai'] }, meta);
  a.append('registration_created', { registrationId: 'reg-kim-boston', attendeeId: 'att-kim', stopId: 'stop-boston', source: 'preregistered', scanToken: 'RS-KIM1' }, meta);
  a.append('attendee_registered', { attendeeId: 'att-lee', familyName: 'Lee', givenName: 'Sora', nameKo: '이소라', email: 'sora@harvard.edu', affiliation: 'Harvard', careerStage: 'student', fields: ['bio'] }, meta);
  a.append('registration_created', { registrationId: 'reg-lee-boston', attendeeId: 'att-lee', stopId: 'stop-boston', source: 'preregistered', scanToken: 'RS-LEE1' }, meta);
  a.append('consent_recorded', { consentId: 'consent-kim', attendeeId: 'att-kim', scope: 'all_institutions', institutionId: null, textVersion: '2025-10-v1' }, meta);
  await sync('bostonA');
  await sync('bostonB');
  // Both Boston desks check Kim in before they sync again.
  a.append('checked_in', { registrationId: 'reg-kim-boston', attendeeId: 'att-kim', stopId: 'stop-boston', desk: 'Desk A' }, meta);
  laptops.bostonB.events.append('checked_in', { registrationId: 'reg-kim-boston', attendeeId: 'att-kim', stopId: 'stop-boston', desk: 'Desk B' }, meta);
  const consult = (id: string, attendeeId: string, registrationId: string, over: Record<string, unknown>) =>
    a.append('consultation_logged', { consultationId: id, stopId: 'stop-boston', institutionId: 'inst-kaist', boothId: 'booth-boston-kaist', bookingId: null, attendeeId, registrationId, visitorLabel: '', content: content(over) as never }, meta);
  consult('cons-kim', 'att-kim', 'reg-kim-boston', { followUpAction: 'Send InnoCORE call', followUpStatus: 'open', notes: 'LLM postdoc' });
  consult('cons-lee', 'att-lee', 'reg-lee-boston', { careerStage: 'student', fields: ['bio'] });
  await sync('bostonA');
  await sync('bostonB');

  const c = laptops.chicago.events;
  const cm = { stopId: 'stop-chicago' };
  c.append('attendee_registered', { attendeeId: 'att-kim-chicago', familyName: 'Kim', givenName: 'Min-jun', nameKo: '', email: 'MK@mit.edu', affiliation: 'MIT', careerStage: 'postdoc', fields: ['ai', 'robotics'] }, cm);
  c.append('registration_created', { registrationId: 'reg-kim-chicago', attendeeId: 'att-kim-chicago', stopId: 'stop-chicago', source: 'walk_in', scanToken: 'RS-KIM2' }, cm);
  c.append('checked_in', { registrationId: 'reg-kim-chicago', attendeeId: 'att-kim-chicago', stopId: 'stop-chicago', desk: 'Desk C' }, cm);
  await sync('chicago');
  await hq.projections.catchUp();
  return { laptops, tokens };
}
