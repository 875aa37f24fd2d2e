import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrollmentCode } from '../../../hq/server/auth';
import { ADMIN, createDashboardHq, type DashboardHq } from '../../helpers/tourScenario';

let hq: DashboardHq;
beforeAll(async () => {
  hq = await createDashboardHq();
});
afterAll(async () => {
  await hq?.close();
});

async function signedInCookie(): Promise<string> {
  const page = await hq.app.inject({ method: 'GET', url: '/dashboard/sign-in?lang=en' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const pre = [page.cookies].flat().map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await hq.app.inject({
    method: 'POST',
    url: '/dashboard/sign-in',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: pre },
    payload: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, _csrf: csrf }).toString(),
  });
  return [...[page.cookies].flat(), ...[res.cookies].flat()].map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('HQ dashboard: icon and device labels', () => {
  it('serves its icon (no 404 for /favicon.ico) and links it from every page', async () => {
    const ico = await hq.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(ico.statusCode).toBe(301);
    const target = await hq.app.inject({ method: 'GET', url: ico.headers.location as string });
    expect(target.statusCode).toBe(200);
    expect(target.headers['content-type']).toBe('image/x-icon');
    expect(target.rawPayload.length).toBeGreaterThan(100);
    const svg = await hq.app.inject({ method: 'GET', url: '/dashboard/assets/favicon.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.body).toContain('<svg');
    const signIn = await hq.app.inject({ method: 'GET', url: '/dashboard/sign-in?lang=en' });
    expect(signIn.body).toContain('<link rel="icon" type="image/svg+xml" href="/dashboard/assets/favicon.svg"/>');
  });

  it('lists each device under the label its enrollment code was given', async () => {
    const { code } = await issueEnrollmentCode(hq.storage, { label: 'Boston front desk' });
    const res = await hq.app.inject({ method: 'POST', url: '/v1/devices/enroll', payload: { code, device_id: 'dev-front-desk' } });
    expect(res.statusCode).toBe(200);
    const cookie = await signedInCookie();
    const page = await hq.app.inject({ method: 'GET', url: '/dashboard/devices?lang=en', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const row = /<tr><td><code>dev-front-desk<\/code><\/td><td>([^<]*)<\/td>/.exec(page.body);
    expect(row?.[1]).toBe('Boston front desk');
  });
});
