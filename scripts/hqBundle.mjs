// Where HQ's bundle is and whether it is newer than everything it is built from (scripts/build.mjs):
// `npm run hq` (scripts/hq.mjs) and the HQ process of tests and benchmarks (test/helpers/hqProcess.ts)
// run it only then, else HQ's sources through tsx (a stale bundle would run old code).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HQ_BUNDLE = path.join(root, 'dist/hq/main.mjs');
/** What the bundle is built from (as scripts/build.mjs's staleness check). */
export const HQ_SOURCES = ['core', 'shared', 'hq', 'package.json'];

function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(p, e.name)));
  }
  return max;
}

/** The bundle and its threads exist and are newer than every source file. */
export function hqBundleFresh() {
  const outs = ['main.mjs', 'foldWorker.mjs', 'dashboardWorker.mjs'].map((f) => path.join(root, 'dist/hq', f));
  if (!outs.every((f) => existsSync(f))) return false;
  const built = Math.min(...outs.map((f) => statSync(f).mtimeMs));
  return HQ_SOURCES.every((s) => newest(path.join(root, s)) <= built);
}
