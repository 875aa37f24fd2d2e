import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './benchTypes';
import { REPO_ROOT } from '../helpers/testStore';

/**
 * Scanner Enter → confirmation on screen, measured in real Chromium by test/e2e/checkin.test.ts
 * from the page's own performance marks (scan:enter → scan:shown) and written to
 * test-results/scan-latency.json. This module records the last measured figure.
 */
export async function run(): Promise<BenchResult[]> {
  const file = path.join(REPO_ROOT, 'test-results', 'scan-latency.json');
  if (!existsSync(file)) throw new Error('No scan latency measured yet: run the e2e test test/e2e/checkin.test.ts first');
  const f = JSON.parse(readFileSync(file, 'utf8')) as { median: number; max: number; runs: number[]; at: string };
  const detail = `${f.runs.length} scans in the browser e2e test (${f.at}); goal ≤ 300 ms`;
  return [
    { name: 'scanner Enter → confirmation on screen — median', value: Number(f.median.toFixed(1)), unit: 'ms', detail },
    { name: 'scanner Enter → confirmation on screen — max', value: Number(f.max.toFixed(1)), unit: 'ms' },
  ];
}
