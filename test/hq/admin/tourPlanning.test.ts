import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPin } from '../../../core/security/pinHash';
import { normaliseSetupCode } from '../../../core/security/setupCode';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createStaffQueries } from '../../../core/store/queries/staffQueries';
import { SyncClient } from '../../../core/sync/syncClient';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { runTourCommand } from '../../../hq/server/admin/tourCli';
import { DASHBOARD_TEXT } from '../../../hq/server/dashboard/dashboardText';
import { SheetReportView } from '../../../hq/server/dashboard/sheetReport';
import type { TourSheetReport } from '../../../shared/schemas/tourSheet';
import { openHqRuntime, type HqRuntime } from '../../../hq/server/hqRuntime';
import { closeDashboardHq, dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { createTestStore, disposeTestStore, tempDir } from '../../helpers/testStore';
import { importBundleIntoStore } from '../../../core/sync/bundle';
import { createDashboardHq, type DashboardHq } from '../../helpers/tourScenario';

let hq: DashboardHq | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  if (hq) await closeDashboardHq(hq);
  hq = undefined;
  for (const c of cleanups.splice(0)) await c();
});

type Browser = ReturnType<typeof dashboardBrowser>;

/** The field's message, by the id the page gives it (`<form>-<field>-error`), and that its input points at it. */
function fieldError(html: string, form: string, field: string): string | null {
  const m = new RegExp(`id="${form}-${field}-error">([^<]*)<`).exec(html);
  if (!m) return null;
  expect(html).toMatch(new RegExp(`aria-describedby="[^"]*${form}-${field}-error`));
  return m[1]!.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
/** The form with this id, as HTML. */
const formOf = (html: string, id: string): string => {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</form>', start));
};
/** An input's value inside the form with this id. */
const inputValue = (html: string, form: string, name: string): string | undefined => {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(formOf(html, form))?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
};
const inputTag = (html: string, name: string): string => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? '';

const hqEvents = async (h: DashboardHq) => (await h.storage.eventsOfDevice('hq', 0, 10_000)).map((e) => ({ type: e.type, payload: JSON.parse(e.payloadText) as Record<string, unknown>, text: e.payloadText }));
const idFrom = (location: unknown, re: RegExp): string => re.exec(String(location))![1]!;

/** Signs in, creates a tour, one stop and KAIST through the pages; answers their ids. */
async function planBasics(h: DashboardHq, b: Browser): Promise<{ tourId: string; stopId: string; kaistId: string; csrf: string }> {
  if (!b.jar.has('rsd_admin')) await b.signIn();
  const list = await b.get('/dashboard/tours?lang=en');
  const csrf = b.csrf(list.body);
  const made = await b.post('/dashboard/tours', { _csrf: csrf, name: 'Roadshow 2026', nameKo: '로드쇼 2026', year: '2026', startDate: '2026-10-01', endDate: '2026-11-30' });
  expect(made.statusCode).toBe(303);
  const tourId = idFrom(made.headers.location, /^\/dashboard\/tours\/([^?]+)\?done=tour_created/);
  const stop = await b.post(`/dashboard/tours/${tourId}/stops`, { _csrf: csrf, round: '1', city: 'Boston', cityKo: '보스턴', venue: 'Hynes Convention Center', campus: '', date: '2026-10-19', timeZone: 'America/New_York', kind: 'joint_briefing' });
  expect(stop.statusCode).toBe(303);
  const stopId = idFrom(stop.headers.location, /^\/dashboard\/stops\/([^/]+)\/plan\?done=stop_created/);
  const inst = await b.post(`/dashboard/tours/${tourId}/institutions`, { _csrf: csrf, shortName: 'KAIST', kind: 'university', name: 'Korea Advanced Institute of Science and Technology', nameKo: '한국과학기술원', programs: 'InnoCORE postdoc positions, Brain to Korea', contactName: 'Park Sora', contactEmail: 'sora@kaist.ac.kr' });
  expect(inst.statusCode).toBe(303);
  const kaistId = createMasterDataQueries(h.store.db).institutions().find((i) => i.shortName === 'KAIST')!.id;
  return { tourId, stopId, kaistId, csrf };
}

describe('HQ tour planning pages (issue #18)', () => {
  it('downloads the plan as a signed USB bundle that a desk without network imports', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, stopId, csrf } = await planBasics(hq, b);
    const page = await b.get(`/dashboard/tours/${tourId}?lang=ko`);
    expect(pageText(page.body)).toContain('USB 번들로 계획 내려받기');
    expect((await b.post(`/dashboard/tours/${tourId}/bundle`, { _csrf: 'wrong' })).statusCode).toBe(403);
    const res = await b.post(`/dashboard/tours/${tourId}/bundle`, { _csrf: csrf });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="roadshow-hq-1-\d+-[\d-]+\.rsbundle"$/);
    const desk = createTestStore();
    cleanups.push(() => disposeTestStore(desk));
    const report = importBundleIntoStore(desk, res.rawPayload);
    expect(report).toMatchObject({ deviceId: 'hq', rejected: 0 });
    expect(createMasterDataQueries(desk.db).stops().map((s) => [s.id, s.city])).toEqual([[stopId, 'Boston']]);
  });

  it('plans a tour through the pages in both languages; every save is an event desks pull', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    await b.signIn();
    // An empty HQ points to the planning pages.
    const overview = await b.get('/dashboard?lang=en');
    expect(pageText(overview.body)).toContain('No stops at HQ yet. Plan the tour');
    expect(overview.body).toContain('href="/dashboard/tours"');
    expect(pageText((await b.get('/dashboard/tours')).body)).toContain('No tours yet. Create the first one below.');

    const { tourId, stopId, kaistId, csrf } = await planBasics(hq, b);
    const session = await b.post(`/dashboard/stops/${stopId}/sessions`, { _csrf: csrf, kind: 'policy_briefing', title: 'Policy briefing', titleKo: '정책 설명회', startTime: '10:00', endTime: '11:30', room: 'Ballroom A', capacity: '300' });
    expect(session.headers.location).toBe(`/dashboard/stops/${stopId}/plan?done=session_saved#sessions`);
    const booth = await b.post(`/dashboard/stops/${stopId}/booths`, { _csrf: csrf, institutionId: kaistId, location: 'B01', staff: 'Dr. Choi, Dr. Han', startTime: '13:00', endTime: '17:00', slotMinutes: '15', capacity: '2', breaks: '15:00-15:15' });
    expect(booth.headers.location).toBe(`/dashboard/stops/${stopId}/plan?done=booth_saved#booths`);
    const staff = await b.post(`/dashboard/tours/${tourId}/staff`, { _csrf: csrf, name: 'Lee Seoyeon', role: 'booth_staff', institutionId: kaistId, [`stop_${stopId}`]: '1' });
    expect(staff.headers.location).toMatch(new RegExp(`^/dashboard/tours/${tourId}\\?done=staff_saved&code=[A-Za-z0-9_-]+#staff$`));

    // HQ's storage holds the events (what desks pull) ...
    const types = (await hqEvents(hq)).map((e) => e.type);
    for (const t of ['tour_upserted', 'stop_upserted', 'institution_upserted', 'stop_session_upserted', 'booth_upserted', 'booth_plan_set', 'staff_upserted', 'staff_setup_code_set']) expect(types).toContain(t);
    // ... and the projections show them.
    const m = createMasterDataQueries(hq.store.db);
    expect(m.tourById(tourId)).toMatchObject({ name: 'Roadshow 2026', nameKo: '로드쇼 2026', year: 2026, startDate: '2026-10-01', endDate: '2026-11-30' });
    expect(m.stop(stopId)).toMatchObject({ round: '1', city: 'Boston', cityKo: '보스턴', timeZone: 'America/New_York', kind: 'joint_briefing' });
    expect(m.institution(kaistId)).toMatchObject({ programs: ['InnoCORE postdoc positions', 'Brain to Korea'], contactEmail: 'sora@kaist.ac.kr' });
    expect(m.sessions(stopId)).toMatchObject([{ title: 'Policy briefing', startTime: '10:00', endTime: '11:30', capacity: 300, cancelled: false }]);
    const [kaistBooth] = m.booths(stopId);
    expect(kaistBooth).toMatchObject({ location: 'B01', staff: ['Dr. Choi', 'Dr. Han'] });
    expect(createBoothQueries(hq.store.db).plan(kaistBooth!.id)).toMatchObject({ startTime: '13:00', endTime: '17:00', slotMinutes: 15, capacity: 2, breaks: [{ start: '15:00', end: '15:15' }] });
    expect(createStaffQueries(hq.store.db).list()).toMatchObject([{ name: 'Lee Seoyeon', role: 'booth_staff', institutionId: kaistId, stopIds: [stopId], pinSet: false }]);

    // The pages, in English and in Korean, with the stop's local times and its zone named.
    const en = pageText((await b.get(`/dashboard/stops/${stopId}/plan?lang=en`)).body);
    expect(en).toContain('Plan 1 Boston');
    expect(en).toContain('Times are local to the stop: America/New_York (EDT).');
    expect(en).toContain('10:00–11:30 Policy briefing Policy briefing Ballroom A 300');
    expect(en).toContain('13:00–17:00 · 15 min slots · 2 per slot breaks 15:00–15:15');
    const ko = pageText((await b.get(`/dashboard/stops/${stopId}/plan?lang=ko`)).body);
    expect(ko).toContain('1 보스턴 계획');
    expect(ko).toContain('시각은 행사 현지 시간입니다: America/New_York (EDT).');
    expect(ko).toContain('13:00–17:00 · 15분 슬롯 · 슬롯당 2명 휴식 15:00–15:15');
    expect(ko).toContain('정책 설명회');
    const tourKo = pageText((await b.get(`/dashboard/tours/${tourId}`)).body);
    expect(tourKo).toContain('로드쇼 2026');
    expect(tourKo).toMatch(/1 보스턴 2026-10-19 America\/New_York \(EDT\) 합동 설명회 Hynes Convention Center 1 1 1 보스턴 계획/);
    expect(tourKo).toContain('Lee Seoyeon 부스 스태프 KAIST 1 보스턴 첫 로그인 대기 중');
    expect(tourKo).toContain('InnoCORE postdoc positions, Brain to Korea');
    const tourEn = pageText((await b.get(`/dashboard/tours/${tourId}?lang=en`)).body);
    expect(tourEn).toContain('Lee Seoyeon Booth staff KAIST 1 Boston waiting for the first sign-in');
    expect(pageText((await b.get('/dashboard/tours')).body)).toMatch(/Roadshow 2026 2026 2026-10-01 – 2026-11-30 1/);
    // With stops but no activity yet, the overview says so.
    expect(pageText((await b.get('/dashboard')).body)).toContain('No registrations or consultations at any stop yet.');

    // Cancelling a session is a flag: it stays listed.
    const sessionId = m.sessions(stopId)[0]!.id;
    expect((await b.post(`/dashboard/stops/${stopId}/sessions/cancel`, { _csrf: csrf, sessionId, cancelled: '1' })).headers.location).toBe(`/dashboard/stops/${stopId}/plan?done=session_cancelled#sessions`);
    expect(m.sessions(stopId)).toMatchObject([{ id: sessionId, cancelled: true }]);
    expect(pageText((await b.get(`/dashboard/stops/${stopId}/plan?done=session_cancelled&lang=en`)).body)).toContain('Session cancelled (it stays listed). ');

    // Without the session's token nothing is written.
    expect((await b.post(`/dashboard/tours/${tourId}/stops`, { round: '2', city: 'Chicago', date: '2026-10-22', timeZone: 'America/Chicago', kind: 'joint_briefing' })).statusCode).toBe(403);

    // A desk pulls the plan.
    const desk = createTestStore({ deviceId: 'desk-boston' });
    cleanups.push(() => {
      desk.close();
      rmSync(path.dirname(desk.db.name), { recursive: true, force: true });
    });
    await new SyncClient(desk, hq.transport, await hq.enroll('desk-boston')).sync();
    const dm = createMasterDataQueries(desk.db);
    expect(dm.stop(stopId)).toMatchObject({ city: 'Boston' });
    expect(dm.sessions(stopId)).toMatchObject([{ cancelled: true }]);
    expect(createBoothQueries(desk.db).plan(kaistBooth!.id)).toMatchObject({ slotMinutes: 15, capacity: 2 });
    expect(createStaffQueries(desk.db).list()).toMatchObject([{ name: 'Lee Seoyeon', pinSet: false }]);
  });

  it('re-renders a refused form with the translated message beside the field and what was typed', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, stopId, kaistId, csrf } = await planBasics(hq, b);
    const before = (await hqEvents(hq)).length;

    // The handler's refusal: a date outside the tour.
    const outside = await b.post(`/dashboard/tours/${tourId}/stops`, { _csrf: csrf, round: '2', city: 'Chicgo', cityKo: '시카고', venue: 'Navy Pier', campus: '', date: '2026-12-19', timeZone: 'America/Chicago', kind: 'company_ir' });
    expect(outside.statusCode).toBe(400);
    expect(fieldError(outside.body, 'stop-new', 'date')).toBe('Outside the tour’s dates (2026-10-01 – 2026-11-30).');
    expect(pageText(outside.body)).toContain('Not saved: see the marked fields.');
    expect(inputValue(outside.body, 'stop-new', 'city')).toBe('Chicgo');
    expect(inputValue(outside.body, 'stop-new', 'venue')).toBe('Navy Pier');
    expect(formOf(outside.body, 'stop-new')).toContain('<option value="America/Chicago" selected="">America/Chicago</option>');
    expect(formOf(outside.body, 'stop-new')).toContain('<option value="company_ir" selected="">');

    // The same in Korean (the language is the admin's choice, kept in a cookie).
    await b.get(`/dashboard/tours/${tourId}?lang=ko`);
    const ko = await b.post(`/dashboard/tours/${tourId}/stops`, { _csrf: csrf, round: '1', city: 'Boston', date: '2026-10-20', timeZone: 'America/New_York', kind: 'joint_briefing' });
    expect(ko.statusCode).toBe(400);
    expect(fieldError(ko.body, 'stop-new', 'round')).toBe('이 회차는 이미 Boston입니다.');

    // The schema's refusal (checked before the handler): the numbers allowed are named.
    const year = await b.post('/dashboard/tours', { _csrf: csrf, name: 'Roadshow 2027', nameKo: '', year: '27x', startDate: '', endDate: '' });
    expect(year.statusCode).toBe(400);
    expect(fieldError(year.body, 'tour-new', 'year')).toBe('2000에서 2100 사이의 정수를 입력하세요.');
    expect(inputValue(year.body, 'tour-new', 'name')).toBe('Roadshow 2027');
    await b.get(`/dashboard/tours/${tourId}?lang=en`);

    // A booth plan whose break lies outside the hours: the message is on the breaks field.
    const plan = await b.post(`/dashboard/stops/${stopId}/booths`, { _csrf: csrf, institutionId: kaistId, location: 'B07', staff: 'Dr. Choi', startTime: '13:00', endTime: '17:00', slotMinutes: '15', capacity: '2', breaks: '18:00-18:15' });
    expect(plan.statusCode).toBe(400);
    expect(fieldError(plan.body, 'booth', 'breaks')).toBe('A break lies outside the consultation hours.');
    expect(inputValue(plan.body, 'booth', 'breaks')).toBe('18:00-18:15');
    expect(inputValue(plan.body, 'booth', 'location')).toBe('B07');
    const badBreaks = await b.post(`/dashboard/stops/${stopId}/booths`, { _csrf: csrf, institutionId: kaistId, location: 'B07', staff: '', startTime: '13:00', endTime: '17:00', slotMinutes: '4', capacity: '2', breaks: '3pm' });
    expect(fieldError(badBreaks.body, 'booth', 'breaks')).toBe('Write breaks as 15:00-15:15, separated by commas.');
    expect(fieldError(badBreaks.body, 'booth', 'slotMinutes')).toBe('Enter a whole number from 5 to 240.');

    // Other refusals by field: a short name in use, an email, booth staff without an institution, sessions in one room.
    const dup = await b.post(`/dashboard/tours/${tourId}/institutions`, { _csrf: csrf, shortName: 'kaist', kind: 'university', name: 'Another', nameKo: '', programs: '', contactName: '', contactEmail: 'not an email' });
    expect(fieldError(dup.body, 'institution', 'contactEmail')).toBe('Enter an email address.');
    const dup2 = await b.post(`/dashboard/tours/${tourId}/institutions`, { _csrf: csrf, shortName: 'kaist', kind: 'university', name: 'Another', nameKo: '', programs: '', contactName: '', contactEmail: '' });
    expect(fieldError(dup2.body, 'institution', 'shortName')).toBe('Already the short name of Korea Advanced Institute of Science and Technology.');
    const noInst = await b.post(`/dashboard/tours/${tourId}/staff`, { _csrf: csrf, name: 'Kim', role: 'booth_staff', institutionId: '' });
    expect(fieldError(noInst.body, 'staff', 'institutionId')).toBe('Booth staff need an institution.');
    expect(inputValue(noInst.body, 'staff-form', 'name')).toBe('Kim');
    await b.post(`/dashboard/stops/${stopId}/sessions`, { _csrf: csrf, kind: 'policy_briefing', title: 'Briefing', titleKo: '', startTime: '10:00', endTime: '11:00', room: 'Hall A', capacity: '' });
    const clash = await b.post(`/dashboard/stops/${stopId}/sessions`, { _csrf: csrf, kind: 'campus_talk', title: 'Talk', titleKo: '', startTime: '10:30', endTime: '10:00', room: 'hall a', capacity: '' });
    expect(fieldError(clash.body, 'session', 'endTime')).toBe('Ends before it starts.');
    const clash2 = await b.post(`/dashboard/stops/${stopId}/sessions`, { _csrf: csrf, kind: 'campus_talk', title: 'Talk', titleKo: '', startTime: '10:30', endTime: '11:30', room: 'hall a', capacity: '' });
    expect(fieldError(clash2.body, 'session', 'startTime')).toBe('The room holds “Briefing” 10:00–11:00.');
    expect(inputValue(clash2.body, 'session', 'title')).toBe('Talk');

    // Nothing refused was written (one session was saved).
    expect((await hqEvents(hq)).length).toBe(before + 1);
  });

  it('shows a new person’s setup code once; only its hash is in the event', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, stopId, csrf } = await planBasics(hq, b);
    const res = await b.post(`/dashboard/tours/${tourId}/staff`, { _csrf: csrf, name: 'Park Jiwoo', role: 'desk_staff', institutionId: '', [`stop_${stopId}`]: '1' });
    const first = await b.get(String(res.headers.location).replace('#staff', ''));
    const code = /data-testid="setup-code">([A-Z0-9-]+)</.exec(first.body)![1]!;
    expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(pageText(first.body)).toContain('Setup code for Park Jiwoo');
    // A reload (or anyone else with the address) does not see it again.
    expect((await b.get(String(res.headers.location).replace('#staff', ''))).body).not.toContain(code);

    const events = await hqEvents(hq);
    const set = events.filter((e) => e.type === 'staff_setup_code_set');
    expect(set).toHaveLength(1);
    for (const e of events) {
      expect(e.text).not.toContain(code);
      expect(e.text).not.toContain(normaliseSetupCode(code));
    }
    expect(await verifyPin(normaliseSetupCode(code), String(set[0]!.payload.codeHash))).toBe(true);

    // A lost code: a new one, and the old one no longer matches.
    const staffId = createStaffQueries(hq.store.db).list()[0]!.id;
    const again = await b.post(`/dashboard/tours/${tourId}/staff/code`, { _csrf: csrf, staffId });
    const second = /data-testid="setup-code">([A-Z0-9-]+)</.exec((await b.get(String(again.headers.location).replace('#staff', ''))).body)![1]!;
    expect(second).not.toBe(code);
    expect(await verifyPin(normaliseSetupCode(second), createStaffQueries(hq.store.db).byId(staffId)!.setupCodeHash!)).toBe(true);

    // Editing the person keeps their stops of other tours and issues no code once a PIN is chosen (none yet here: a new code).
    const edit = await b.get(`/dashboard/tours/${tourId}?edit=staff:${staffId}`);
    expect(pageText(edit.body)).toContain('Edit Park Jiwoo');
    expect(inputTag(formOf(edit.body, 'staff-form'), `stop_${stopId}`)).toContain('checked=""');
    await b.post(`/dashboard/tours/${tourId}/staff/deactivate`, { _csrf: csrf, staffId });
    expect(createStaffQueries(hq.store.db).byId(staffId)!.active).toBe(false);
  });

  it('copies booths from another stop and removes a booth without deleting it', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, stopId: boston, kaistId, csrf } = await planBasics(hq, b);
    await b.post(`/dashboard/tours/${tourId}/institutions`, { _csrf: csrf, shortName: 'POSTECH', kind: 'university', name: 'Pohang University of Science and Technology', nameKo: '포항공과대학교', programs: '', contactName: '', contactEmail: '' });
    const m = createMasterDataQueries(hq.store.db);
    const postechId = m.institutions().find((i) => i.shortName === 'POSTECH')!.id;
    await b.post(`/dashboard/stops/${boston}/booths`, { _csrf: csrf, institutionId: kaistId, location: 'B01', staff: 'Dr. Choi', startTime: '13:00', endTime: '17:00', slotMinutes: '20', capacity: '3', breaks: '' });
    await b.post(`/dashboard/stops/${boston}/booths`, { _csrf: csrf, institutionId: postechId, location: 'B02', staff: '', startTime: '', endTime: '', slotMinutes: '', capacity: '', breaks: '' });
    const chicagoRes = await b.post(`/dashboard/tours/${tourId}/stops`, { _csrf: csrf, round: '2', city: 'Chicago', cityKo: '시카고', venue: '', campus: 'UChicago', date: '2026-10-22', timeZone: 'America/Chicago', kind: 'campus_roadshow' });
    const chicago = idFrom(chicagoRes.headers.location, /^\/dashboard\/stops\/([^/]+)\/plan/);

    const copied = await b.post(`/dashboard/stops/${chicago}/booths/copy`, { _csrf: csrf, fromStopId: boston });
    expect(copied.headers.location).toBe(`/dashboard/stops/${chicago}/plan?done=booths_copied&created=2&plans=1&skipped=0#booths`);
    expect(pageText((await b.get(`/dashboard/stops/${chicago}/plan?done=booths_copied&created=2&plans=1&skipped=0&lang=en`)).body)).toContain('Copied: 2 booths added, 1 plans copied, 0 skipped (already planned here).');
    const booths = m.booths(chicago);
    expect(booths.map((x) => [x.institution.shortName, x.location])).toEqual([
      ['KAIST', 'B01'],
      ['POSTECH', 'B02'],
    ]);
    const kaistChicago = booths.find((x) => x.institutionId === kaistId)!;
    expect(createBoothQueries(hq.store.db).plan(kaistChicago.id)).toMatchObject({ slotMinutes: 20, capacity: 3, copiedFromStopId: boston });
    // Copying from the stop itself is refused on its field.
    const self = await b.post(`/dashboard/stops/${chicago}/booths/copy`, { _csrf: csrf, fromStopId: chicago });
    expect(fieldError(self.body, 'copy', 'fromStopId')).toBe('Pick another stop.');

    const removed = await b.post(`/dashboard/stops/${chicago}/booths/remove`, { _csrf: csrf, boothId: kaistChicago.id });
    expect(removed.headers.location).toBe(`/dashboard/stops/${chicago}/plan?done=booth_removed&count=0#booths`);
    expect(m.booths(chicago).map((x) => x.institution.shortName)).toEqual(['POSTECH']);
    expect(m.allBooths(chicago).find((x) => x.id === kaistChicago.id)).toMatchObject({ removed: true });
    expect((await hqEvents(hq)).filter((e) => e.type === 'booth_upserted' && e.payload.id === kaistChicago.id).map((e) => e.payload.removed)).toEqual([false, true]);
    const page = pageText((await b.get(`/dashboard/stops/${chicago}/plan?done=booth_removed&count=0&lang=en`)).body);
    expect(page).toContain('Booth removed. 0 bookings stay and show under Conflicts.');
    expect(page).toContain('B01 KAIST Korea Advanced Institute of Science and Technology removed (its bookings stay and show under Conflicts)');
    // Brought back with its plan.
    await b.post(`/dashboard/stops/${chicago}/booths/restore`, { _csrf: csrf, boothId: kaistChicago.id });
    expect(createBoothQueries(hq.store.db).plan(kaistChicago.id)).toMatchObject({ slotMinutes: 20 });
  });

  it('renders the spreadsheet section; the upload needs a signed-in admin and the form’s token', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, csrf } = await planBasics(hq, b);
    const page = await b.get(`/dashboard/tours/${tourId}?lang=en`);
    expect(pageText(page.body)).toContain('Tour spreadsheet');
    const upload = formOf(page.body, 'sheet-form');
    expect(upload).toContain(`action="/dashboard/tours/${tourId}/sheet/check"`);
    expect(upload).toContain(`data-apply="/dashboard/tours/${tourId}/sheet/apply"`);
    const anonymous = await hq.app.inject({ method: 'POST', url: `/dashboard/tours/${tourId}/sheet/check`, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('PK') });
    expect(anonymous.statusCode).toBe(401);
    const forged = await hq.app.inject({ method: 'POST', url: `/dashboard/tours/${tourId}/sheet/check`, headers: { cookie: b.cookie(), 'content-type': 'application/octet-stream' }, payload: Buffer.from('PK') });
    expect(forged.statusCode).toBe(403);
    const checked = await hq.app.inject({ method: 'POST', url: `/dashboard/tours/${tourId}/sheet/check`, headers: { cookie: b.cookie(), 'content-type': 'application/octet-stream', 'x-csrf-token': csrf }, payload: Buffer.from('PK') });
    // Whatever the spreadsheet channel answers, the page gets JSON with rendered HTML to show.
    expect(checked.json()).toMatchObject({ ok: expect.any(Boolean), html: expect.any(String) });
  });
});

describe('the tour spreadsheet report on the tour page', () => {
  const counts = { rows: 0, created: 0, changed: 0, unchanged: 0 };
  const base = { tourId: 't', counts: { Stops: { rows: 3, created: 2, changed: 1, unchanged: 0 }, Sessions: counts, Institutions: counts, Booths: { rows: 4, created: 4, changed: 0, unchanged: 0 }, Staff: counts }, written: 0 };
  const render = (report: TourSheetReport, mode: 'check' | 'apply', lang: 'en' | 'ko') => pageText(renderToStaticMarkup(createElement(SheetReportView, { report, mode, t: DASHBOARD_TEXT[lang], lang })));

  it('lists every problem with its cell and value, and offers Apply only for a clean file', () => {
    const bad: TourSheetReport = { ...base, ok: false, problems: [{ sheet: 'Stops', row: 3, column: 'timeZone', cell: 'F3', code: 'unknown_time_zone', value: 'Boston/Time', details: {} }, { sheet: 'Booths', row: null, column: null, cell: null, code: 'missing_sheet', value: '', details: {} }] };
    expect(render(bad, 'check', 'en')).toContain('Problems found: 2. Correct the file and check it again. Nothing was written. Sheet Cell Value Problem Stops F3 Boston/Time “Boston/Time” is not a time zone (IANA name such as America/New_York). Booths whole sheet The sheet is missing');
    expect(render(bad, 'check', 'ko')).toContain('문제 2개');
    const clean: TourSheetReport = { ...base, ok: true, problems: [] };
    const html = renderToStaticMarkup(createElement(SheetReportView, { report: clean, mode: 'check', t: DASHBOARD_TEXT.en, lang: 'en' }));
    expect(pageText(html)).toContain('No problems: 7 rows, 6 new, 1 changed, 0 unchanged. Apply to write them.');
    expect(html).toContain('id="sheet-apply"');
    expect(render({ ...clean, written: 7 }, 'apply', 'ko')).toContain('적용했습니다: 변경 7건 기록.');
  });
});

describe('HQ tour planning CLI (issue #18)', () => {
  async function runtime(): Promise<HqRuntime> {
    const dir = tempDir('roadshow-hqcli-');
    const rt = await openHqRuntime({ dataDir: dir });
    cleanups.push(async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return rt;
  }
  async function run(rt: HqRuntime, argv: string[], values: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTourCommand(argv[0]!, argv.slice(1), values, rt, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  it('adds a tour, a stop, an institution, a booth and a person through the same handlers', async () => {
    const rt = await runtime();
    const tour = await run(rt, ['tour', 'add'], { name: 'Roadshow 2026', 'name-ko': '로드쇼 2026', year: '2026', start: '2026-10-01', end: '2026-11-30' });
    expect(tour).toMatchObject({ code: 0, err: [] });
    const tourId = /^Tour (\S+): Roadshow 2026 \(2026, 2026-10-01 – 2026-11-30\)$/.exec(tour.out[0]!)![1]!;
    const stop = await run(rt, ['stop', 'add'], { tour: tourId, round: '1', city: 'Boston', 'city-ko': '보스턴', date: '2026-10-19', tz: 'America/New_York', kind: 'joint_briefing', venue: 'Hynes' });
    const stopId = /^Stop (\S+): 1 Boston, 2026-10-19 \(America\/New_York\), joint_briefing$/.exec(stop.out[0]!)![1]!;
    expect((await run(rt, ['institution', 'add'], { short: 'KAIST', name: 'Korea Advanced Institute of Science and Technology', kind: 'university', programs: 'InnoCORE postdoc positions' })).code).toBe(0);
    const booth = await run(rt, ['booth', 'add'], { stop: stopId, institution: 'kaist', code: 'B01', hours: '13:00-17:00', slot: '15', 'per-slot': '2', breaks: '15:00-15:15' });
    expect(booth.out[0]).toMatch(/^Booth \S+ at 1 Boston: KAIST B01, 13:00–17:00 \(America\/New_York\), 15 min slots, 2 per slot, breaks 15:00-15:15$/);
    const staff = await run(rt, ['staff', 'add'], { name: 'Lee Seoyeon', role: 'booth_staff', institution: 'KAIST', stops: stopId });
    expect(staff.code).toBe(0);
    const code = /shown only now\): ([A-Z2-9]{5}-[A-Z2-9]{5})$/.exec(staff.out[1]!)![1]!;
    const list = await run(rt, ['tour', 'list'], {});
    expect(list.out.join('\n')).toContain(`${stopId}\t1\tBoston / 보스턴\t2026-10-19\tAmerica/New_York\tjoint_briefing\t1 booths, 0 sessions`);

    // Written as events of device `hq` in HQ's storage, as the dashboard's are.
    const events = await rt.storage.eventsOfDevice('hq', 0, 1000);
    expect(events.map((e) => e.type)).toEqual(['tour_upserted', 'stop_upserted', 'institution_upserted', 'booth_upserted', 'booth_plan_set', 'staff_upserted', 'staff_setup_code_set']);
    expect(events.every((e) => e.actorId === 'hq-cli' && !e.payloadText.includes(normaliseSetupCode(code)))).toBe(true);
  });

  it('refuses bad input in one line naming the flag, exit code 2, writing nothing', async () => {
    const rt = await runtime();
    const tourId = /^Tour (\S+):/.exec((await run(rt, ['tour', 'add'], { name: 'Roadshow 2026', year: '2026', start: '2026-10-01', end: '2026-11-30' })).out[0]!)![1]!;
    const cases: [string[], Record<string, string>, string][] = [
      [['stop', 'add'], { tour: tourId, round: '1', city: 'Boston', date: '2026-12-19', tz: 'America/New_York', kind: 'joint_briefing' }, 'Refused, nothing written: --date: Outside the tour’s dates (2026-10-01 – 2026-11-30).'],
      [['stop', 'add'], { tour: tourId, round: '1', city: 'Boston', date: '2026-10-19', tz: 'Mars/Olympus', kind: 'joint_briefing' }, 'Refused, nothing written: --tz: Unknown time zone.'],
      [['stop', 'add'], { tour: 'tour-nope', round: '1' }, '--tour: no tour tour-nope (npm run hq -- tour list shows them)'],
      [['tour', 'add'], { name: 'X', year: '1999' }, 'Refused, nothing written: --year: Enter a whole number from 2000 to 2100.'],
      [['booth', 'add'], { stop: 'stop-nope', institution: 'KAIST' }, '--stop: no stop stop-nope (npm run hq -- tour list shows them)'],
      [['tour', 'frobnicate'], {}, 'Unknown command "tour frobnicate".'],
    ];
    for (const [argv, values, message] of cases) {
      const r = await run(rt, argv, values);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err[0]!.slice(0, message.length)).toBe(message);
    }
    expect((await rt.storage.eventsOfDevice('hq', 0, 1000)).map((e) => e.type)).toEqual(['tour_upserted']);
    expect(await run(rt, ['devices'], {})).toMatchObject({ code: null });
  });
});
