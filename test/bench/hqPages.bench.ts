import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildHqApp } from '../../hq/server/hqApp';
import { DashboardReader } from '../../hq/server/dashboard/dashboardReader';
import { storeSource, type Store } from '../../core/store/openStore';
import { LeadOutcomes } from '../../hq/server/leads/leadOutcomes';
import { enrollBulkDevices, writeBulkTour } from '../helpers/bulkHq';
import { dashboardBrowser } from '../helpers/dashboardBrowser';
import { createDashboardHq, type DashboardHq } from '../helpers/tourScenario';
import type { BenchResult } from './benchTypes';

/**
 * Issue #17, part 2: every dashboard page at 100,000 people (written through HQ's storage in bulk and
 * projected), first load (cold: derivations made) and again (warm: kept until the store changes),
 * with the HTML's size; and how long /v1/health waits while the heaviest pages load, with the pages
 * read on the dashboard's worker thread and, for comparison, on the thread that serves sync.
 */
/** 100,000 (HQ_BENCH_PEOPLE for a quick look at fewer). */
const PEOPLE = Number(process.env.HQ_BENCH_PEOPLE) || 100_000;
const STOPS = 10;

const kb = (n: number) => `${Math.round(n / 1024)} KiB`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * /v1/health asked every 10 ms while `start()`'s pages load: each answer's delay after the moment it
 * was due (so a thread held for 2 s shows as a 2 s wait, even for the ping that could not be sent).
 */
async function healthWhile(hq: { app: DashboardHq['app'] }, start: () => Promise<{ statusCode: number; body: string }[]>): Promise<number[]> {
  const t0 = performance.now();
  const work = start();
  let done = false;
  void work.finally(() => (done = true));
  const waits: number[] = [];
  for (let k = 0; !done; k++) {
    const due = t0 + k * 10;
    const ahead = due - performance.now();
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
    const res = await hq.app.inject({ method: 'GET', url: '/v1/health' });
    if (res.statusCode !== 200) throw new Error(`health answered ${res.statusCode}`);
    waits.push(performance.now() - due);
  }
  for (const r of await work) if (r.statusCode !== 200) throw new Error(`a heavy page answered ${r.statusCode}: ${r.body.slice(0, 200)}`);
  return waits;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (n: number) => Math.round(n * 10) / 10;

export async function run(): Promise<BenchResult[]> {
  const hq = await createDashboardHq();
  const out: BenchResult[] = [];
  try {
    const tour = await writeBulkTour(hq.storage, hq.projections, { people: PEOPLE, stops: STOPS, repeatEvery: 5, doubleCheckIns: 3_000, consultations: 10_000 }, 10_000);
    const size = `${PEOPLE.toLocaleString('en-US')} people at ${STOPS} stops, ${tour.events.toLocaleString('en-US')} events, ${tour.repeats} same-person proposals, ${tour.doubleCheckIns} double check-ins, ${tour.consultations} consultations`;
    out.push({ name: 'setup: 100k people pushed in bulk (pushBatch, 10,000 a batch)', value: Math.round(tour.pushMs), unit: 'ms', detail: size });
    out.push({ name: 'setup: HQ projection catch-up of them', value: Math.round(tour.projectMs), unit: 'ms', detail: `${Math.round(tour.events / (tour.projectMs / 1000))} events/s` });
    await enrollBulkDevices(hq.storage, tour.deviceIds.length, undefined, tour.deviceIds);
    const outcomes = await writeBulkOutcomes(hq, Math.min(tour.consultations, 3_000));

    const b = dashboardBrowser(hq);
    await b.signIn();
    const csrf = b.csrf((await b.get('/dashboard/exports')).body);
    const stop = tour.stopIds[0]!;
    const pages: [string, () => ReturnType<typeof b.get>][] = [
      ['Stops (overview, 10 stops side by side)', () => b.get('/dashboard')],
      ['Same person, page 1', () => b.get('/dashboard/matches')],
      ['Same person, page 50', () => b.get('/dashboard/matches?page=50')],
      ['Same person, filtered by an email', () => b.get(`/dashboard/matches?q=${encodeURIComponent(tour.repeatedEmails[0]!)}`)],
      ['Conflicts, page 1', () => b.get('/dashboard/conflicts')],
      ['Conflicts of one stop, page 2', () => b.get(`/dashboard/conflicts?stop=${stop}&page=2`)],
      ['Devices (21 desks, digests of their events)', () => b.get('/dashboard/devices')],
      ['Stop report', () => b.get(`/dashboard/stops/${stop}/report`)],
      ['Stop report PDF', () => b.get(`/dashboard/stops/${stop}/report.pdf`)],
      ['Follow-up exports page', () => b.get('/dashboard/exports')],
      ['Follow-up export CSV (whole tour, one institution)', () => b.post('/dashboard/exports', { _csrf: csrf, institutionId: 'inst-kaist', format: 'csv', language: 'ko' })],
      ['Follow-up export XLSX (whole tour, one institution)', () => b.post('/dashboard/exports', { _csrf: csrf, institutionId: 'inst-kaist', format: 'xlsx', language: 'ko' })],
      ['Tour plan', () => b.get('/dashboard/tours')],
      ['One tour', () => b.get('/dashboard/tours/tour-bulk')],
      ['One stop’s plan', () => b.get(`/dashboard/stops/${stop}/plan`)],
      [`Outcomes (funnel per stop, institution, programme, career stage; ${outcomes} outcomes)`, () => b.get('/dashboard/outcomes')],
      ['Outcomes of one stop and institution', () => b.get(`/dashboard/outcomes?stop=${stop}&institution=inst-kaist`)],
      ['Outcomes export XLSX', () => b.get('/dashboard/outcomes/export?format=xlsx&lang=ko')],
    ];
    for (const [name, load] of pages) {
      const cold = await timed(load);
      if (cold.value.statusCode !== 200) throw new Error(`${name}: ${cold.value.statusCode} ${cold.value.body.slice(0, 200)}`);
      const warm = await timed(load);
      out.push({ name: `${name}: first load`, value: Math.round(cold.ms), unit: 'ms', detail: `${kb(cold.value.rawPayload.length)}; again ${Math.round(warm.ms)} ms` });
    }

    // Sync's wait while the heaviest pages load at once (fresh: a push first makes every kept derivation stale).
    const heavy = () =>
      Promise.all([
        b.get('/dashboard/matches'),
        b.get('/dashboard'),
        b.get('/dashboard/conflicts?page=3'),
        b.get(`/dashboard/stops/${stop}/report`),
        b.post('/dashboard/exports', { _csrf: csrf, institutionId: 'inst-kaist', format: 'xlsx', language: 'ko' }),
      ]);
    await touch(hq);
    const onWorker = await healthWhile(hq, heavy);
    out.push({ name: '/v1/health while the 5 heaviest pages load (pages on the worker) — max', value: round(Math.max(...onWorker)), unit: 'ms', detail: `median ${round(median(onWorker))} ms over ${onWorker.length} pings; matches, overview, conflicts, stop report, XLSX export at once` });

    // The same on the thread that serves sync (the reads in-process), for comparison.
    const inline = buildHqApp({
      storage: hq.storage,
      projections: hq.projections,
      now: () => hq.clock.now,
      dashboard: {
        storage: hq.storage,
        projections: hq.projections,
        admin: hq.admin,
        dataDir: hq.dataDir,
        now: () => hq.clock.now,
        reader: new DashboardReader({ projections: storeSource(hq.store), log: null, inProcessOnly: true, inProcess: () => ({ db: hq.store.db, log: null, cacheable: false }) }),
      },
    });
    await inline.ready();
    const ib = dashboardBrowser({ ...hq, app: inline });
    await ib.signIn();
    const icsrf = ib.csrf((await ib.get('/dashboard/exports')).body);
    const inProcess = await healthWhile({ app: inline }, () =>
      Promise.all([
        ib.get('/dashboard/matches'),
        ib.get('/dashboard'),
        ib.get('/dashboard/conflicts?page=3'),
        ib.get(`/dashboard/stops/${stop}/report`),
        ib.post('/dashboard/exports', { _csrf: icsrf, institutionId: 'inst-kaist', format: 'xlsx', language: 'ko' }),
      ]),
    );
    await inline.close();
    out.push({ name: '… the same with the pages read on the sync thread (for comparison) — max', value: round(Math.max(...inProcess)), unit: 'ms', detail: `median ${round(median(inProcess))} ms over ${inProcess.length} pings` });
  } finally {
    await hq.close();
    rmSync(hq.dataDir, { recursive: true, force: true });
  }
  return out;
}

/**
 * Lead outcomes for the first `n` consulted people (contacted; every 3rd applied, every 10th hired), written as
 * HQ's lead device writes them (its own store, then HQ's log like a push) in one go rather than one portal call each.
 */
async function writeBulkOutcomes(hq: DashboardHq, n: number): Promise<number> {
  const leads = LeadOutcomes.open({ dataDir: hq.dataDir, projections: hq.store, storage: hq.storage });
  const store = (leads as unknown as { leads: Store }).leads;
  let count = 0;
  store.events.transaction(() => {
    for (let i = 0; i < n; i++) {
      const status = i % 10 === 0 ? 'hired' : i % 3 === 0 ? 'applied' : 'contacted';
      store.events.append('lead_outcome_recorded', { outcomeId: `outcome-${i}`, attendeeId: `att-${i}`, institutionId: 'inst-kaist', programId: null, status, occurredOn: '2025-12-01', note: '' }, { actorId: 'bench' });
      count++;
    }
  });
  await leads.publish();
  leads.close();
  await hq.projections.catchUp();
  return count;
}

/** A new event at HQ, projected: the store changed, so the worker's kept derivations are made again. */
async function touch(hq: DashboardHq): Promise<void> {
  hq.store.events.append('institution_upserted', { id: 'inst-touch', name: 'Touch', nameKo: '', shortName: 'TCH', kind: 'university' });
}
