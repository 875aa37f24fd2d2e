import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../../hq/server/dashboard/dashboardData';
import { closeDashboardHq, dashboardBrowser, pageText } from '../../helpers/dashboardBrowser';
import { enrollBulkDevices, writeBulkTour, type BulkTour } from '../../helpers/bulkHq';
import { createDashboardHq, type DashboardHq } from '../../helpers/tourScenario';

/**
 * Issue #17, part 2: every dashboard page is paged or bounded. With many people at HQ each page's
 * HTML stays under a bound and shows where it is ("Rows 1–100 of 350") with links to the next page;
 * page 2 holds the next rows; filters keep working across pages.
 */
const PEOPLE = 3_000;
const STOPS = 15; // more than one overview page (12 stops side by side)
/** Far above a page of 100 rows (~130 KB for the proposals), far below the whole lists (~MBs). */
const HTML_BOUND = 400_000;

let hq: DashboardHq;
let tour: BulkTour;
let browser: ReturnType<typeof dashboardBrowser>;
let devices: string[];

const rowsOf = (html: string, table: string): number => {
  const m = new RegExp(`<table aria-label="${table}">([\\s\\S]*?)</table>`).exec(html);
  return m ? (m[1]!.match(/<tr/g) ?? []).length - 1 : 0; // less the header row
};
/** Every id named by the page's hidden `name` fields (the rows' actions). */
const hidden = (html: string, name: string): string[] => [...html.matchAll(new RegExp(`name="${name}" value="([^"]+)"`, 'g'))].map((m) => m[1]!);

async function page(url: string) {
  const res = await browser.get(url);
  expect(res.statusCode, url).toBe(200);
  expect(res.body.length, `${url} is bounded`).toBeLessThan(HTML_BOUND);
  return res.body;
}

beforeAll(async () => {
  hq = await createDashboardHq();
  // 3,000 people, every 8th a repeat of the one before at the next stop (375 proposals), 260 double
  // check-ins (the 134 people who came at stop 1, more than a page, and 126 at stop 2), 400 consultations.
  tour = await writeBulkTour(hq.storage, hq.projections, { people: PEOPLE, stops: STOPS, repeatEvery: 8, doubleCheckIns: 260, consultations: 400 });
  devices = await enrollBulkDevices(hq.storage, 230);
  browser = dashboardBrowser(hq);
  await browser.signIn();
}, 120_000);

afterAll(async () => {
  if (hq) await closeDashboardHq(hq);
});

describe('HQ dashboard with many people: every page paged or bounded', () => {
  it('pages the same-person proposals: 100 a page, page 2 the next ones, every proposal on exactly one page', async () => {
    const first = await page('/dashboard/matches');
    expect(rowsOf(first, 'The same person across cities')).toBe(PAGE_SIZE);
    expect(pageText(first)).toContain(`Rows 1–100 of ${tour.repeats}`);
    expect(first).toMatch(/<nav class="pager" aria-label="Pages of The same person across cities">/);
    expect(first).toContain('href="/dashboard/matches?page=2"');

    const seen = new Set<string>();
    const pages = Math.ceil(tour.repeats / PAGE_SIZE);
    for (let p = 1; p <= pages; p++) {
      const html = p === 1 ? first : await page(`/dashboard/matches?page=${p}`);
      const from = hidden(html, 'fromId');
      // Two forms per row (confirm, dismiss) name the record.
      expect(from.length).toBe(2 * Math.min(PAGE_SIZE, tour.repeats - (p - 1) * PAGE_SIZE));
      for (const id of new Set(from)) {
        expect(seen.has(id), `${id} on two pages`).toBe(false);
        seen.add(id);
      }
      if (p === 2) expect(pageText(html)).toContain(`Rows 101–200 of ${tour.repeats}`);
    }
    expect(seen.size).toBe(tour.repeats);
    // Past the end: the last page, not an empty one.
    expect(pageText(await page('/dashboard/matches?page=999'))).toContain(`of ${tour.repeats}`);
  });

  it('filters proposals by name or email and by rule, and keeps the filter in its page links and actions', async () => {
    const email = tour.repeatedEmails[0]!;
    const one = await page(`/dashboard/matches?q=${encodeURIComponent(email)}`);
    expect(rowsOf(one, 'The same person across cities')).toBe(1);
    expect(pageText(one)).toContain('Rows 1–1 of 1');
    expect(pageText(one)).toContain(email);

    const byRule = await page('/dashboard/matches?rule=email&page=2');
    expect(pageText(byRule)).toContain(`Rows 101–200 of ${tour.repeats}`);
    expect(byRule).toContain('href="/dashboard/matches?rule=email&amp;page=3"');
    const none = await page('/dashboard/matches?rule=hangul_name_affiliation');
    expect(pageText(none)).toContain('Nothing matches this filter.');

    // Dismissing from page 2 of a filter comes back to page 2 of that filter.
    const html = await page('/dashboard/matches?rule=email&page=2');
    const [fromId, intoId] = [hidden(html, 'fromId')[1]!, hidden(html, 'intoId')[1]!];
    const res = await browser.post('/dashboard/matches/dismiss', { _csrf: browser.csrf(html), fromId, intoId, back: '?rule=email&page=2' });
    expect(res.headers.location).toBe('/dashboard/matches?rule=email&page=2&done=dismissed');
    expect(pageText(await page('/dashboard/matches?rule=email'))).toContain(`of ${tour.repeats - 1}`);
  });

  it('pages the tour’s conflicts and filters them by stop and kind across pages', async () => {
    const all = await page('/dashboard/conflicts');
    expect(rowsOf(all, 'Conflicts of the whole tour')).toBe(PAGE_SIZE);
    expect(pageText(all)).toContain(`Rows 1–100 of ${tour.doubleCheckIns}`);

    const stop1 = tour.stopIds[0]!;
    const atStop1 = tour.doublesPerStop.get(stop1)!;
    expect(atStop1).toBeGreaterThan(PAGE_SIZE);
    const filtered = await page(`/dashboard/conflicts?stop=${stop1}&kind=double_check_in`);
    expect(pageText(filtered)).toContain(`Rows 1–100 of ${atStop1}`);
    const second = await page(`/dashboard/conflicts?stop=${stop1}&kind=double_check_in&page=2`);
    expect(rowsOf(second, 'Conflicts of the whole tour')).toBe(atStop1 - PAGE_SIZE);
    expect(pageText(second)).toContain(`Rows 101–${atStop1} of ${atStop1}`);
    // Only stop 1's conflicts on the filtered pages.
    const table = /<table aria-label="Conflicts of the whole tour">[\s\S]*?<\/table>/.exec(second)![0];
    expect(pageText(table)).toContain('1 City 1');
    expect(pageText(table)).not.toContain('2 City 2');
    const ids = (html: string) => new Set(hidden(html, 'checkInEventId'));
    const [a, b] = [ids(filtered), ids(second)];
    expect([...a].some((id) => b.has(id))).toBe(false);
    expect(pageText(await page('/dashboard/conflicts?kind=booking'))).toContain('Nothing matches this filter.');

    // Voiding from page 2 of the filter comes back there, one conflict fewer.
    const res = await browser.post('/dashboard/conflicts/resolve', { _csrf: browser.csrf(second), kind: 'double_check_in', checkInEventId: [...b][0]!, back: `?stop=${stop1}&kind=double_check_in&page=2` });
    expect(res.headers.location).toBe(`/dashboard/conflicts?stop=${stop1}&kind=double_check_in&page=2&done=resolved`);
    expect(pageText(await page(`/dashboard/conflicts?stop=${stop1}&page=2`))).toContain(`of ${atStop1 - 1}`);
  });

  it('pages the devices by keyset (next, previous) and filters them by status', async () => {
    const first = await page('/dashboard/devices');
    expect(rowsOf(first, 'Devices')).toBe(PAGE_SIZE);
    expect(pageText(first)).toContain(`Rows 1–100 of ${devices.length}`);
    const next = /href="(\/dashboard\/devices\?after=[^"]+)"/.exec(first)![1]!;
    const second = await page(next);
    expect(pageText(second)).toContain(`Rows 101–200 of ${devices.length}`);
    expect(second).toContain(devices[100]!);
    expect(second).not.toContain(`<code>${devices[99]!}</code>`);
    const back = /href="(\/dashboard\/devices\?before=[^"]+)"/.exec(second)![1]!;
    expect(pageText(await page(back))).toContain(`Rows 1–100 of ${devices.length}`);

    for (const id of devices.slice(0, 3)) await hq.storage.revokeDevice(id, '2025-10-21T00:00:00Z');
    const revoked = await page('/dashboard/devices?status=revoked');
    expect(rowsOf(revoked, 'Devices')).toBe(3);
    expect(pageText(revoked)).toContain('Rows 1–3 of 3');
    expect(pageText(await page('/dashboard/devices?status=active'))).toContain(`of ${devices.length - 3}`);
  });

  it('shows the stops side by side a page at a time, and keeps the stop report, exports and tour pages bounded', async () => {
    const first = await page('/dashboard');
    expect(pageText(first)).toContain(`Stops 1–12 of ${STOPS} with activity`);
    // Repeated people are separate records until an admin merges them.
    expect(pageText(first)).toContain(`Whole tour: ${PEOPLE} people registered, 2000 checked in`);
    const second = await page('/dashboard?page=2');
    expect(pageText(second)).toContain(`Stops 13–${STOPS} of ${STOPS} with activity`);
    expect(second).toContain('13 City 13');
    expect(second).not.toContain('>1 City 1<');

    const report = await page(`/dashboard/stops/${tour.stopIds[0]}/report`);
    expect(pageText(report)).toContain('Double check-in');
    await page('/dashboard/exports');
    await page('/dashboard/tours');
    await page('/dashboard/tours/tour-bulk');
    await page(`/dashboard/stops/${tour.stopIds[0]}/plan`);
    const file = await browser.post('/dashboard/exports', { _csrf: browser.csrf(report), institutionId: 'inst-kaist', format: 'csv', language: 'en' });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    // A header and one row per consenting person's consultation.
    expect(file.body.trim().split('\n').length).toBe(tour.consultations + 1);
  });
});
