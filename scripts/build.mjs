// Builds the bundles: renderer (Vite), Electron main + preload, the browser-mode host and the HQ server (esbuild).
// Skips the work when every output is newer than every source, so `npm start` stays quick.
import { build as esbuild } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
// `--only-hq`: HQ's bundle alone (scripts/hq.mjs, before `npm run hq` starts it).
const onlyHq = process.argv.includes('--only-hq');

function newest(dir) {
  let max = 0;
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else max = Math.max(max, statSync(p).mtimeMs);
    }
  };
  walk(dir);
  return max;
}
const mtime = (f) => (existsSync(f) ? statSync(f).mtimeMs : 0);
const stale = (outputs, sources) => force || Math.min(...outputs.map(mtime)) < Math.max(...sources.map((s) => newest(path.join(root, s))), mtime(path.join(root, 'package.json')));

const node = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

/** Pure JavaScript packages browser mode's host loads at every start: bundled into dist/host. */
const BUNDLED_IN_HOST = ['fastify', '@fastify/static', 'zod', 'undici', 'uuid', 'es-hangul'];
/** Every other dependency stays a package (native modules, and packages that read files beside their code). */
function externalPackages(bundled) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.devDependencies }).filter((n) => !bundled.includes(n));
  return names.flatMap((n) => [n, `${n}/*`]);
}

const rendererOut = path.join(root, 'dist/renderer/index.html');
// The UI font's licence (SIL OFL) travels with the font files Vite copies into dist/renderer/assets.
const fontLicence = 'resources/fonts/Pretendard-LICENSE.txt';
const fontLicenceOut = path.join(root, 'dist/renderer/assets', path.basename(fontLicence));
if (!onlyHq && stale([rendererOut, fontLicenceOut], ['renderer', 'shared', 'resources/fonts', 'resources/icons'])) {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  copyFileSync(path.join(root, fontLicence), fontLicenceOut);
  console.log('built dist/renderer');
}

const hostOut = path.join(root, 'dist/host/host.mjs');
const mainOut = path.join(root, 'dist/electron/main.cjs');
const preloadOut = path.join(root, 'dist/electron/preload.cjs');
// The import worker (core/import/importWorker.ts) beside each bundle that starts it.
const hostWorkerOut = path.join(root, 'dist/host/importWorker.mjs');
const mainWorkerOut = path.join(root, 'dist/electron/importWorker.cjs');
// The pull's apply thread (core/sync/pullApplyWorker.ts) likewise.
const hostPullWorkerOut = path.join(root, 'dist/host/pullApplyWorker.mjs');
const mainPullWorkerOut = path.join(root, 'dist/electron/pullApplyWorker.cjs');
const workerFile = (out, pullOut) => ({ __IMPORT_WORKER_FILE__: JSON.stringify(path.basename(out)), __PULL_WORKER_FILE__: JSON.stringify(path.basename(pullOut)) });
if (!onlyHq && stale([hostOut, mainOut, preloadOut, hostWorkerOut, mainWorkerOut, hostPullWorkerOut, mainPullWorkerOut], ['core', 'shared', 'electron', 'hq/server'])) {
  // The host's chunks are named by their content: last build's would stay beside the new ones.
  rmSync(path.dirname(hostOut), { recursive: true, force: true });
  await Promise.all([
    // Browser mode's host and its import worker: one ES module build, split so that what the start does
    // not need (the venue hub, exports, PDFs, the in-process import) is loaded when first used. The pure
    // JavaScript packages the start needs are bundled in (one file read and compiled rather than hundreds
    // of CommonJS modules resolved one by one); the others stay packages, loaded from node_modules.
    esbuild({
      ...node,
      entryPoints: { host: 'core/host/main.ts', importWorker: 'core/import/importWorker.ts', pullApplyWorker: 'core/sync/pullApplyWorker.ts' },
      outdir: path.dirname(hostOut),
      outExtension: { '.js': '.mjs' },
      // Chunks beside the entries: import.meta.url's folder is the same in every file (importRunner finds its worker there).
      chunkNames: '[name]-[hash]',
      splitting: true,
      format: 'esm',
      packages: undefined,
      external: externalPackages(BUNDLED_IN_HOST),
      // The bundled CommonJS packages call require() for Node's own modules.
      banner: { js: "import { createRequire as __roadshowRequire } from 'node:module'; const require = __roadshowRequire(import.meta.url);" },
      define: workerFile(hostWorkerOut, hostPullWorkerOut),
    }),
    // import.meta appears only on importRunner's source-mode path, which a bundle never takes.
    esbuild({ ...node, entryPoints: ['electron/main/main.ts'], outfile: mainOut, format: 'cjs', external: ['electron'], define: workerFile(mainWorkerOut, mainPullWorkerOut), logOverride: { 'empty-import-meta': 'silent' } }),
    esbuild({ ...node, entryPoints: ['core/import/importWorker.ts'], outfile: mainWorkerOut, format: 'cjs' }),
    esbuild({ ...node, entryPoints: ['core/sync/pullApplyWorker.ts'], outfile: mainPullWorkerOut, format: 'cjs' }),
    // Sandboxed preloads cannot require anything but `electron`: bundle everything into one file.
    esbuild({ ...node, entryPoints: ['electron/preload/preload.ts'], outfile: preloadOut, format: 'cjs', packages: undefined, external: ['electron'] }),
  ]);
  console.log('built dist/host and dist/electron');
}

// HQ (`npm run hq`, scripts/hq.mjs; the HQ process of tests and benchmarks): one ES module with its
// fold and dashboard threads beside it, so HQ starts without tsx's loader (its own thread, compiling
// every module at start: ~90 MB of HQ's resident memory, issue #20). Its files stay where they are:
// each source file's import.meta.url is the source file's own (computed from the bundle's place, so
// a moved checkout still works), so HQ finds the dashboard's assets, resources/ and the demo data
// as when it runs from source.
const HQ_BUNDLE_DIR = path.join(root, 'dist/hq');
const hqOut = path.join(HQ_BUNDLE_DIR, 'main.mjs');
const hqWorkers = { foldWorker: 'hq/server/foldWorker.ts', dashboardWorker: 'hq/server/dashboard/dashboardWorker.ts' };
const hqWorkerOuts = Object.keys(hqWorkers).map((name) => path.join(HQ_BUNDLE_DIR, `${name}.mjs`));
/** The packages HQ loads at every start that are pure JavaScript reading no files of their own: bundled in. */
const BUNDLED_IN_HQ = [...BUNDLED_IN_HOST, 'react', 'react-dom'];
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = JSON.stringify(path.relative(HQ_BUNDLE_DIR, args.path).split(path.sep).join('/'));
      return { contents: text.replaceAll('import.meta.url', `new URL(${rel}, __roadshowBundleUrl).href`), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};
if (stale([hqOut, ...hqWorkerOuts], ['core', 'shared', 'hq'])) {
  rmSync(HQ_BUNDLE_DIR, { recursive: true, force: true });
  const hqBuild = (entryPoints) =>
    esbuild({
      ...node,
      entryPoints,
      outdir: HQ_BUNDLE_DIR,
      outExtension: { '.js': '.mjs' },
      format: 'esm',
      packages: undefined,
      external: externalPackages(BUNDLED_IN_HQ),
      plugins: [sourceUrls],
      jsx: 'automatic',
      // Non-ASCII characters escaped: V8 keeps the bundle's source text in memory, half the size as one-byte text.
      charset: 'ascii',
      // The bundle's own URL (import.meta.url above is each source file's), and the bundled CommonJS packages' require().
      banner: { js: "import { createRequire as __roadshowRequire } from 'node:module'; const require = __roadshowRequire(import.meta.url); const __roadshowBundleUrl = import.meta.url;" },
      // hqProjections.ts and dashboardReader.ts start their threads from these files beside the bundle.
      define: { __HQ_WORKER_DIR_URL__: '__roadshowBundleUrl' },
    });
  await Promise.all([hqBuild({ main: 'hq/server/main.ts' }), hqBuild(hqWorkers)]);
  console.log('built dist/hq');
}
