import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import FpmTarget from 'app-builder-lib/out/targets/FpmTarget';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import yaml from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { electronVersionProblem, explainBuildError, packedAppProblems, publishFromEnv, readPackageJson, DistConfigError } from '../../scripts/distConfig';
import { REPO_ROOT } from '../helpers/testStore';

interface BuilderConfig {
  appId: string;
  productName: string;
  electronVersion: string;
  files: string[];
  win: { target: { target: string }[]; icon: string; verifyUpdateCodeSignature?: boolean };
  mac: {
    target: { target: string; arch: string[] }[];
    icon: string;
    hardenedRuntime: boolean;
    entitlements: string;
    entitlementsInherit: string;
    notarize: unknown;
    extendInfo: Record<string, string>;
  };
  linux: { target: string[]; icon: string };
  deb: { depends: string[] };
  nsis: { installerIcon: string };
  dmg: { icon: string };
  publish?: unknown;
  [key: string]: unknown;
}

const config = yaml.load(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = readPackageJson(REPO_ROOT);

/** What electron-builder would pack of a path: the last matching pattern of `files` wins, as in its FileMatcher. */
function packed(file: string): boolean {
  let included = false;
  for (const pattern of config.files) {
    const negated = pattern.startsWith('!');
    if (minimatch(file, negated ? pattern.slice(1) : pattern, { dot: true })) included = !negated;
  }
  return included;
}

describe('electron-builder.yml', () => {
  it('loads and targets NSIS, DMG (+ zip for updates), AppImage and deb', () => {
    expect(config.appId).toMatch(/^[a-z0-9.]+$/);
    expect(config.productName).toBe('Roadshow Desk');
    expect(config.win.target.map((t) => t.target)).toContain('nsis');
    expect(config.mac.target.map((t) => t.target)).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('is valid for the installed electron-builder (its own schema: unknown or mistyped keys fail)', async () => {
    await expect(validateConfiguration(structuredClone(config) as unknown as Configuration, new DebugLogger(false))).resolves.toBeUndefined();
    // …also with the update feed npm run dist adds.
    const withFeed = { ...structuredClone(config), publish: publishFromEnv({ ROADSHOW_UPDATE_URL: 'https://updates.example.org/roadshow-desk/' }) };
    await expect(validateConfiguration(withFeed as unknown as Configuration, new DebugLogger(false))).resolves.toBeUndefined();
    // The check itself can fail: a notarize object is the old (≤ 24) form.
    await expect(validateConfiguration({ ...structuredClone(config), mac: { ...config.mac, notarize: { teamId: 'X' } } } as unknown as Configuration, new DebugLogger(false))).rejects.toThrow(/notarize/);
  });

  it('names only icon files that exist, in the formats each platform needs', () => {
    const icons = [config.win.icon, config.nsis.installerIcon, config.mac.icon, config.dmg.icon];
    for (const icon of icons) expect(existsSync(path.join(REPO_ROOT, icon)), icon).toBe(true);
    expect(config.win.icon).toMatch(/\.ico$/);
    expect(config.mac.icon).toMatch(/\.icns$/);
    const linuxDir = path.join(REPO_ROOT, config.linux.icon);
    expect(statSync(linuxDir).isDirectory()).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(path.join(linuxDir, `${size}x${size}.png`))).toBe(true);
    // The ICO and ICNS files wrap real PNG images.
    expect(readFileSync(path.join(REPO_ROOT, config.win.icon)).readUInt16LE(2)).toBe(1);
    expect(readFileSync(path.join(REPO_ROOT, config.mac.icon)).subarray(0, 4).toString('ascii')).toBe('icns');
  });

  it('packages the built bundles, not the sources, the source maps or the signing files', () => {
    for (const f of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'resources/demo/people.json', 'package.json']) expect(packed(f), f).toBe(true);
    for (const f of ['core/api/dispatch.ts', 'renderer/App.tsx', 'dist/electron/main.cjs.map', 'resources/mac/entitlements.mac.plist']) expect(packed(f), f).toBe(false);
    // The updater is a runtime dependency, packed with the app; Electron never is one.
    expect(pkg.dependencies?.['electron-updater']).toMatch(/^\^?6\./);
  });

  it('checks each packed app: bundles and updater in, Electron’s npm package, sources and maps out', () => {
    const good = ['/package.json', '/dist', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/node_modules/electron-updater/package.json', '/node_modules/zod/package.json', '/node_modules/electron-to-chromium/package.json'];
    expect(packedAppProblems(good)).toEqual([]);
    expect(packedAppProblems([...good, '/node_modules/electron/package.json', '/node_modules/electron/dist/electron'])).toEqual([
      "Electron's npm package is packed: /node_modules/electron/package.json",
      "Electron's npm package is packed: /node_modules/electron/dist/electron",
    ]);
    expect(packedAppProblems([...good, '/dist/electron/main.cjs.map', '/core/api/dispatch.ts'])).toEqual(['source map packed: /dist/electron/main.cjs.map', 'source packed: /core/api/dispatch.ts']);
    expect(packedAppProblems(good.filter((f) => !f.includes('electron-updater')))).toEqual(['missing /node_modules/electron-updater/package.json']);
  });

  it('builds with the Electron that npm installs (electronVersion = optionalDependencies.electron)', () => {
    expect(pkg.optionalDependencies?.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(String(config.electronVersion)).toBe(pkg.optionalDependencies?.electron);
    expect(electronVersionProblem(config, pkg)).toBeNull();
    expect(pkg.dependencies?.electron).toBeUndefined();
    expect(pkg.devDependencies?.electron).toBeUndefined();
    // The check that `npm run dist` runs first catches each way they drift apart.
    expect(electronVersionProblem({ ...config, electronVersion: '39.0.0' }, pkg)).toMatch(/39\.0\.0 .* installs 40\./);
    expect(electronVersionProblem({ ...config, electronVersion: undefined }, pkg)).toMatch(/no electronVersion/);
    expect(electronVersionProblem(config, { ...pkg, optionalDependencies: { electron: '^40.0.0' } })).toMatch(/range/);
    expect(electronVersionProblem(config, { ...pkg, dependencies: { ...pkg.dependencies, electron: pkg.optionalDependencies!.electron! } })).toMatch(/optionalDependencies only/);
  });

  it('extends the deb dependencies electron-builder would add (a `depends` list replaces them): libsecret for safeStorage', () => {
    const defaults = FpmTarget.prototype['getDefaultDepends'].call(null, 'deb') as string[];
    expect(defaults.length).toBeGreaterThan(5);
    for (const dep of defaults) expect(config.deb.depends, dep).toContain(dep);
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libsecret-1-0', 'libnss3', 'libgtk-3-0', 'libasound2']));
    expect(new Set(config.deb.depends).size).toBe(config.deb.depends.length);
  });

  it('signs macOS builds under the hardened runtime with the camera entitlement, and notarises from the environment', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/camera/i);
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      expect(plist, file).toMatch(/^<\?xml[\s\S]*<plist version="1.0">[\s\S]*<\/plist>\s*$/);
      const keys = [...plist.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<(true|false)\/>/g)].map((m) => [m[1], m[2]]);
      expect(Object.fromEntries(keys), file).toEqual({
        'com.apple.security.cs.allow-jit': 'true',
        'com.apple.security.cs.allow-unsigned-executable-memory': 'true',
        'com.apple.security.device.camera': 'true',
      });
    }
    // No credentials in the file: electron-builder reads them from the environment.
    expect(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')).not.toMatch(/cscLink|cscKeyPassword|appleId|password:|teamId/i);
  });

  it('installs Windows updates only when signed by the same publisher', () => {
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
  });

  it('leaves the update feed to npm run dist, from the environment, https only', () => {
    expect(config.publish).toBeUndefined();
    expect(publishFromEnv({})).toBeNull();
    expect(publishFromEnv({ ROADSHOW_UPDATE_URL: 'https://updates.example.org/desk' })).toEqual({ provider: 'generic', url: 'https://updates.example.org/desk' });
    expect(publishFromEnv({ ROADSHOW_UPDATE_URL: 'https://updates.example.org/desk/', ROADSHOW_UPDATE_CHANNEL: 'beta' })).toMatchObject({ channel: 'beta' });
    expect(publishFromEnv({ ROADSHOW_UPDATE_GITHUB: 'kofac/roadshow-desk' })).toEqual({ provider: 'github', owner: 'kofac', repo: 'roadshow-desk', releaseType: 'release' });
    expect(() => publishFromEnv({ ROADSHOW_UPDATE_URL: 'http://updates.example.org/' })).toThrow(DistConfigError);
    expect(() => publishFromEnv({ ROADSHOW_UPDATE_URL: 'https://user:pw@updates.example.org/' })).toThrow(/password/);
    expect(() => publishFromEnv({ ROADSHOW_UPDATE_GITHUB: 'not a repo' })).toThrow(/owner\/repo/);
    expect(() => publishFromEnv({ ROADSHOW_UPDATE_URL: 'https://a.example/', ROADSHOW_UPDATE_GITHUB: 'a/b' })).toThrow(/not both/);
  });

  it('says in one sentence why packaging stopped when Electron cannot be downloaded', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (got/index.js:970:111)'), { code: 'ENOTFOUND' });
    const text = explainBuildError(err, '40.8.5 for linux-x64');
    expect(text).toMatch(/^Electron 40\.8\.5 for linux-x64 could not be downloaded \(getaddrinfo ENOTFOUND github\.com\)/);
    expect(text).toContain('.github/workflows/installers.yml');
    expect(text).not.toContain('ClientRequest');
    expect(explainBuildError(new Error('cannot find specified resource "x"\n  at y'), '40.8.5')).toBe('cannot find specified resource "x"');
  });
});
