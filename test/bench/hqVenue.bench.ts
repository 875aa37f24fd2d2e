import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { proposeMatches, type MatchCandidate } from '../../core/domain/personMatch';
import { openStore } from '../../core/store/openStore';
import { createTourQueries } from '../../core/store/queries/tourQueries';
import { buildBundle, importBundleIntoStore } from '../../core/sync/bundle';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

/** USB bundle of a long offline day: export (sign + gzip), then verify + import at another laptop. */
async function bundleRoundTrip(): Promise<BenchResult[]> {
  const people = 12_500; // 4 events each: 50,000 events
  const desk = createLaptop('bench-desk');
  writeActivity(desk, people);
  const t0 = performance.now();
  const bundle = buildBundle(desk);
  const exportMs = performance.now() - t0;
  const other = openStore(path.join(tempDir('bench-bundle-'), 'roadshow.sqlite'), { deviceId: 'bench-other' });
  const t1 = performance.now();
  const report = importBundleIntoStore(other, bundle.bytes);
  const importMs = performance.now() - t1;
  const t2 = performance.now();
  importBundleIntoStore(other, bundle.bytes);
  const againMs = performance.now() - t2;
  desk.close();
  other.close();
  const detail = `${bundle.count} events (${people} walk-ins × 4), ${(bundle.bytes.length / 1024 / 1024).toFixed(1)} MB gzip'd`;
  return [
    { name: 'USB bundle export (read log, sign Ed25519, gzip)', value: Math.round(exportMs), unit: 'ms', detail },
    { name: 'USB bundle import at a laptop (gunzip, verify, ingest + project)', value: Math.round(importMs), unit: 'ms', detail: `${report.added} added` },
    { name: 'USB bundle imported a second time (all already held)', value: Math.round(againMs), unit: 'ms', detail },
    { name: 'USB bundle size per event', value: Math.round(bundle.bytes.length / bundle.count), unit: 'bytes' },
  ];
}

/** HQ's match proposals over a whole tour of records (a fifth of them the same people again). */
async function matchProposals(): Promise<BenchResult[]> {
  const n = 50_000;
  const candidates: MatchCandidate[] = [];
  for (let i = 0; i < n; i++) {
    const person = i % 5 === 4 ? i - 1 : i; // every fifth record repeats the previous person in another city
    candidates.push({ id: randomUUID(), canonicalId: '', familyName: `Family${person}`, givenName: `Given${person}`, nameKo: '', email: `p${person}@univ.edu`, affiliation: `University ${person % 300}`, createdHlc: String(i).padStart(15, '0') });
  }
  for (const c of candidates) c.canonicalId = c.id;
  const t0 = performance.now();
  const proposals = proposeMatches(candidates);
  const ms = performance.now() - t0;
  return [{ name: 'match proposals over the tour', value: Math.round(ms), unit: 'ms', detail: `${n} records → ${proposals.length} proposals` }];
}

/** The dashboard's per-stop figures (people counted once through merges) on a large store. */
async function stopFigures(): Promise<BenchResult[]> {
  const store = createLaptop('bench-figures');
  for (let s = 0; s < 10; s++) writeActivity(store, 2_000, { stopId: `stop-${s}` });
  const q = createTourQueries(store.db);
  const t0 = performance.now();
  for (let s = 0; s < 10; s++) q.stopFigures(`stop-${s}`);
  const tour = q.tourFigures();
  const ms = performance.now() - t0;
  store.close();
  return [{ name: 'dashboard figures of 10 stops + tour totals', value: Math.round(ms), unit: 'ms', detail: `${tour.people} people, 80,000 events` }];
}

export async function run(): Promise<BenchResult[]> {
  return [...(await bundleRoundTrip()), ...(await matchProposals()), ...(await stopFigures())];
}
