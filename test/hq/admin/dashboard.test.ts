import { afterEach, describe, expect, it } from 'vitest';
import { SyncClient } from '../../../core/sync/syncClient';
import { buildBundle } from '../../../core/sync/bundle';
import { ensureDeviceKey } from '../../../core/sync/deviceKey';
import { createTourQueries } from '../../../core/store/queries/tourQueries';
import { closeDashboardHq, dashboardBrowser } from '../../helpers/dashboardBrowser';
import { ADMIN, createDashboardHq, syncTwoStops, type DashboardHq } from '../../helpers/tourScenario';

let hq: DashboardHq | undefined;
afterEach(async () => {
  if (hq) await closeDashboardHq(hq);
  hq = undefined;
});

const browser = dashboardBrowser;

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('HQ dashboard', () => {
  it('signs admins in with their password only, rate-limits guessing, and lets sessions expire', async () => {
    hq = await createDashboardHq();
    const b = browser(hq);
    expect((await b.get('/dashboard')).headers.location).toBe('/dashboard/sign-in');
    expect((await b.signIn('wrong password!!')).headers.location).toBe('/dashboard/sign-in?failed=1');
    for (let i = 0; i < 4; i++) await b.signIn('still wrong!!!');
    // Five failures: even the right password waits now.
    expect((await b.signIn()).headers.location).toMatch(/^\/dashboard\/sign-in\?wait=\d+$/);
    hq.clock.now += 16 * 60_000;
    expect((await b.signIn()).headers.location).toBe('/dashboard');
    expect((await b.get('/dashboard')).statusCode).toBe(200);
    hq.clock.now += 8 * 3600_000 + 1;
    expect((await b.get('/dashboard')).headers.location).toBe('/dashboard/sign-in');
  });

  it('shows every stop side by side in English and Korean, counting the same person once', async () => {
    hq = await createDashboardHq();
    await syncTwoStops(hq);
    const b = browser(hq);
    await b.signIn();
    const en = text((await b.get('/dashboard?lang=en')).body);
    expect(en).toContain('Every stop side by side');
    expect(en).toMatch(/Figure 1 Boston 2025-10-20 5-1 Chicago 2025-12-05/);
    expect(en).toMatch(/Registered 2 1 Checked in 1 1 Walk-ins 0 1 No-shows 1 0 Consultations 2 0 Follow-ups owed 1 0/);
    expect(en).toContain('KAIST 2 (2) / 1');
    expect(en).toContain('Whole tour: 3 people registered');
    const ko = text((await b.get('/dashboard?lang=ko')).body);
    expect(ko).toMatch(/항목 1 보스턴 2025-10-20 5-1 시카고 2025-12-05/);
    expect(ko).toMatch(/등록 2 1 체크인 1 1/);
  });

  it('proposes the same person across cities; confirming merges them everywhere', async () => {
    hq = await createDashboardHq();
    const { laptops, tokens } = await syncTwoStops(hq);
    const b = browser(hq);
    await b.signIn();
    const page = await b.get('/dashboard/matches');
    expect(text(page.body)).toContain('same email, same name and affiliation');
    const res = await b.post('/dashboard/matches/confirm', { _csrf: b.csrf(page.body), fromId: 'att-kim-chicago', intoId: 'att-kim', rules: 'email,latin_name_affiliation' });
    const after = text((await b.get(String(res.headers.location))).body);
    expect(after).toContain('Merged. Laptops receive it at their next sync.');
    expect(after).toContain('No proposals.');
    expect(text((await b.get('/dashboard')).body)).toContain('Whole tour: 2 people registered, 1 checked in, 1 at two or more stops, 1 records merged.');
    // The decision flows back: a Boston laptop pulls it and counts Kim once across the tour.
    await new SyncClient(laptops.bostonA, hq.transport, tokens.bostonA).sync();
    expect(createTourQueries(laptops.bostonA.db).canonicalOf('att-kim-chicago')).toBe('att-kim');
    expect(laptops.bostonA.events.projectionHash()).toBe(hq.store.events.projectionHash());
  });

  it('resolves a double check-in; the void is an event that reaches the laptops', async () => {
    hq = await createDashboardHq();
    const { laptops, tokens } = await syncTwoStops(hq);
    const b = browser(hq);
    await b.signIn();
    const page = await b.get('/dashboard/conflicts');
    expect(text(page.body)).toContain('Double check-in');
    expect(text(page.body)).toContain('(Desk A) and again at');
    // Without the form's token nothing happens.
    const forged = await b.post('/dashboard/conflicts/resolve', { kind: 'double_check_in', checkInEventId: /name="checkInEventId" value="([^"]+)"/.exec(page.body)![1]! });
    expect(forged.statusCode).toBe(403);
    const res = await b.post('/dashboard/conflicts/resolve', { _csrf: b.csrf(page.body), kind: 'double_check_in', checkInEventId: /name="checkInEventId" value="([^"]+)"/.exec(page.body)![1]! });
    expect(res.headers.location).toBe('/dashboard/conflicts?done=resolved');
    expect(text((await b.get('/dashboard/conflicts?done=resolved')).body)).toContain('No open conflicts.');
    const done = await b.get('/dashboard/conflicts?done=resolved&kind=booking&lang=en');
    expect(text(done.body)).toContain('Nothing matches this filter.');
    // The language switch keeps the page's filter and drops the one-time notice.
    expect(done.body).toContain('href="?kind=booking&amp;lang=ko" lang="ko"');
    await new SyncClient(laptops.bostonB, hq.transport, tokens.bostonB).sync();
    const voids = laptops.bostonB.db.prepare("SELECT reason, actor_id FROM check_in_voids").all() as { reason: string; actor_id: string }[];
    expect(voids).toHaveLength(1);
    expect(voids[0]!.reason).toBe('Duplicate check-in, resolved at HQ');
  });

  it('exports an institution’s follow-up list for the whole tour with only consenting people', async () => {
    hq = await createDashboardHq();
    await syncTwoStops(hq);
    const b = browser(hq);
    await b.signIn();
    const page = await b.get('/dashboard/exports');
    const res = await b.post('/dashboard/exports', { _csrf: b.csrf(page.body), institutionId: 'inst-kaist', format: 'csv', language: 'en' });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/follow-ups.KAIST.tour/);
    expect(res.body).toContain('Send InnoCORE call');
    expect(res.body).toContain('mk@mit.edu');
    expect(res.body).not.toContain('sora@harvard.edu'); // Lee did not consent
  });

  it('makes enrollment codes and revokes devices from their pages', async () => {
    hq = await createDashboardHq();
    const b = browser(hq);
    await b.signIn();
    const page = await b.get('/dashboard/enrollment');
    const made = await b.post('/dashboard/enrollment', { _csrf: b.csrf(page.body), label: 'Desk A, Boston', deviceId: '', hours: '24' });
    const code = /data-testid="enrollment-code">([^<]+)</.exec(made.body)![1]!;
    const bad = await b.post('/dashboard/enrollment', { _csrf: b.csrf(page.body), label: 'x', deviceId: '', hours: '0' });
    expect(bad.statusCode).toBe(400);
    const enrolled = await hq.transport.request('POST', '/v1/devices/enroll', { code, device_id: 'desk-new', label: 'Desk A' }, null);
    expect(enrolled.status).toBe(200);
    const token = (enrolled.body as { token: string }).token;
    await hq.transport.request('POST', '/v1/sync/pull', { cursor: '0' }, token);
    const devices = text((await b.get('/dashboard/devices')).body);
    // Last sync is when its pull succeeded (HQ's clock); it has pushed nothing, so HQ holds no digest for it.
    expect(devices).toContain('desk-new Desk A, Boston · Desk A desk – Dec 6, 2025, 8:00 PM UTC – active');
    // A code for a venue hub gives the device the hub role (it may relay its desks' events).
    const hubMade = await b.post('/dashboard/enrollment', { _csrf: b.csrf(page.body), label: 'Boston hub', deviceId: '', hours: '24', hub: '1' });
    expect(text(hubMade.body)).toContain('--upstream-code');
    const hubCode = /data-testid="enrollment-code">([^<]+)</.exec(hubMade.body)![1]!;
    expect((await hq.transport.request('POST', '/v1/devices/enroll', { code: hubCode, device_id: 'hub-boston', label: 'Boston hub' }, null)).status).toBe(200);
    expect(text((await b.get('/dashboard/devices')).body)).toContain('hub-boston Boston hub venue hub (relays its desks)');
    const devPage = await b.get('/dashboard/devices');
    await b.post('/dashboard/devices/revoke', { _csrf: b.csrf(devPage.body), deviceId: 'desk-new' });
    expect((await hq.transport.request('POST', '/v1/sync/pull', { cursor: '0' }, token)).status).toBe(401);
    expect(text((await b.get('/dashboard/devices')).body)).toMatch(/desk-new .* revoked/);
  });

  it('takes a USB bundle uploaded on its page and produces the stop report on screen and as PDF', async () => {
    hq = await createDashboardHq();
    const { laptops, tokens } = await syncTwoStops(hq);
    ensureDeviceKey(laptops.chicago);
    await new SyncClient(laptops.chicago, hq.transport, tokens.chicago).sync();
    laptops.chicago.events.append('checked_in', { registrationId: 'reg-kim-chicago', attendeeId: 'att-kim-chicago', stopId: 'stop-chicago', desk: 'Desk D' }, { stopId: 'stop-chicago' });
    const bundle = buildBundle(laptops.chicago);
    const b = browser(hq);
    await b.signIn();
    const page = await b.get('/dashboard/bundles');
    const cookie = [...b.jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
    const up = await hq.app.inject({ method: 'POST', url: '/dashboard/bundles', headers: { cookie, 'content-type': 'application/octet-stream', 'x-csrf-token': b.csrf(page.body) }, payload: bundle.bytes });
    expect(up.json()).toMatchObject({ ok: true, message: 'desk-chicago: 1 events in the bundle, 1 added, 0 already held, 0 rejected.' });
    const report = text((await b.get('/dashboard/stops/stop-chicago/report')).body);
    expect(report).toContain('Stop report: 5-1 Chicago');
    expect(report).toMatch(/Conflicts left Double check-in 1/);
    const pdf = await b.get('/dashboard/stops/stop-chicago/report.pdf?lang=ko');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
