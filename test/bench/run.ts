/**
 * `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line), then
 * rewrites BENCHMARKS.md with the figures, the machine, the date and the data sizes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './benchTypes';
import { claimTempRoot } from '../tempRoot';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

// Every store, HQ folder and PouchDB database of the benches goes under one folder, removed at the end
// (and on Ctrl+C): benches write 100,000 made-up people and must leave none of them in the temp folder.
const tempRoot = claimTempRoot('roadshow-bench-run-');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    tempRoot.release();
    process.exit(130);
  });
}
process.once('exit', () => tempRoot.release());

const sections: string[] = [];
let failed = 0;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`# ${name}`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run(): Promise<BenchResult[]> };
    const results = await mod.run();
    for (const r of results) console.log(`  ${r.name}: ${r.value} ${r.unit}${r.detail ? ` (${r.detail})` : ''}`);
    sections.push(
      [`## ${name}`, '', '| measure | value | unit | detail |', '|---|---:|---|---|', ...results.map((r) => `| ${r.name} | ${r.value} | ${r.unit} | ${r.detail ?? ''} |`), ''].join('\n'),
    );
  } catch (err) {
    failed++;
    console.error(`  failed: ${err instanceof Error ? err.stack : String(err)}`);
    sections.push(`## ${name}\n\nFailed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = [
  '# Benchmarks',
  '',
  'Written by `npm run bench` (test/bench/run.ts). Figures from one run; rerun to refresh.',
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.platform()} ${os.release()}`,
  `- Node: ${process.version}`,
  '',
].join('\n');
if (only.length === 0) writeFileSync(path.join(root, 'BENCHMARKS.md'), `${header}\n${sections.join('\n')}`);
else console.log('(a subset was run: BENCHMARKS.md left unchanged)');
process.exit(failed ? 1 : 0);
