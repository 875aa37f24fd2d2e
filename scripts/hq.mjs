// `npm run hq`: HQ from its bundle (dist/hq/main.mjs, built here by scripts/build.mjs when a source
// changed), run in this process: no TypeScript loader at run time (issue #20: tsx's loader thread and
// its compiled modules were ~90 MB of HQ's memory). Where the bundle cannot be built (no esbuild, e.g.
// a checkout without dev dependencies) or HQ_FROM_SOURCE=1, HQ runs from its sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hqBundleFresh, HQ_BUNDLE } from './hqBundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function bundleReady() {
  if (process.env.HQ_FROM_SOURCE === '1') return false;
  if (hqBundleFresh()) return true;
  // Builds what is stale (the HQ bundle takes a few seconds; the others are skipped when fresh).
  const res = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--only-hq'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return res.status === 0 && existsSync(HQ_BUNDLE);
}

if (bundleReady()) {
  await import(pathToFileURL(HQ_BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'hq/server/main.ts')).href);
}
