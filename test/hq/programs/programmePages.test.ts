import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createProgramQueries } from '../../../core/store/queries/programQueries';
import { runProgramCommand } from '../../../hq/server/admin/programCli';
import { openHqRuntime, type HqRuntime } from '../../../hq/server/hqRuntime';
import { closeDashboardHq, dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { tempDir } from '../../helpers/testStore';
import { createDashboardHq, type DashboardHq } from '../../helpers/tourScenario';

let hq: DashboardHq | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  if (hq) await closeDashboardHq(hq);
  hq = undefined;
  for (const c of cleanups.splice(0)) await c();
});

type Browser = ReturnType<typeof dashboardBrowser>;

const decode = (s: string) => s.replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
/** The field's message (`<form>-<field>-error`), and that its input points at it. */
function fieldError(html: string, form: string, field: string): string | null {
  const m = new RegExp(`id="${form}-${field}-error">([^<]*)<`).exec(html);
  if (!m) return null;
  expect(html).toMatch(new RegExp(`aria-describedby="[^"]*${form}-${field}-error`));
  return decode(m[1]!);
}
const formOf = (html: string, id: string): string => {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</form>', start));
};
const inputValue = (html: string, form: string, name: string): string | undefined => {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(formOf(html, form))?.[0];
  return tag ? /value="([^"]*)"/.exec(tag)?.[1] : undefined;
};
const hqProgramEvents = async (h: DashboardHq) =>
  (await h.storage.eventsOfDevice('hq', 0, 10_000)).filter((e) => e.type === 'program_upserted').map((e) => JSON.parse(e.payloadText) as Record<string, unknown>);

/** A tour and KAIST (with a free-text programme list from before) through the pages. */
async function basics(h: DashboardHq, b: Browser): Promise<{ tourId: string; kaistId: string; csrf: string }> {
  await b.signIn();
  const csrf = b.csrf((await b.get('/dashboard/tours?lang=en')).body);
  const made = await b.post('/dashboard/tours', { _csrf: csrf, name: 'Roadshow 2026', nameKo: '', year: '2026', startDate: '', endDate: '' });
  const tourId = /^\/dashboard\/tours\/([^?]+)\?/.exec(String(made.headers.location))![1]!;
  const inst = await b.post(`/dashboard/tours/${tourId}/institutions`, { _csrf: csrf, shortName: 'KAIST', kind: 'university', name: 'Korea Advanced Institute of Science and Technology', nameKo: '한국과학기술원', programs: 'Global postdoc call, Faculty positions', contactName: '', contactEmail: '' });
  expect(inst.statusCode).toBe(303);
  return { tourId, kaistId: createMasterDataQueries(h.store.db).institutions()[0]!.id, csrf };
}

describe('HQ Programmes section (issue #21)', () => {
  it('adds a national programme and an institution’s own, edits and retires one; each save is an event desks pull', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, kaistId, csrf } = await basics(hq, b);
    const page = await b.get(`/dashboard/tours/${tourId}?lang=en`);
    expect(page.body).toContain('href="#programs"');
    expect(pageText(page.body)).toContain('Programmes');
    expect(pageText(page.body)).toContain('No programmes yet.');

    const national = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: '', name: 'Brain to Korea', nameKo: '브레인 투 코리아', kind: 'fellowship', places: '2000', active: '1' });
    expect(national.statusCode).toBe(303);
    expect(national.headers.location).toBe(`/dashboard/tours/${tourId}?done=program_saved#programs`);
    const own = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: kaistId, name: 'KAIST Postdoctoral Fellowship', nameKo: 'KAIST 박사후연구원', kind: 'postdoc', places: '', active: '1' });
    expect(own.statusCode).toBe(303);

    const q = createProgramQueries(hq.store.db);
    const bk = q.list().find((p) => p.name === 'Brain to Korea')!;
    const postdoc = q.list().find((p) => p.name === 'KAIST Postdoctoral Fellowship')!;
    expect(bk).toMatchObject({ institutionId: null, nameKo: '브레인 투 코리아', kind: 'fellowship', places: 2000, active: true });
    expect(postdoc).toMatchObject({ institutionId: kaistId, kind: 'postdoc', places: null, active: true });
    expect(q.forInstitution(kaistId).map((p) => p.name).sort()).toEqual(['Brain to Korea', 'KAIST Postdoctoral Fellowship']);

    // The page lists them under national and KAIST, in each language, with the flash.
    const en = await b.get(`/dashboard/tours/${tourId}?lang=en&done=program_saved`);
    const enText = pageText(en.body);
    expect(enText).toContain('Programme saved. Desks offer it after their next sync.');
    expect(enText).toContain('National programmes Programme Kind Places to fill Status Brain to Korea 브레인 투 코리아 Fellowship / national scheme 2000 offered');
    expect(enText).toContain('KAIST · Korea Advanced Institute of Science and Technology Programme Kind Places to fill Status KAIST Postdoctoral Fellowship KAIST 박사후연구원 Postdoc – offered');
    const ko = pageText((await b.get(`/dashboard/tours/${tourId}?lang=ko`)).body);
    expect(ko).toContain('국가 프로그램 프로그램 종류 모집 인원 상태 브레인 투 코리아 Brain to Korea 펠로십·국가 사업 2000 운영 중');

    // Edit: the form shows the programme; unticking "offered" retires it (it stays listed, as retired).
    const edit = await b.get(`/dashboard/tours/${tourId}?lang=en&edit=program:${encodeURIComponent(postdoc.id)}`);
    expect(pageText(edit.body)).toContain('Edit programme: KAIST Postdoctoral Fellowship');
    expect(inputValue(edit.body, 'program', 'id')).toBe(postdoc.id);
    expect(inputValue(edit.body, 'program', 'name')).toBe('KAIST Postdoctoral Fellowship');
    expect(formOf(edit.body, 'program')).toMatch(/name="active" checked="" value="1"/);
    const retired = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, id: postdoc.id, institutionId: kaistId, name: 'KAIST Postdoctoral Fellowship', nameKo: 'KAIST 박사후연구원', kind: 'postdoc', places: '40' });
    expect(retired.statusCode).toBe(303);
    expect(q.get(postdoc.id)).toMatchObject({ places: 40, active: false });
    expect(pageText((await b.get(`/dashboard/tours/${tourId}?lang=en`)).body)).toContain('KAIST Postdoctoral Fellowship KAIST 박사후연구원 Postdoc 40 retired');

    // Events of device `hq` in HQ's storage (what desks pull): two added, one changed.
    const events = await hqProgramEvents(hq);
    expect(events.map((e) => [e.name, e.active])).toEqual([
      ['Brain to Korea', true],
      ['KAIST Postdoctoral Fellowship', true],
      ['KAIST Postdoctoral Fellowship', false],
    ]);
  });

  it('refuses a form beside its field in both languages, keeping what was typed and writing nothing', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, kaistId, csrf } = await basics(hq, b);
    expect((await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: kaistId, name: 'KAIST Faculty Positions', nameKo: '', kind: 'faculty', places: '', active: '1' })).statusCode).toBe(303);
    const before = (await hqProgramEvents(hq)).length;

    // The same name again at the same institution (any case): the handler's refusal, beside the name.
    for (const [lang, message] of [
      ['en', 'A programme of this name exists already (for this institution, or among the national ones).'],
      ['ko', '같은 이름의 프로그램이 이미 있습니다(이 기관 또는 국가 프로그램 중).'],
    ] as const) {
      await b.get(`/dashboard/tours/${tourId}?lang=${lang}`);
      const r = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: kaistId, name: 'kaist faculty positions', nameKo: '카이스트 교원', kind: 'faculty', places: '', active: '1' });
      expect(r.statusCode).toBe(400);
      expect(fieldError(r.body, 'program', 'name')).toBe(message);
      expect(inputValue(r.body, 'program', 'nameKo')).toBe('카이스트 교원');
    }
    // Places out of range and a missing kind: the schema's messages, beside each field.
    const bad = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: '', name: 'InnoCORE', nameKo: '', kind: '', places: '0', active: '1' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'program', 'places')).toBe('1에서 100000 사이의 정수를 입력하세요.');
    expect(fieldError(bad.body, 'program', 'kind')).toBe('필수 항목입니다.');
    await b.get(`/dashboard/tours/${tourId}?lang=en`);
    const badEn = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: '', name: 'InnoCORE', nameKo: '', kind: 'postdoc', places: '0', active: '1' });
    expect(fieldError(badEn.body, 'program', 'places')).toBe('Enter a whole number from 1 to 100000.');
    expect(inputValue(badEn.body, 'program', 'name')).toBe('InnoCORE');
    // An institution that does not exist (a stale page).
    const gone = await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: 'inst-gone', name: 'Ghost programme', nameKo: '', kind: 'postdoc', places: '', active: '1' });
    expect(gone.statusCode).toBe(400);
    expect(fieldError(gone.body, 'program', 'institutionId')).toBe('No longer exists: reload the page.');
    // A wrong form token writes nothing either.
    expect((await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: 'wrong', institutionId: '', name: 'X', nameKo: '', kind: 'postdoc', places: '', active: '1' })).statusCode).toBe(403);
    expect((await hqProgramEvents(hq)).length).toBe(before);
  });

  it('shows an institution’s free-text list from before and makes programmes of it on demand, once', async () => {
    hq = await createDashboardHq();
    const b = dashboardBrowser(hq);
    const { tourId, kaistId, csrf } = await basics(hq, b);
    const page = pageText((await b.get(`/dashboard/tours/${tourId}?lang=en`)).body);
    expect(page).toContain('Free-text programme lists from before');
    expect(page).toContain('KAIST: Global postdoc call, Faculty positions');
    // "Faculty positions" exists already as a programme: skipped.
    await b.post(`/dashboard/tours/${tourId}/programs`, { _csrf: csrf, institutionId: kaistId, name: 'Faculty Positions', nameKo: '', kind: 'faculty', places: '', active: '1' });
    const r = await b.post(`/dashboard/tours/${tourId}/programs/convert`, { _csrf: csrf, institutionId: kaistId });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe(`/dashboard/tours/${tourId}?done=programs_converted&created=1&skipped=1#programs`);
    expect(pageText((await b.get(String(r.headers.location).replace('#programs', '') + '&lang=ko')).body)).toContain('목록으로 프로그램 1개를 만들었습니다(이미 있던 1개는 건너뜀).');
    const own = createProgramQueries(hq.store.db).list().filter((p) => p.institutionId === kaistId);
    expect(own.map((p) => [p.name, p.kind]).sort()).toEqual([
      ['Faculty Positions', 'faculty'],
      ['Global postdoc call', 'other'],
    ]);
    const again = await b.post(`/dashboard/tours/${tourId}/programs/convert`, { _csrf: csrf, institutionId: kaistId });
    expect(again.headers.location).toContain('created=0&skipped=2');
    expect((await b.post(`/dashboard/tours/${tourId}/programs/convert`, { _csrf: csrf, institutionId: 'inst-gone' })).statusCode).toBe(404);
  });
});

describe('HQ programme CLI (issue #21)', () => {
  async function runtime(): Promise<HqRuntime> {
    const dir = tempDir('roadshow-hqprog-');
    const rt = await openHqRuntime({ dataDir: dir });
    cleanups.push(async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return rt;
  }
  async function run(rt: HqRuntime, argv: string[], values: Record<string, string | boolean>) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runProgramCommand(argv[0]!, argv.slice(1), values, rt, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  it('adds national and institution programmes and lists them, as events of device hq', async () => {
    const rt = await runtime();
    const actions = new (await import('../../../hq/server/admin/hqActions')).HqActions(rt.projections.store, rt.storage, rt.dataDir);
    const inst = await actions.call('institution:upsert', { name: 'Pohang University of Science and Technology', nameKo: '', shortName: 'POSTECH', kind: 'university', programs: [], contactName: '', contactEmail: '' }, 'test');
    expect(inst.ok).toBe(true);
    expect((await run(rt, ['program', 'list'], {})).out[0]).toMatch(/^No programmes yet/);
    const bk = await run(rt, ['program', 'add'], { national: true, name: 'Brain to Korea', 'name-ko': '브레인 투 코리아', kind: 'fellowship', places: '2000' });
    expect(bk).toMatchObject({ code: 0, err: [] });
    expect(bk.out[0]).toMatch(/^Programme prog-\S+: Brain to Korea \(national, fellowship, 2000 places\)$/);
    const own = await run(rt, ['program', 'add'], { institution: 'postech', name: 'POSTECH Postdoctoral Researchers', kind: 'postdoc' });
    expect(own.out[0]).toMatch(/^Programme prog-\S+: POSTECH Postdoctoral Researchers \(postech, postdoc\)$/);
    const list = (await run(rt, ['program', 'list'], {})).out.join('\n');
    expect(list).toMatch(/^National\n {2}prog-\S+\tfellowship\t2000 places\tactive\tBrain to Korea \/ 브레인 투 코리아\nPOSTECH \(\S+\)\n {2}prog-\S+\tpostdoc\t- places\tactive\tPOSTECH Postdoctoral Researchers$/);
    const events = (await rt.storage.eventsOfDevice('hq', 0, 1000)).filter((e) => e.type === 'program_upserted');
    expect(events.map((e) => [e.actorId, (JSON.parse(e.payloadText) as { name: string }).name])).toEqual([
      ['hq-cli', 'Brain to Korea'],
      ['hq-cli', 'POSTECH Postdoctoral Researchers'],
    ]);
    expect(await run(rt, ['tour', 'list'], {})).toMatchObject({ code: null });
  });

  it('refuses bad input in one line naming the flag, exit code 2, writing nothing', async () => {
    const rt = await runtime();
    await run(rt, ['program', 'add'], { national: true, name: 'Brain to Korea', kind: 'fellowship' });
    const cases: [Record<string, string | boolean>, string][] = [
      [{ name: 'X', kind: 'postdoc' }, '--institution or --national is required'],
      [{ national: true, institution: 'KAIST', name: 'X', kind: 'postdoc' }, '--national and --institution: give one of them'],
      [{ institution: 'NOPE', name: 'X', kind: 'postdoc' }, '--institution: no institution NOPE'],
      [{ national: true, name: 'X', kind: 'spaceship' }, 'Refused, nothing written: --kind: Pick one of the choices.'],
      [{ national: true, name: 'X', kind: 'postdoc', places: '0' }, 'Refused, nothing written: --places: Enter a whole number from 1 to 100000.'],
      [{ national: true, name: '', kind: 'postdoc' }, 'Refused, nothing written: --name: Required.'],
      [{ national: true, name: 'brain to korea', kind: 'fellowship' }, 'Refused, nothing written: --name: A programme of this name exists already'],
    ];
    for (const [values, message] of cases) {
      const r = await run(rt, ['program', 'add'], values);
      expect(r.code).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err[0]!.slice(0, message.length)).toBe(message);
    }
    expect((await run(rt, ['program', 'frobnicate'], {})).err[0]).toMatch(/^Unknown command "program frobnicate"/);
    expect((await rt.storage.eventsOfDevice('hq', 0, 1000)).map((e) => e.type)).toEqual(['program_upserted']);
  });
});
