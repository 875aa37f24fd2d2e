import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../core/store/sqlite';
import { hashPin } from '../../../core/security/pinHash';
import { AdminStore } from '../../../hq/server/admin/adminStore';
import { consultationPrograms } from '../../../hq/server/portal/portalData';
import { dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { ADMIN, createPortalHq, KAIST_USER, UNIST_USER, type PortalHq } from '../../helpers/portalHq';
import { tempDir } from '../../helpers/testStore';
import { rmSync } from 'node:fs';
import type { DashboardHq } from '../../helpers/tourScenario';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function hq(): Promise<PortalHq> {
  const h = await createPortalHq();
  cleanups.push(() => h.close());
  return h;
}
const browser = (h: PortalHq) => dashboardBrowser({ app: h.app } as DashboardHq);

/** Every route the app serves under a prefix, with the methods it answers (from Fastify's own route tree). */
function routesUnder(h: PortalHq, prefix: string): { url: string; methods: string[] }[] {
  const text = h.app.printRoutes({ commonPrefix: false });
  const out: { url: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const m = /^(\S+)(?: \(([A-Z, ]+)\))?/.exec(line.slice(at + 4))!;
    const url = (depth > 0 ? stack[depth - 1]! : '') + m[1]!;
    stack[depth] = url;
    stack.length = depth + 1;
    if (m[2] && url.startsWith(prefix)) out.push({ url, methods: m[2].split(',').map((x) => x.trim()).filter((x) => x !== 'HEAD') });
  }
  return out;
}

async function outcomeForm(b: ReturnType<typeof browser>, personId: string) {
  const page = await b.get(`/portal/leads/${personId}`);
  expect(page.statusCode).toBe(200);
  return b.csrf(page.body);
}

describe('institution portal: who sees what (issue #21)', () => {
  it('lands an institution account on /portal, and refuses it every /dashboard route but sign-in and assets', async () => {
    const h = await hq();
    const b = browser(h);
    const signedIn = await b.signIn(KAIST_USER.password, KAIST_USER.email);
    expect(signedIn.headers.location).toBe('/portal');
    // The session cookie covers the portal too (Path=/).
    expect(String(signedIn.headers['set-cookie'])).toMatch(/rsd_admin=[^;]+; Path=\/;/);
    const csrf = b.csrf((await b.get('/portal')).body);

    const routes = routesUnder(h, '/dashboard');
    expect(routes.length).toBeGreaterThan(20);
    let refused = 0;
    for (const r of routes) {
      if (r.url === '/dashboard/sign-in' || r.url.startsWith('/dashboard/assets/')) continue;
      const url = r.url.replace(/:[A-Za-z]+/g, 'x');
      for (const method of r.methods) {
        const res = method === 'GET' ? await b.get(url) : await b.post(url, { _csrf: csrf });
        expect({ url, method, status: res.statusCode }).toEqual({ url, method, status: 403 });
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(25);
    const page = await b.get('/dashboard?lang=ko');
    expect(pageText(page.body)).toContain('이 페이지는 본부 관리자용입니다');
    expect(page.body).toContain('href="/portal"');
    // Signing in again while signed in goes home to the portal.
    expect((await b.get('/dashboard/sign-in')).headers.location).toBe('/portal');
  });

  it('shows an admin a 403 on every /portal route (the portal is one institution’s, from the session), and the accounts page', async () => {
    const h = await hq();
    const b = browser(h);
    expect((await b.signIn()).headers.location).toBe('/dashboard');
    const csrf = b.csrf((await b.get('/dashboard/accounts')).body);
    const routes = routesUnder(h, '/portal').filter((r) => !r.url.startsWith('/portal/setup') && r.url !== '/portal/sign-in');
    expect(routes.map((r) => r.url).sort()).toEqual(['/portal', '/portal/export', '/portal/leads/:personId', '/portal/leads/:personId/outcomes', '/portal/leads/:personId/outcomes/:outcomeId/retract', '/portal/sign-out']);
    for (const r of routes) {
      for (const method of r.methods) {
        const url = r.url.replace(':personId', 'att-kim').replace(':outcomeId', 'x');
        const res = method === 'GET' ? await b.get(`${url}${url.includes('?') ? '&' : '?'}lang=en`) : await b.post(url, { _csrf: csrf, status: 'hired', occurredOn: '2026-11-20' });
        expect({ url, method, status: res.statusCode }).toEqual({ url, method, status: 403 });
        if (method === 'GET') expect(pageText(res.body)).toContain('The institution portal is for institutions’ staff');
      }
    }
    expect(h.leads.history('inst-kaist', 'att-kim')).toEqual([]);
    // Nobody signed in: the sign-in form.
    const anon = browser(h);
    expect((await anon.get('/portal')).headers.location).toBe('/dashboard/sign-in');
  });

  it('lists only the institution’s consented leads, merged records once, and never another institution’s notes', async () => {
    const h = await hq();
    const kaist = browser(h);
    await kaist.signIn(KAIST_USER.password, KAIST_USER.email);
    const list = await kaist.get('/portal?lang=en');
    expect(list.statusCode).toBe(200);
    const text = pageText(list.body);
    expect(text).toContain('Minjun Kim');
    expect(text.match(/Minjun Kim/g)).toHaveLength(1);
    expect(text).toContain('1 Boston, 5-1 Chicago');
    // Lee consented to UNIST only, Park to HQ statistics only, Choi never consulted KAIST.
    for (const absent of ['Sora', 'Jiho', 'Yuna']) expect(text).not.toContain(absent);
    expect(text).toContain('InnoCORE postdoc');
    expect(text).toContain('Brain to Korea');

    const lead = pageText((await kaist.get('/portal/leads/att-kim')).body);
    expect(lead).toContain('LLM postdoc, wants to start in spring');
    expect(lead).toContain('Met again in Chicago');
    expect(lead).toContain('Prof. Oh');
    expect(lead).not.toContain('UNIST private note');
    expect(lead).not.toContain('UNIST staff');
    // The merged record's id opens the same lead.
    expect((await kaist.get('/portal/leads/att-kim-chicago')).statusCode).toBe(200);
    for (const id of ['att-lee', 'att-park', 'att-choi', 'nobody']) expect((await kaist.get(`/portal/leads/${id}`)).statusCode).toBe(404);

    const unist = browser(h);
    await unist.signIn(UNIST_USER.password, UNIST_USER.email);
    const theirs = pageText((await unist.get('/portal?lang=en')).body);
    expect(theirs).toContain('Sora Lee');
    expect(theirs).toContain('Yuna Choi');
    expect(theirs).toContain('Minjun Kim');
    expect(theirs).not.toContain('Jiho');
    const kimAtUnist = pageText((await unist.get('/portal/leads/att-kim')).body);
    expect(kimAtUnist).toContain('UNIST private note');
    expect(kimAtUnist).not.toContain('LLM postdoc');
  });

  it('records and retracts only for the session’s institution, whatever the form says', async () => {
    const h = await hq();
    const kaist = browser(h);
    await kaist.signIn(KAIST_USER.password, KAIST_USER.email);
    let csrf = await outcomeForm(kaist, 'att-kim');
    // An extra institutionId field is ignored: the outcome is KAIST's.
    const done = await kaist.post('/portal/leads/att-kim/outcomes', { _csrf: csrf, status: 'contacted', occurredOn: '2026-11-10', programId: h.ids.kaistProgram, note: 'Sent the call', institutionId: 'inst-unist' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/portal/leads/att-kim?done=recorded#history');
    expect(h.leads.history('inst-kaist', 'att-kim').map((o) => [o.status, o.recordedBy])).toEqual([['contacted', h.ids.kaistUser]]);
    expect(h.leads.history('inst-unist', 'att-kim')).toEqual([]);

    // UNIST's lead (Choi) is not KAIST's: 404, nothing recorded.
    expect((await kaist.post('/portal/leads/att-choi/outcomes', { _csrf: csrf, status: 'hired', occurredOn: '2026-11-10' })).statusCode).toBe(404);
    expect(h.leads.history('inst-kaist', 'att-choi')).toEqual([]);
    // Lee consented to UNIST only: 404 for KAIST.
    expect((await kaist.post('/portal/leads/att-lee/outcomes', { _csrf: csrf, status: 'contacted', occurredOn: '2026-11-10' })).statusCode).toBe(404);

    // UNIST's programme, a bad date: refused beside the field, nothing lost.
    const wrong = await kaist.post('/portal/leads/att-kim/outcomes', { _csrf: csrf, status: 'interview', occurredOn: '2026-11-12', programId: h.ids.unistProgram, note: 'keep me' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/id="record-programId-error"[^>]*>This programme is not one of your institution’s or a national one\./);
    expect(wrong.body).toContain('value="keep me"');
    const badDate = await kaist.post('/portal/leads/att-kim/outcomes?lang=ko', { _csrf: csrf, status: 'interview', occurredOn: '12/11/2026' });
    expect(badDate.statusCode).toBe(400);
    expect(pageText(badDate.body)).toContain('날짜를 YYYY-MM-DD 형식으로 입력하세요.');
    const noStatus = await kaist.post('/portal/leads/att-kim/outcomes', { _csrf: csrf, status: 'promoted', occurredOn: '2026-11-12' });
    expect(noStatus.statusCode).toBe(400);
    // A forged form without the session's token.
    expect((await kaist.post('/portal/leads/att-kim/outcomes', { _csrf: 'forged', status: 'hired', occurredOn: '2026-11-12' })).statusCode).toBe(403);
    expect(h.leads.history('inst-kaist', 'att-kim')).toHaveLength(1);

    // UNIST records an outcome for Kim; KAIST cannot retract it, through its own lead or any other.
    const unist = browser(h);
    await unist.signIn(UNIST_USER.password, UNIST_USER.email);
    const ucsrf = await outcomeForm(unist, 'att-kim');
    await unist.post('/portal/leads/att-kim/outcomes', { _csrf: ucsrf, status: 'interview', occurredOn: '2026-11-11', programId: h.ids.national });
    const unistOutcome = h.leads.history('inst-unist', 'att-kim')[0]!.outcomeId;
    expect((await kaist.post(`/portal/leads/att-kim/outcomes/${unistOutcome}/retract`, { _csrf: csrf, reason: 'not ours' })).statusCode).toBe(404);
    expect((await kaist.post(`/portal/leads/att-choi/outcomes/${unistOutcome}/retract`, { _csrf: csrf, reason: 'not ours' })).statusCode).toBe(404);
    expect(h.leads.history('inst-unist', 'att-kim')[0]!.retracted).toBeNull();
    // Nor is it on KAIST's page.
    csrf = await outcomeForm(kaist, 'att-kim');
    expect((await kaist.get('/portal/leads/att-kim')).body).not.toContain(unistOutcome);

    // KAIST retracts its own: a reason is required; then struck through with the reason and who.
    const own = h.leads.history('inst-kaist', 'att-kim')[0]!.outcomeId;
    const noReason = await kaist.post(`/portal/leads/att-kim/outcomes/${own}/retract`, { _csrf: csrf, reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain(`id="retract-${own}-reason-error"`);
    expect((await kaist.post(`/portal/leads/att-kim/outcomes/${own}/retract`, { _csrf: csrf, reason: 'Wrong person' })).headers.location).toBe('/portal/leads/att-kim?done=retracted#history');
    const after = await kaist.get('/portal/leads/att-kim?lang=en');
    expect(after.body).toMatch(/<s>Contacted<\/s>/);
    expect(pageText(after.body)).toContain(`Retracted by ${KAIST_USER.name}`);
    expect(pageText(after.body)).toContain('Wrong person');
  });

  it('drops a lead whose consent is withdrawn from the list, the lead page and the export', async () => {
    const h = await hq();
    const kaist = browser(h);
    await kaist.signIn(KAIST_USER.password, KAIST_USER.email);
    const csrf = await outcomeForm(kaist, 'att-kim');
    await kaist.post('/portal/leads/att-kim/outcomes', { _csrf: csrf, status: 'interview', occurredOn: '2026-11-12', programId: h.ids.kaistProgram, note: 'Strong' });
    const before = await kaist.get('/portal/export?format=csv&language=en');
    expect(before.statusCode).toBe(200);
    expect(before.headers['content-type']).toContain('text/csv');
    const rows = before.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows[0]).toContain('Latest outcome,Latest outcome date,Latest outcome programme');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('Kim,Minjun,김민준,mk@mit.edu,MIT,Postdoc');
    expect(rows[1]).toContain('Interview,2026-11-12,KAIST AI postdoc,Strong,2026-11-12 Interview');
    const xlsx = await kaist.get('/portal/export?format=xlsx&language=ko');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // Filtered export: the same rows as the filtered list.
    const none = await kaist.get('/portal/export?format=csv&status=hired');
    expect(none.body.replace(/^\ufeff/, '').trim().split('\r\n')).toHaveLength(1);

    // Kim narrows the consent to HQ statistics (a later consent on the merged record counts for the person).
    await h.actions.append('consent_recorded', { consentId: 'consent-kim-withdrawn', attendeeId: 'att-kim-chicago', scope: 'hq_stats', institutionId: null, textVersion: '2026-1' }, 'desk');
    await h.projections.catchUp();
    expect(pageText((await kaist.get('/portal?lang=en')).body)).not.toContain('Minjun');
    expect((await kaist.get('/portal/leads/att-kim')).statusCode).toBe(404);
    expect((await kaist.post('/portal/leads/att-kim/outcomes', { _csrf: csrf, status: 'hired', occurredOn: '2026-11-20' })).statusCode).toBe(404);
    const afterCsv = (await kaist.get('/portal/export?format=csv&language=en')).body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(afterCsv).toHaveLength(1);
  });

  it('filters and pages the leads like the dashboard', async () => {
    const h = await hq();
    const unist = browser(h);
    await unist.signIn(UNIST_USER.password, UNIST_USER.email);
    const q = async (query: string) => pageText((await unist.get(`/portal?lang=en&${query}`)).body);
    expect(await q('stop=stop-chicago')).toContain('Yuna Choi');
    expect(await q('stop=stop-chicago')).not.toContain('Sora Lee');
    expect(await q('q=harvard')).toContain('Sora Lee');
    expect(await q('q=harvard')).not.toContain('Yuna');
    expect(await q('status=none')).toContain('Leads 1–3 of 3');
    const csrf = await outcomeForm(unist, 'att-lee');
    await unist.post('/portal/leads/att-lee/outcomes', { _csrf: csrf, status: 'applied', occurredOn: '2026-11-15' });
    const applied = await q('status=applied');
    expect(applied).toContain('Sora Lee');
    expect(applied).toContain('Applied · 2026-11-15');
    expect(applied).not.toContain('Yuna');
    expect(await q('program=v:innocore_postdoc')).toContain('Yuna Choi');
    expect(await q('program=v:brain_to_korea')).toContain('Nothing matches this filter.');
  });
});

describe('institution portal: a large list', () => {
  it('pages 100 leads at a time, the filter kept in every link', async () => {
    const h = await hq();
    // 130 more consented people at UNIST's Chicago booth (written on HQ's store directly: the reads see them at once).
    for (let i = 0; i < 130; i++) {
      const id = `att-bulk-${String(i).padStart(3, '0')}`;
      h.store.events.append('attendee_registered', { attendeeId: id, familyName: 'Bulk', givenName: `Person${i}`, email: `bulk${i}@example.org`, affiliation: 'Bulk U', careerStage: 'student', fields: [] });
      h.store.events.append('consent_recorded', { consentId: `consent-${id}`, attendeeId: id, scope: 'all_institutions', institutionId: null, textVersion: '2026-1' });
      h.store.events.append('consultation_logged', { consultationId: `cons-${id}`, stopId: 'stop-chicago', institutionId: 'inst-unist', boothId: null, bookingId: null, attendeeId: id, registrationId: null, visitorLabel: '', content: { staffName: 'UNIST staff', programs: [] } as never });
    }
    const unist = browser(h);
    await unist.signIn(UNIST_USER.password, UNIST_USER.email);
    const first = await unist.get('/portal?lang=en&stop=stop-chicago');
    expect(pageText(first.body)).toContain('Leads 1–100 of 131 · page 1 of 2');
    expect(first.body.match(/href="\/portal\/leads\//g)).toHaveLength(100);
    expect(first.body).toContain('href="/portal?stop=stop-chicago&amp;page=2"');
    const second = await unist.get('/portal?lang=en&stop=stop-chicago&page=2');
    expect(pageText(second.body)).toContain('Leads 101–131 of 131 · page 2 of 2');
    expect(second.body.match(/href="\/portal\/leads\//g)).toHaveLength(31);
    // Every lead once across the two pages.
    const ids = [...first.body.matchAll(/href="\/portal\/leads\/([^"]+)"/g), ...second.body.matchAll(/href="\/portal\/leads\/([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(131);
    const csv = (await unist.get('/portal/export?format=csv&stop=stop-chicago')).body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv).toHaveLength(132);
  });
});

describe('institution accounts', () => {
  it('an admin creates one with a setup link shown once; the link sets the password and lands on /portal; deactivation ends it', async () => {
    const h = await hq();
    const admin = browser(h);
    await admin.signIn();
    let page = await admin.get('/dashboard/accounts?lang=en');
    expect(page.statusCode).toBe(200);
    expect(pageText(page.body)).toContain(KAIST_USER.email);
    const csrf = admin.csrf(page.body);
    // The admin's own email is refused beside the field.
    const refused = await admin.post('/dashboard/accounts', { _csrf: csrf, email: ADMIN.email, name: 'x', institutionId: 'inst-kaist' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/id="account-email-error"[^>]*>This email belongs to an HQ admin\./);
    const made = await admin.post('/dashboard/accounts', { _csrf: csrf, email: 'New.Staff@kaist.ac.kr', name: 'New Staff', institutionId: 'inst-kaist' });
    expect(made.statusCode).toBe(303);
    page = await admin.get(String(made.headers.location));
    const link = /data-testid="setup-link">([^<]+)</.exec(page.body)![1]!;
    expect(link).toMatch(/^http:\/\/localhost(:\d+)?\/portal\/setup\/[A-Za-z0-9_-]{40,}$/);
    // Shown once: the same address again shows only the list.
    expect((await admin.get(String(made.headers.location))).body).not.toContain('setup-link');

    const person = browser(h);
    const setupUrl = new URL(link).pathname;
    const form = await person.get(setupUrl);
    expect(pageText(form.body)).toContain('new.staff@kaist.ac.kr');
    const pre = person.csrf(form.body);
    const mismatch = await person.post(setupUrl, { _csrf: pre, password: 'a long enough password', repeat: 'another long password' });
    expect(mismatch.statusCode).toBe(400);
    const set = await person.post(setupUrl, { _csrf: pre, password: 'a long enough password', repeat: 'a long enough password' });
    expect(set.headers.location).toBe('/portal');
    expect(pageText((await person.get('/portal?lang=en')).body)).toContain('Minjun Kim');
    // The link works once.
    expect((await browser(h).get(setupUrl)).statusCode).toBe(404);

    // Deactivated: the session ends and the password no longer signs in.
    const id = h.admin.listInstitutionAccounts().find((a) => a.email === 'new.staff@kaist.ac.kr')!.id;
    page = await admin.get('/dashboard/accounts');
    expect((await admin.post(`/dashboard/accounts/${id}/deactivate`, { _csrf: admin.csrf(page.body) })).headers.location).toBe('/dashboard/accounts?done=deactivated');
    expect((await person.get('/portal')).headers.location).toBe('/dashboard/sign-in');
    expect((await browser(h).signIn('a long enough password', 'new.staff@kaist.ac.kr')).headers.location).toBe('/dashboard/sign-in?failed=1');
    expect(pageText((await admin.get('/dashboard/accounts?lang=en')).body)).toMatch(/new\.staff@kaist\.ac\.kr New Staff KAIST deactivated/);
  });

  it('migrates an hq-admin.sqlite made before institution accounts: its admins keep signing in as admins', async () => {
    const dir = tempDir('roadshow-adminstore-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'hq-admin.sqlite');
    const old = openSqlite(file);
    old.exec(`CREATE TABLE admins (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;
      CREATE TABLE admin_sessions (token_hash TEXT PRIMARY KEY, admin_id TEXT NOT NULL REFERENCES admins(id), csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL) STRICT;`);
    old.prepare('INSERT INTO admins VALUES (?, ?, ?, ?, ?)').run('admin-1', 'old@hq.org', 'Old Admin', hashPin('an old admin password'), '2025-01-01T00:00:00.000Z');
    old.close();

    const store = new AdminStore(file);
    cleanups.push(() => store.close());
    expect(store.schemaVersion).toBe(1);
    expect(await store.checkPassword('old@hq.org', 'an old admin password')).toEqual({ id: 'admin-1', email: 'old@hq.org', name: 'Old Admin', role: 'admin', institutionId: null });
    expect(() => store.addInstitutionUser({ email: 'old@hq.org', name: 'x', institutionId: 'inst-kaist', createdBy: null })).toThrow(/HQ admin/);
    const { account } = store.addInstitutionUser({ email: 'staff@kaist.ac.kr', name: 'Staff', institutionId: 'inst-kaist', password: 'a staff password!', createdBy: 'admin-1' });
    expect(await store.checkPassword('staff@kaist.ac.kr', 'a staff password!')).toMatchObject({ id: account.id, role: 'institution', institutionId: 'inst-kaist' });
    expect(() => store.addAdmin('staff@kaist.ac.kr', 'x', 'another long password')).toThrow(/institution account/);
    expect(store.listAdmins().map((a) => a.email)).toEqual(['old@hq.org']);
    store.close();
    // Opening again runs no step twice.
    const again = new AdminStore(file);
    expect(again.schemaVersion).toBe(1);
    expect(again.listInstitutionAccounts().map((a) => a.email)).toEqual(['staff@kaist.ac.kr']);
    again.close();
    cleanups.pop();
  });

  it('reads programme ids of consultations when they carry them, and the older vocabulary otherwise', () => {
    expect(consultationPrograms({ programs: ['innocore_postdoc'] })).toEqual(['v:innocore_postdoc']);
    expect(consultationPrograms({ programs: [], programIds: ['prog-kaist-ai'] })).toEqual(['p:prog-kaist-ai']);
    expect(consultationPrograms({ programs: ['brain_to_korea'], programIds: ['prog-1', 7] } as never)).toEqual(['p:prog-1', 'v:brain_to_korea']);
  });
});
