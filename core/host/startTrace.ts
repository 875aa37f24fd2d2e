import { performance } from 'node:perf_hooks';

/**
 * The start's phases, for the cold-start bench (test/bench/store.bench.ts): with ROADSHOW_START_TRACE=1 the
 * host prints `[start] <phase> <ms> <at ms> cpu <ms>` on stderr as each phase ends (its length, when it ended, and
 * the process's CPU time by then), the milliseconds counted from the
 * process's own start (performance.now() is 0 when Node starts), so module loading shows as the first phase.
 * Off by default: nothing printed, nothing measured.
 */
const enabled = process.env.ROADSHOW_START_TRACE === '1';
let last = 0;

export function startMark(phase: string): void {
  if (!enabled) return;
  const now = performance.now();
  // The process's CPU time so far (user + system, ms): what the start cost this process, whatever the load.
  const cpu = process.cpuUsage();
  process.stderr.write(`[start] ${phase} ${(now - last).toFixed(1)} ${now.toFixed(1)} cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`);
  last = now;
}
