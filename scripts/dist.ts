// `npm run dist [-- electron-builder options]`: the installers. Checks the Electron version, adds the update feed
// from the environment (scripts/distConfig.ts), builds the bundles, fetches Electron first (so a machine that
// cannot download it stops with one clear sentence, before native modules are rebuilt), runs electron-builder,
// and puts the Node build of native modules back afterwards (electron-builder rebuilds them in place for
// Electron's ABI; the tests run under Node). README "Building installers" explains signing and the feed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Arch, Platform } from 'electron-builder';
import { build, configureBuildCommand, createYargs, normalizeOptions, type CliOptions } from 'electron-builder/out/builder';
import { downloadElectronArtifactZip } from 'app-builder-lib/out/util/electronGet';
import type { AfterPackContext } from 'app-builder-lib';
import { listPackage } from '@electron/asar';
import { DistConfigError, electronVersionProblem, explainBuildError, packedAppProblems, publishFromEnv, readBuilderConfig, readPackageJson } from './distConfig';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const debug = Boolean(process.env.DEBUG);

function fail(message: string, err?: unknown): never {
  console.error(`\nnpm run dist: ${message}`);
  if (debug && err) console.error(err);
  process.exit(1);
}

const config = readBuilderConfig(root);
const pkg = readPackageJson(root);
const versionProblem = electronVersionProblem(config, pkg);
if (versionProblem) fail(versionProblem);
const electronVersion = String(config.electronVersion);

let publish;
try {
  publish = publishFromEnv(process.env);
} catch (err) {
  fail(err instanceof DistConfigError ? err.message : String(err));
}
console.log(publish ? `Update feed: ${publish.provider === 'generic' ? publish.url : `GitHub ${publish.owner}/${publish.repo}`}` : 'No update feed (ROADSHOW_UPDATE_URL / ROADSHOW_UPDATE_GITHUB unset): the app is built without updates.');

const args = configureBuildCommand(createYargs()).parseSync(process.argv.slice(2)) as CliOptions & { config?: unknown };
if (args.config !== undefined) fail('pass configuration in electron-builder.yml, not with --config (this script adds the update feed itself).');
const options = normalizeOptions(args);

if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) fail('the build (scripts/build.mjs) failed.');

// Electron first: the same download (and cache) electron-builder uses, before anything is rebuilt.
if (!config.electronDist) {
  const configArchs = (platform: Platform): Arch[] => {
    const targets = (config[platform.buildConfigurationKey] as { target?: unknown } | undefined)?.target;
    const archs = (Array.isArray(targets) ? targets : []).flatMap((t: unknown) => (typeof t === 'object' && t && 'arch' in t ? ([] as string[]).concat((t as { arch: string | string[] }).arch) : []));
    return archs.length ? [...new Set(archs)].map((a) => Arch[a as keyof typeof Arch]) : [Arch[process.arch as keyof typeof Arch] ?? Arch.x64];
  };
  for (const [platform, archMap] of options.targets ?? new Map()) {
    const archs = archMap.size ? [...archMap.keys()] : configArchs(platform);
    for (const arch of archs) {
      const archName = Arch[arch] as string;
      try {
        await downloadElectronArtifactZip({ electronDownload: { platform: platform.nodeName, arch: archName, version: electronVersion }, artifactName: 'electron', platformName: platform.nodeName, arch: archName, version: electronVersion });
      } catch (err) {
        fail(explainBuildError(err, `${electronVersion} for ${platform.nodeName}-${archName}`), err);
      }
    }
  }
}

// The Node build of each native module, to put back after electron-builder rebuilt it for Electron.
const nativeFiles = (): string[] => {
  const found: string[] = [];
  const nm = path.join(root, 'node_modules');
  const pkgDirs = readdirSync(nm).flatMap((n) => (n.startsWith('@') ? readdirSync(path.join(nm, n)).map((m) => path.join(nm, n, m)) : [path.join(nm, n)]));
  for (const dir of pkgDirs) {
    const release = path.join(dir, 'build', 'Release');
    if (existsSync(release)) for (const f of readdirSync(release)) if (f.endsWith('.node')) found.push(path.join(release, f));
  }
  return found;
};
const backupDir = mkdtempSync(path.join(tmpdir(), 'roadshow-dist-'));
const backups = nativeFiles().map((file, i) => {
  const copy = path.join(backupDir, `${i}.node`);
  copyFileSync(file, copy);
  return { file, copy };
});

// Electron's npm package is an optionalDependency, i.e. a production dependency to npm, and electron-builder 26
// packs every production dependency (its `files` excludes apply inside each package, not to whole packages).
// Out of sight while packing, npm lists it as a missing optional dependency and it stays out of the app.
const electronPkg = path.join(root, 'node_modules', 'electron');
const hiddenElectron = path.join(root, 'node_modules', '.electron-hidden-by-dist');
const hide = existsSync(electronPkg) && !existsSync(hiddenElectron);
if (hide) renameSync(electronPkg, hiddenElectron);
const restore = () => {
  if (hide && existsSync(hiddenElectron) && !existsSync(electronPkg)) renameSync(hiddenElectron, electronPkg);
};
process.once('SIGINT', () => {
  restore();
  process.exit(130);
});

/** Every packed app is checked before installers are made of it (scripts/distConfig.ts: packedAppProblems). */
const afterPack = async (context: AfterPackContext): Promise<void> => {
  const resources = context.electronPlatformName === 'darwin' ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources') : path.join(context.appOutDir, 'resources');
  const problems = packedAppProblems(listPackage(path.join(resources, 'app.asar'), { isPack: false }));
  if (problems.length) throw new Error(`the packed app is not right:\n  ${problems.join('\n  ')}`);
};

let failed: unknown = null;
try {
  const artifacts = await build({ ...options, publish: options.publish ?? 'never', config: { publish: publish ?? null, afterPack } } as CliOptions);
  console.log(`\nInstallers in ${path.join(root, 'release')}:\n${artifacts.map((a) => `  ${path.relative(root, a)}`).join('\n')}`);
} catch (err) {
  failed = err;
} finally {
  restore();
  for (const { file, copy } of backups) copyFileSync(copy, file);
  rmSync(backupDir, { recursive: true, force: true });
}
if (failed) fail(explainBuildError(failed, electronVersion), failed);
