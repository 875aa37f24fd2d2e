import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDemoData } from '../../core/demo/demoData';
import { buildDemoEvents } from '../../core/demo/seedDemo';
import { openStore } from '../../core/store/openStore';
import { callApi } from '../helpers/callApi';
import { createTestContext, DEMO_STOP, RESOURCES_DIR, tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

/**
 * Booth desk on a busy stop: every booth planned 10:00–18:00 in 15-minute slots with 3 places,
 * then booked until about two thirds full. Measures a booking (all rules checked, event + projection,
 * fsync) and the full schedule the Booths screen loads after every write (grid, bookings, conflicts).
 */
export async function run(): Promise<BenchResult[]> {
  const store = openStore(path.join(tempDir('bench-booths-'), 'roadshow.sqlite'));
  store.events.ingest(buildDemoEvents(loadDemoData(RESOURCES_DIR), { attendees: 6_000, seed: 3, schedules: false }));
  const ctx = createTestContext(store);
  const booths = (await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP })).rows.map((r) => r.booth.id);
  for (const boothId of booths) {
    await callApi(ctx, 'booths:setPlan', { boothId, startTime: '10:00', endTime: '18:00', slotMinutes: 15, capacity: 3, breaks: [{ start: '12:30', end: '13:30' }], fields: [] });
  }
  const slots = (await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP })).rows[0]!.slots.map((s) => s.start);
  const regs = store.db.prepare<[string], { id: string }>('SELECT id FROM registrations WHERE stop_id = ? ORDER BY id').all(DEMO_STOP);

  // Each person gets bookings in distinct slots, spread over the booths.
  const jobs: { boothId: string; slotStart: string; registrationId: string }[] = [];
  regs.forEach((r, i) => {
    for (let k = 0; k < 3; k++) jobs.push({ boothId: booths[(i + k * 5) % booths.length]!, slotStart: slots[(Math.floor(i / booths.length) + k * 10) % slots.length]!, registrationId: r.id });
  });
  let made = 0;
  let refused = 0;
  const t0 = performance.now();
  for (const job of jobs) {
    try {
      await callApi(ctx, 'booths:book', job);
      made++;
    } catch {
      refused++;
    }
  }
  const bookMs = performance.now() - t0;

  const n = 30;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) await callApi(ctx, 'booths:schedule', { stopId: DEMO_STOP });
  const scheduleMs = (performance.now() - t1) / n;
  store.close();
  const size = `${booths.length} booths × ${slots.length} slots, ${made} bookings (${refused} refused by the rules)`;
  return [
    { name: 'booth booking through the API (rules + event + projection, fsync)', value: Number((bookMs / jobs.length).toFixed(2)), unit: 'ms', detail: `mean over ${jobs.length} attempts; ${size}` },
    { name: 'booths:schedule for a full stop (grid, bookings, conflicts)', value: Number(scheduleMs.toFixed(1)), unit: 'ms', detail: `mean of ${n}; ${size}` },
  ];
}
