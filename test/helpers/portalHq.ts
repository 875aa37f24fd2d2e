import { rmSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../core/store/openStore';
import { AdminStore } from '../../hq/server/admin/adminStore';
import { HqActions } from '../../hq/server/admin/hqActions';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { LeadOutcomes } from '../../hq/server/leads/leadOutcomes';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { tempDir } from './testStore';
import { ADMIN } from './tourScenario';

export { ADMIN };
export const KAIST_USER = { email: 'leads@kaist.ac.kr', name: 'Jung KAIST', password: 'kaist portal password 1' };
export const UNIST_USER = { email: 'leads@unist.ac.kr', name: 'Han UNIST', password: 'unist portal password 1' };

export interface PortalHq {
  app: FastifyInstance;
  store: Store;
  storage: SqliteHqStorage;
  projections: HqProjections;
  admin: AdminStore;
  leads: LeadOutcomes;
  actions: HqActions;
  dataDir: string;
  clock: { now: number };
  ids: { kaistProgram: string; unistProgram: string; national: string; kaistUser: string; unistUser: string };
  close(): Promise<void>;
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

/**
 * An HQ with the dashboard and the institution portal (lead outcomes on), reached by inject or a socket, seeded:
 * - KAIST and UNIST; stops Boston (1) and Chicago (5-1); programmes: KAIST AI postdoc, UNIST battery postdoc, Brain to Korea (national).
 * - Kim Minjun (consent: all institutions) consulted KAIST in Boston and, as a second record merged into the first,
 *   in Chicago; UNIST consulted him too (with a note KAIST must never see).
 * - Lee Sora consented to UNIST only and consulted KAIST and UNIST; Park Jiho consented to HQ statistics only and
 *   consulted KAIST; Choi Yuna (all institutions) consulted UNIST only.
 * - One admin, one KAIST account and one UNIST account.
 */
export async function createPortalHq(): Promise<PortalHq> {
  const dataDir = tempDir('roadshow-portal-');
  const storage = new SqliteHqStorage(path.join(dataDir, 'hq-events.sqlite'));
  const store = openStore(path.join(dataDir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const admin = new AdminStore(path.join(dataDir, 'hq-admin.sqlite'));
  const leads = LeadOutcomes.open({ dataDir, projections: store, storage, catchUp: () => projections.catchUp() });
  const actions = new HqActions(store, storage, dataDir);
  const clock = { now: Date.parse('2026-11-20T09:00:00Z') };
  const app = buildHqApp({ storage, projections, now: () => clock.now, dashboard: { storage, projections, admin, dataDir, now: () => clock.now, leads } });
  await app.ready();

  const a = <T extends Parameters<HqActions['append']>[0]>(type: T, payload: Parameters<HqActions['append']>[1] & object) => actions.append(type, payload as never, 'seed');
  await a('tour_upserted', { id: 'tour-2026', name: 'Korea–US roadshow 2026', nameKo: '한미 로드쇼 2026', year: 2026 });
  await a('stop_upserted', { id: 'stop-boston', tourId: 'tour-2026', round: '1', city: 'Boston', cityKo: '보스턴', venue: 'MIT', campus: '', date: '2026-10-20', timeZone: 'America/New_York', kind: 'joint_briefing' });
  await a('stop_upserted', { id: 'stop-chicago', tourId: 'tour-2026', round: '5-1', city: 'Chicago', cityKo: '시카고', venue: 'UChicago', campus: '', date: '2026-11-05', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
  await a('institution_upserted', { id: 'inst-kaist', name: 'KAIST', nameKo: '한국과학기술원', shortName: 'KAIST', kind: 'university' });
  await a('institution_upserted', { id: 'inst-unist', name: 'UNIST', nameKo: '울산과학기술원', shortName: 'UNIST', kind: 'university' });
  const program = async (input: Record<string, unknown>) => {
    const r = await actions.call('program:upsert', input as never, 'seed');
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { id: string }).id;
  };
  const kaistProgram = await program({ institutionId: 'inst-kaist', name: 'KAIST AI postdoc', nameKo: 'KAIST AI 박사후연구원', kind: 'postdoc', places: 12 });
  const unistProgram = await program({ institutionId: 'inst-unist', name: 'UNIST battery postdoc', nameKo: 'UNIST 배터리 박사후연구원', kind: 'postdoc' });
  const national = await program({ institutionId: null, name: 'Brain to Korea', nameKo: '브레인 투 코리아', kind: 'fellowship' });

  const person = async (id: string, familyName: string, givenName: string, nameKo: string, email: string, affiliation: string, careerStage: string, consent: { scope: string; institutionId: string | null } | null) => {
    await a('attendee_registered', { attendeeId: id, familyName, givenName, nameKo, email, affiliation, careerStage: careerStage as 'postdoc', fields: ['ai'] });
    if (consent) await a('consent_recorded', { consentId: `consent-${id}`, attendeeId: id, ...consent, textVersion: '2026-1' });
  };
  let n = 0;
  const consult = (stopId: string, institutionId: string, attendeeId: string, over: Record<string, unknown> = {}) =>
    a('consultation_logged', { consultationId: `cons-${++n}`, stopId, institutionId, boothId: null, bookingId: null, attendeeId, registrationId: null, visitorLabel: '', content: content(over) as never });

  await person('att-kim', 'Kim', 'Minjun', '김민준', 'mk@mit.edu', 'MIT', 'postdoc', { scope: 'all_institutions', institutionId: null });
  await person('att-kim-chicago', 'Kim', 'Min-jun', '', 'MK@mit.edu', 'MIT', 'postdoc', null);
  await person('att-lee', 'Lee', 'Sora', '이소라', 'sora@harvard.edu', 'Harvard', 'student', { scope: 'institution', institutionId: 'inst-unist' });
  await person('att-park', 'Park', 'Jiho', '박지호', 'jiho@bu.edu', 'BU', 'professor', { scope: 'hq_stats', institutionId: null });
  await person('att-choi', 'Choi', 'Yuna', '최유나', 'yuna@uchicago.edu', 'UChicago', 'researcher', { scope: 'all_institutions', institutionId: null });
  await consult('stop-boston', 'inst-kaist', 'att-kim', { staffName: 'Prof. Oh', followUpAction: 'Send the InnoCORE call', followUpStatus: 'open', followUpOwner: 'Oh', notes: 'LLM postdoc, wants to start in spring' });
  await consult('stop-chicago', 'inst-kaist', 'att-kim-chicago', { staffName: 'Dr. Seo', programs: ['brain_to_korea'], fields: ['ai', 'robotics'], notes: 'Met again in Chicago' });
  await consult('stop-boston', 'inst-unist', 'att-kim', { staffName: 'UNIST staff', notes: 'UNIST private note about Kim' });
  await consult('stop-boston', 'inst-kaist', 'att-lee', { careerStage: 'student', notes: 'Lee note at KAIST' });
  await consult('stop-boston', 'inst-unist', 'att-lee', { careerStage: 'student', notes: 'Lee note at UNIST' });
  await consult('stop-chicago', 'inst-kaist', 'att-park', { notes: 'Park note at KAIST' });
  await consult('stop-chicago', 'inst-unist', 'att-choi', { notes: 'Choi note at UNIST' });
  // The Chicago walk-in is Kim again: HQ merged the records.
  await a('attendee_merged', { fromAttendeeId: 'att-kim-chicago', intoAttendeeId: 'att-kim', reason: 'email' });
  await projections.catchUp();

  admin.addAdmin(ADMIN.email, ADMIN.name, ADMIN.password);
  const kaistUser = admin.addInstitutionUser({ ...KAIST_USER, institutionId: 'inst-kaist', createdBy: 'test' }).account.id;
  const unistUser = admin.addInstitutionUser({ ...UNIST_USER, institutionId: 'inst-unist', createdBy: 'test' }).account.id;

  return {
    app,
    store,
    storage,
    projections,
    admin,
    leads,
    actions,
    dataDir,
    clock,
    ids: { kaistProgram, unistProgram, national, kaistUser, unistUser },
    async close() {
      await app.close();
      await projections.catchUp().catch(() => 0);
      leads.close();
      await storage.close();
      store.close();
      admin.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
