import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/testStore';

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  win: { target: { target: string }[]; icon: string };
  mac: { target: { target: string }[]; icon: string };
  linux: { target: string[]; icon: string };
  nsis: { installerIcon: string };
  dmg: { icon: string };
}

const config = yaml.load(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('loads and targets NSIS, DMG, AppImage and deb', () => {
    expect(config.appId).toMatch(/^[a-z0-9.]+$/);
    expect(config.productName).toBe('Roadshow Desk');
    expect(config.win.target.map((t) => t.target)).toContain('nsis');
    expect(config.mac.target.map((t) => t.target)).toContain('dmg');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
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

  it('packages the built bundles, not the sources', () => {
    expect(config.files).toContain('dist/**/*');
    expect(config.files).not.toContain('core/**/*');
  });
});
