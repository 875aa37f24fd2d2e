import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOutcomeModel, outcomeFigures, type FunnelRow, type OutcomeFilterInput } from '../../../hq/server/dashboard/outcomeData';
import { closeDashboardHq, dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { seedOutcomeTour, type OutcomeTour } from '../../helpers/outcomeScenario';
import { createDashboardHq, type DashboardHq } from '../../helpers/tourScenario';

/**
 * Issue #21, the outcome dashboard: its figures checked against a history seeded by hand
 * (test/helpers/outcomeScenario.ts tells who did what). Each expected funnel is
 * [registered, checked in, consulted, followed up, applied, hired], worked out from the definitions in
 * hq/server/dashboard/outcomeData.ts (cumulative: a later stage counts at every earlier one).
 */
let hq: DashboardHq;
let tour: OutcomeTour;

beforeAll(async () => {
  hq = await createDashboardHq();
  tour = await seedOutcomeTour(hq);
});
afterAll(async () => {
  tour?.close();
  if (hq) await closeDashboardHq(hq);
});

const figures = (filter: OutcomeFilterInput = {}) => outcomeFigures(loadOutcomeModel(hq.store.db), filter);
const rows = (list: FunnelRow[]) => Object.fromEntries(list.map((r) => [r.key, r.funnel]));

describe('outcome dashboard figures against a seeded history', () => {
  it('counts the latest tour (2026) by default: the funnel, per stop, institution, programme and career stage', () => {
    const f = figures();
    expect(f.filter).toEqual({ tourId: 'tour-2026', stopId: null, institutionId: null, programKey: null, stage: null });
    // Ana hired (5), Ben followed up (3: UNIST follow-up done, POSTECH interview; UNIST's "hired" retracted), Cho and
    // Dan registered only (Dan's check-in voided), Eve offer (4, consent withdrawn later: still counted), Fay
    // consulted (2), Gus followed up (3: KAIST's "declined").
    expect(f.total).toEqual([7, 5, 5, 4, 2, 1]);
    expect(f.perTour).toEqual([]);
    expect(f.perStop).toEqual([
      // Boston: Ana 5, Ben 3, Cho 0, Fay 2.
      { key: 'stop-boston', funnel: [4, 3, 3, 2, 1, 1] },
      // Chicago: Ben 3 (his merged record), Dan 0, Eve 4, Fay 1 (consulted in Boston, not here), Gus 3.
      { key: 'stop-chicago', funnel: [5, 4, 3, 3, 1, 0] },
    ]);
    expect(rows(f.perInstitution)).toEqual({
      // KAIST was at both stops: all seven; Ben counts as checked in only (none of his consultations is KAIST's).
      'inst-kaist': [7, 5, 4, 3, 2, 1],
      // UNIST only in Boston (its Chicago booth was removed): Ana, Ben, Cho, Fay; Ben followed up.
      'inst-unist': [4, 3, 1, 1, 0, 0],
      // POSTECH only in Chicago: Ben, Dan, Eve, Fay, Gus; Ben had an interview.
      'inst-postech': [5, 4, 1, 1, 0, 0],
    });
    expect(f.perInstitution.map((r) => r.key)).toEqual(['inst-kaist', 'inst-postech', 'inst-unist']);
    expect(rows(f.perProgram)).toEqual({
      // The AI postdoc: Ana hired, Eve offer (outcomes name it).
      [tour.programs.kaistAi]: [7, 5, 2, 2, 2, 1],
      // Brain to Korea (national): UNIST contacted Ben for it; the retracted "hired" does not count.
      [tour.programs.brainToKorea]: [7, 5, 1, 1, 0, 0],
      // UNIST's fellowship: UNIST's Boston audience; Ben's consultation names it by id (follow-up done).
      [tour.programs.unistFellow]: [4, 3, 1, 1, 0, 0],
      // The consultation form's list, where a consultation named it: Ana (open) and Eve (done); Eve; Ben (done).
      'legacy:innocore_postdoc': [7, 5, 2, 1, 0, 0],
      'legacy:faculty': [7, 5, 1, 1, 0, 0],
      'legacy:brain_to_korea': [7, 5, 1, 1, 0, 0],
    });
    expect(rows(f.perStage)).toEqual({
      student: [2, 2, 2, 1, 0, 0], // Ben (the stage of his canonical record, not "other") and Fay
      postdoc: [2, 1, 1, 1, 1, 1], // Ana and Dan
      professor: [1, 0, 0, 0, 0, 0],
      researcher: [1, 1, 1, 1, 1, 0],
      job_seeker: [0, 0, 0, 0, 0, 0],
      industry: [1, 1, 1, 1, 0, 0],
      other: [0, 0, 0, 0, 0, 0],
    });
    expect(f.anonymousConsultations).toBe(1);
  });

  it('compares tours: every tour side by side, a person in both tours counted in each and once in the total', () => {
    const f = figures({ tour: 'all' });
    expect(f.filter.tourId).toBeNull();
    expect(f.total).toEqual([8, 6, 6, 5, 2, 1]);
    // Toronto 2025: Ana (her hire counts at each of her stops) and Han (follow-up done).
    expect(f.perTour).toEqual([
      { key: 'tour-2026', funnel: [7, 5, 5, 4, 2, 1] },
      { key: 'tour-2025', funnel: [2, 2, 2, 2, 1, 1] },
    ]);
    expect(f.perStop.map((r) => r.key)).toEqual(['stop-toronto', 'stop-boston', 'stop-chicago']);
    expect(rows(f.perStop)['stop-toronto']).toEqual([2, 2, 2, 2, 1, 1]);
    expect(figures({ tour: 'tour-2025' }).total).toEqual([2, 2, 2, 2, 1, 1]);
  });

  it('filters by institution, stop, programme and career stage', () => {
    const kaist = figures({ institution: 'inst-kaist' });
    expect(kaist.total).toEqual([7, 5, 4, 3, 2, 1]);
    expect(rows(kaist.perStop)).toEqual({ 'stop-boston': [4, 3, 2, 1, 1, 1], 'stop-chicago': [5, 4, 2, 2, 1, 0] });
    expect(kaist.perInstitution.map((r) => r.key)).toEqual(['inst-kaist']);

    const chicago = figures({ stop: 'stop-chicago' });
    expect(chicago.filter.tourId).toBe('tour-2026');
    expect(chicago.total).toEqual([5, 4, 3, 3, 1, 0]);
    // UNIST had no booth in Chicago; Ben counts there for UNIST because of UNIST's outcome (he was in Chicago).
    expect(rows(chicago.perInstitution)).toEqual({ 'inst-kaist': [5, 4, 2, 2, 1, 0], 'inst-postech': [5, 4, 1, 1, 0, 0], 'inst-unist': [1, 1, 1, 1, 0, 0] });

    expect(figures({ program: tour.programs.kaistAi }).total).toEqual([7, 5, 2, 2, 2, 1]);
    expect(figures({ program: 'legacy:innocore_postdoc', institution: 'inst-unist' }).total).toEqual([4, 3, 0, 0, 0, 0]);

    const students = figures({ stage: 'student' });
    expect(students.total).toEqual([2, 2, 2, 1, 0, 0]);
    expect(rows(students.perStop)).toEqual({ 'stop-boston': [2, 2, 2, 1, 0, 0], 'stop-chicago': [2, 2, 1, 1, 0, 0] });
    expect(rows(students.perStage)).toEqual({ student: [2, 2, 2, 1, 0, 0] });

    // Unknown values are dropped, not guessed.
    expect(figures({ institution: 'inst-nowhere', stage: 'astronaut', program: 'legacy:nothing' }).filter).toEqual({ tourId: 'tour-2026', stopId: null, institutionId: null, programKey: null, stage: null });
  });

  it('takes a retraction and a new outcome into the next figures', async () => {
    const before = figures().total;
    await tour.leads.record({ attendeeId: 'fay', institutionId: 'inst-kaist', programId: tour.programs.kaistAi, status: 'applied', occurredOn: '2026-12-01', note: '' }, 'staff-1');
    expect(figures().total).toEqual([7, 5, 5, 5, 3, 1]);
    const fay = tour.leads.history('inst-kaist', 'fay').find((o) => o.status === 'applied')!;
    await tour.leads.retract(fay.outcomeId, 'inst-kaist', 'Not yet', 'staff-1');
    expect(figures().total).toEqual(before);
  });
});

describe('outcome dashboard pages', () => {
  it('is for admins only; shows the figures in English and Korean, with charts and the same figures in tables', async () => {
    const anon = await hq.app.inject({ method: 'GET', url: '/dashboard/outcomes' });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/dashboard/sign-in');
    expect((await hq.app.inject({ method: 'GET', url: '/dashboard/outcomes/export?format=csv' })).statusCode).toBe(303);

    const b = dashboardBrowser(hq);
    await b.signIn();
    const en = await b.get('/dashboard/outcomes?lang=en');
    expect(en.statusCode).toBe(200);
    const text = pageText(en.body);
    expect(text).toContain('Outcomes: from registration to hire');
    expect(text).toContain('Tour: Roadshow 2026 · stop: all · institution: all · programme: all · career stage: all');
    // The funnel table, then per stop (each figure with its share of the stage before), per institution, …
    expect(text).toMatch(/Funnel of the selection Breakdown People Of the stage before Of registered Registered 7 – 100% Checked in 5 71\.4% 71\.4% Consulted 5 100% 71\.4% Followed up 4 80% 57\.1% Applied 2 50% 28\.6% Hired 1 50% 14\.3%/);
    expect(text).toContain('1 Boston 2026-10-20 4 3 75% 3 100% 2 66.7% 1 50% 1 100% 25%');
    expect(text).toContain('2 Chicago 2026-10-25 5 4 80% 3 75% 3 100% 1 33.3% 0 0% 0%');
    expect(text).toContain('KAIST AI postdoc KAIST 7 5 71.4% 2 40% 2 100% 2 100% 1 50% 14.3% 10 10%');
    expect(text).toContain('Brain to Korea national 7 5 71.4% 1 20% 1 100% 0 0% 0 – 0% 100 0%');
    expect(text).toContain('1 consultations with visitors who were not registered are not in the funnel.');
    expect(en.body).toContain('href="/dashboard/outcomes" aria-current="page"');
    const charts = JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(en.body)![1]!) as { id: string; labels: string[]; datasets: { label: string; data: number[] }[] }[];
    expect(charts.map((c) => c.id)).toEqual(['chart-outcome-funnel', 'chart-outcome-perStop', 'chart-outcome-stop-share', 'chart-outcome-perInstitution', 'chart-outcome-perProgram', 'chart-outcome-perStage']);
    const perStop = charts.find((c) => c.id === 'chart-outcome-perStop')!;
    expect(perStop.labels).toEqual(['1 Boston', '2 Chicago']);
    expect(perStop.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Registered', [4, 5]],
      ['Checked in', [3, 4]],
      ['Consulted', [3, 3]],
      ['Followed up', [2, 3]],
      ['Applied', [1, 1]],
      ['Hired', [1, 0]],
    ]);
    expect(charts.find((c) => c.id === 'chart-outcome-stop-share')!.datasets[4]).toEqual({ label: 'Hired', data: [25, 0] });

    const ko = pageText((await b.get('/dashboard/outcomes?lang=ko&institution=inst-kaist')).body);
    expect(ko).toContain('성과: 등록부터 채용까지');
    expect(ko).toContain('투어: 로드쇼 2026 · 행사: 전체 · 기관: KAIST');
    expect(ko).toMatch(/등록 7 – 100% 체크인 5 71\.4% 71\.4% 상담 4 80% 57\.1%/);
    expect(ko).toContain('1 보스턴 2026-10-20 4 3 75% 2 66.7% 1 50% 1 100% 1 100% 25%');

    const all = pageText((await b.get('/dashboard/outcomes?lang=en&tour=all')).body);
    expect(all).toContain('Per tour');
    expect(all).toContain('Roadshow 2025 2 2 100% 2 100% 2 100% 1 50% 1 100% 50%');
    expect(all).toContain('3 Toronto 2025-11-01 · Roadshow 2025 2 2 100%');
    expect(pageText((await b.get('/dashboard/outcomes?lang=en&stage=job_seeker')).body)).toContain('Nobody registered in this selection.');
  });

  it('exports the same figures as CSV and XLSX, filter kept, in the page language', async () => {
    const b = dashboardBrowser(hq);
    await b.signIn();
    const csv = await b.get('/dashboard/outcomes/export?format=csv&lang=en&tour=tour-2026');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv;charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toMatch(/^attachment; filename="outcomes_Roadshow-2026_\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Breakdown,Id,Name,Registered,Checked in,Consulted,Followed up,Applied,Hired,Checked in / registered,Consulted / checked in,Followed up / consulted,Applied / followed up,Hired / applied,Hired / registered,Places,Hired of places');
    expect(lines[1]).toBe('Whole selection,,Whole selection (Tour: Roadshow 2026 · stop: all · institution: all · programme: all · career stage: all),7,5,5,4,2,1,71.4%,100%,80%,50%,50%,14.3%,,');
    expect(lines).toContain('Per stop,stop-boston,1 Boston (2026-10-20),4,3,3,2,1,1,75%,100%,66.7%,50%,100%,25%,,');
    expect(lines).toContain('Per institution,inst-unist,UNIST (Ulsan National Institute of Science and Technology),4,3,1,1,0,0,75%,33.3%,100%,0%,–,0%,,');
    expect(lines).toContain(`Per programme,${tour.programs.kaistAi},KAIST AI postdoc (KAIST),7,5,2,2,2,1,71.4%,40%,100%,100%,50%,14.3%,10,10%`);
    expect(lines).toContain('Per career stage,student,Student,2,2,2,1,0,0,100%,100%,50%,0%,–,0%,,');
    // 1 total + 2 stops + 3 institutions + 6 programmes + 7 career stages.
    expect(lines).toHaveLength(1 + 1 + 2 + 3 + 6 + 7);

    const xlsx = await b.get('/dashboard/outcomes/export?format=xlsx&lang=ko&tour=tour-2026&stop=stop-boston');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('성과')!;
    expect(ws.getRow(1).getCell(4).value).toBe('등록');
    const total = ws.getRow(2);
    expect([4, 5, 6, 7, 8, 9].map((c) => total.getCell(c).value)).toEqual([4, 3, 3, 2, 1, 1]);
    expect(total.getCell(10).value).toBeCloseTo(0.75);
    expect(total.getCell(10).numFmt).toBe('0.0%');
    expect(String(total.getCell(3).value)).toContain('행사: 1 보스턴');
    expect(wb.getWorksheet('집계 방법')!.getRow(3).getCell(1).value).toMatch(/^한 사람은/);
  });
});
