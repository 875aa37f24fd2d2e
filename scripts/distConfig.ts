// What `npm run dist` (scripts/dist.ts) decides before electron-builder runs; pure, so the builder tests check it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

/** The parts of electron-builder.yml these checks read. */
export interface BuilderConfig {
  electronVersion?: string;
  electronDist?: string;
  files?: string[];
  publish?: unknown;
  [key: string]: unknown;
}

export interface PackageJson {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export const readBuilderConfig = (root: string): BuilderConfig => yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
export const readPackageJson = (root: string): PackageJson => JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;

/**
 * electron-builder reads Electron's version from dependencies/devDependencies only, and Electron is an
 * optionalDependency here (npm skips it where its binary cannot be downloaded): electron-builder.yml names the
 * version, and it must be exactly the one npm installs, or the app is packed with another Electron than the one
 * it was developed and tested with. Returns the problem, or null.
 */
export function electronVersionProblem(config: BuilderConfig, pkg: PackageJson): string | null {
  const wanted = pkg.optionalDependencies?.electron;
  if (!wanted) return 'package.json names no Electron in optionalDependencies.';
  if (!/^\d+\.\d+\.\d+$/.test(wanted)) return `package.json's Electron "${wanted}" is a range: pin one version (electron-builder downloads exactly that one).`;
  if (pkg.dependencies?.electron || pkg.devDependencies?.electron) return 'Electron belongs in optionalDependencies only (electron-builder refuses it in dependencies, npm ci fails on it in devDependencies where it cannot be downloaded).';
  if (config.electronVersion === undefined) return `electron-builder.yml has no electronVersion: add "electronVersion: ${wanted}".`;
  if (String(config.electronVersion) !== wanted) return `electron-builder.yml builds with Electron ${String(config.electronVersion)} but package.json installs ${wanted}: make them equal.`;
  return null;
}

/** electron-builder's `publish` entry: where the packaged app looks for updates (written into app-update.yml). */
export type PublishConfig = { provider: 'generic'; url: string; channel?: string } | { provider: 'github'; owner: string; repo: string; releaseType?: 'release' };

export class DistConfigError extends Error {}

/**
 * The update feed, from the environment of the build:
 * - `ROADSHOW_UPDATE_URL=https://updates.example.org/roadshow-desk/` → electron-updater's generic provider (a plain
 *   HTTPS folder holding latest.yml / latest-mac.yml / latest-linux.yml and the installers);
 * - `ROADSHOW_UPDATE_GITHUB=owner/repo` → the GitHub provider (the repository's published releases);
 * - neither → null: the app is built without updates (it says so in Settings), as for a local test build.
 * Only https is accepted: the feed says which file to install and its checksum.
 */
export function publishFromEnv(env: Record<string, string | undefined>): PublishConfig | null {
  const url = env.ROADSHOW_UPDATE_URL?.trim();
  const github = env.ROADSHOW_UPDATE_GITHUB?.trim();
  if (url && github) throw new DistConfigError('Set either ROADSHOW_UPDATE_URL or ROADSHOW_UPDATE_GITHUB, not both.');
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DistConfigError(`ROADSHOW_UPDATE_URL is not a URL: ${url}`);
    }
    if (parsed.protocol !== 'https:') throw new DistConfigError(`ROADSHOW_UPDATE_URL must start with https:// (it was ${parsed.protocol}//…).`);
    if (parsed.username || parsed.password) throw new DistConfigError('ROADSHOW_UPDATE_URL must not carry a user name or password: it is written into every installed app.');
    const channel = env.ROADSHOW_UPDATE_CHANNEL?.trim();
    return channel ? { provider: 'generic', url: parsed.href, channel } : { provider: 'generic', url: parsed.href };
  }
  if (github) {
    const m = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(github);
    if (!m) throw new DistConfigError(`ROADSHOW_UPDATE_GITHUB must be owner/repo (it was "${github}").`);
    return { provider: 'github', owner: m[1]!, repo: m[2]!, releaseType: 'release' };
  }
  return null;
}

/**
 * The one-line reason electron-builder stopped, for the cases that have a known cause; the full error is printed
 * only with DEBUG set. Electron and the native-module prebuilds are downloaded from GitHub while packaging.
 */
export function explainBuildError(err: unknown, electronVersion: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|status code 40[34]/i.test(message)) {
    return (
      `Electron ${electronVersion} could not be downloaded (${message.split('\n')[0]}). electron-builder packs a prebuilt ` +
      'Electron and needs it from GitHub (or ELECTRON_MIRROR, or a cached copy in ELECTRON_CACHE, or electronDist). ' +
      'Build the installers where that download works: the "Installers" GitHub Actions workflow (.github/workflows/installers.yml) does.'
    );
  }
  return message.split('\n')[0] ?? message;
}

/**
 * What must and must not be in the packed app (app.asar's file list, paths starting with "/"): the bundles, the
 * updater; not Electron's npm package (a build tool that, where it installed, holds a whole Electron), not the
 * sources or source maps. `npm run dist` checks every packed app with it before making installers.
 */
export function packedAppProblems(files: readonly string[]): string[] {
  const has = new Set(files.map((f) => f.replaceAll('\\', '/')));
  const problems: string[] = [];
  for (const f of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/node_modules/electron-updater/package.json']) {
    if (!has.has(f)) problems.push(`missing ${f}`);
  }
  for (const f of has) {
    if (/^\/node_modules\/(electron|@electron\/get)(\/|$)/.test(f)) problems.push(`Electron's npm package is packed: ${f}`);
    else if (f.endsWith('.map') && f.startsWith('/dist/')) problems.push(`source map packed: ${f}`);
    else if (/^\/(core|electron|renderer|shared|hq|test|scripts)\//.test(f)) problems.push(`source packed: ${f}`);
    if (problems.length > 20) break;
  }
  return problems;
}
