import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHttpTransport } from '../../core/sync/hqTransport';
import { HubService } from '../../core/sync/hubService';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { createLaptop, writeActivity } from '../helpers/syncFixtures';
import { tempDir } from '../helpers/testStore';
import type { BenchResult } from './benchTypes';

const SAMPLES = 25;

/**
 * Check-in at desk A → visible at desk B, through a venue hub on loopback, with the desks' real
 * auto-sync loops at their default timing (push at the next 0.5 s tick, pull every 2 s). Samples
 * start at random moments, so they fall anywhere in B's pull cycle.
 */
export async function run(): Promise<BenchResult[]> {
  const storage = new SqliteHqStorage(path.join(tempDir('bench-hub-'), 'hq-events.sqlite'));
  const app = buildHqApp({ storage, hub: { upstreamHealth: () => ({ configured: false, last_ok_at: null, pending: 0, last_error_code: null, stuck: [] }) } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const { code } = await issueEnrollmentCode(storage, { uses: 2 });
  const desks = ['bench-desk-a', 'bench-desk-b'].map((id) => {
    const store = createLaptop(id);
    return { store, hub: new HubService(() => store, (u, pin) => createHttpTransport(u, { certFingerprint: pin })) };
  });
  for (const d of desks) await d.hub.connect({ url, code });
  const [a, b] = desks as [(typeof desks)[0], (typeof desks)[0]];
  const seen = b.store.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM check_ins WHERE registration_id = ?');
  const latencies: number[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      await new Promise((r) => setTimeout(r, Math.random() * 2_000));
      const t0 = performance.now();
      const [registrationId] = writeActivity(a.store, 1, { prefix: `S${i}` }).registrationIds as [string];
      while (seen.get(registrationId)!.n === 0) {
        if (performance.now() - t0 > 30_000) throw new Error('a check-in did not arrive within 30 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - t0);
    }
  } finally {
    for (const d of desks) {
      d.hub.stop();
      d.store.close();
    }
    await app.close();
    await storage.close();
  }
  latencies.sort((x, y) => x - y);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  const detail = `${SAMPLES} check-ins, hub on loopback (plain http), default loop timing (push ≤ 0.5 s, pull every 2 s)`;
  return [
    { name: 'check-in at desk A → visible at desk B, median', value: at(0.5), unit: 'ms', detail },
    { name: 'check-in at desk A → visible at desk B, p95', value: at(0.95), unit: 'ms', detail: 'goal: within 5 s' },
    { name: 'check-in at desk A → visible at desk B, max', value: Math.round(latencies[latencies.length - 1]!), unit: 'ms', detail },
  ];
}
