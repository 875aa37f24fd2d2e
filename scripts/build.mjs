// Builds the three bundles: renderer (Vite), Electron main + preload and the browser-mode host (esbuild).
// Skips the work when every output is newer than every source, so `npm start` stays quick.
import { build as esbuild } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

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
if (stale([rendererOut, fontLicenceOut], ['renderer', 'shared', 'resources/fonts', 'resources/icons'])) {
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
const workerFile = (out) => ({ __IMPORT_WORKER_FILE__: JSON.stringify(path.basename(out)) });
if (stale([hostOut, mainOut, preloadOut, hostWorkerOut, mainWorkerOut], ['core', 'shared', 'electron', 'hq/server'])) {
  // The host's chunks are named by their content: last build's would stay beside the new ones.
  rmSync(path.dirname(hostOut), { recursive: true, force: true });
  await Promise.all([
    // Browser mode's host and its import worker: one ES module build, split so that what the start does
    // not need (the venue hub, exports, PDFs, the in-process import) is loaded when first used. The pure
    // JavaScript packages the start needs are bundled in (one file read and compiled rather than hundreds
    // of CommonJS modules resolved one by one); the others stay packages, loaded from node_modules.
    esbuild({
      ...node,
      entryPoints: { host: 'core/host/main.ts', importWorker: 'core/import/importWorker.ts' },
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
      define: workerFile(hostWorkerOut),
    }),
    // import.meta appears only on importRunner's source-mode path, which a bundle never takes.
    esbuild({ ...node, entryPoints: ['electron/main/main.ts'], outfile: mainOut, format: 'cjs', external: ['electron'], define: workerFile(mainWorkerOut), logOverride: { 'empty-import-meta': 'silent' } }),
    esbuild({ ...node, entryPoints: ['core/import/importWorker.ts'], outfile: mainWorkerOut, format: 'cjs' }),
    // Sandboxed preloads cannot require anything but `electron`: bundle everything into one file.
    esbuild({ ...node, entryPoints: ['electron/preload/preload.ts'], outfile: preloadOut, format: 'cjs', packages: undefined, external: ['electron'] }),
  ]);
  console.log('built dist/host and dist/electron');
}
