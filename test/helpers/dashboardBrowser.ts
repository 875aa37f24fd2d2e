import { rmSync } from 'node:fs';
import type { DashboardHq } from './tourScenario';
import { ADMIN } from './tourScenario';

/** A tiny browser over Fastify's inject for the HQ dashboard: keeps cookies, follows nothing. */
export function dashboardBrowser(h: DashboardHq) {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  const keep = (res: { headers: Record<string, unknown> }) => {
    const set = res.headers['set-cookie'];
    for (const c of (Array.isArray(set) ? set : set ? [set] : []) as string[]) {
      const [pair, ...attrs] = c.split(';');
      const [k, v] = pair!.split('=');
      if (attrs.some((a) => /max-age=0/i.test(a.trim()))) jar.delete(k!.trim());
      else jar.set(k!.trim(), decodeURIComponent(v ?? ''));
    }
  };
  return {
    jar,
    cookie,
    async get(url: string) {
      const res = await h.app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
      keep(res);
      return res;
    },
    async post(url: string, fields: Record<string, string>) {
      const res = await h.app.inject({ method: 'POST', url, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
      keep(res);
      return res;
    },
    csrf(html: string): string {
      return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    },
    async signIn(password = ADMIN.password, email = ADMIN.email) {
      const form = await this.get('/dashboard/sign-in');
      return this.post('/dashboard/sign-in', { _csrf: this.csrf(form.body), email, password });
    },
  };
}

/** Closes the dashboard HQ and removes its temp folder. */
export async function closeDashboardHq(h: DashboardHq): Promise<void> {
  await h.close();
  rmSync(h.dataDir, { recursive: true, force: true });
}

/** The page's text without tags, entities decoded, spaces collapsed. */
export const pageText = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
