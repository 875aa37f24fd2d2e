import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/testStore';

/**
 * The layer rules of docs/architecture.md as a test (VS Code's code-layering, at error level):
 * every import of every source file is checked against what its folder may import.
 */
const RULES: { folder: string; mayImport: (target: string, spec: string) => boolean }[] = [
  { folder: 'shared', mayImport: (t, spec) => t.startsWith('shared/') || spec === 'zod' },
  { folder: 'core', mayImport: (t, spec) => t.startsWith('core/') || t.startsWith('shared/') || (!spec.startsWith('.') && spec !== 'electron') },
  { folder: 'renderer', mayImport: (t, spec) => t.startsWith('renderer/') || t.startsWith('shared/') || (!spec.startsWith('.') && !spec.startsWith('node:') && !['electron', 'better-sqlite3-multiple-ciphers', 'fastify'].includes(spec)) },
  { folder: 'electron/preload', mayImport: (t, spec) => t.startsWith('electron/preload/') || t.startsWith('shared/') || spec === 'electron' },
  { folder: 'electron/main', mayImport: (t, spec) => !t.startsWith('renderer/') && !t.startsWith('hq/') && (t !== '' || !spec.startsWith('.')) },
  { folder: 'hq', mayImport: (t) => !t.startsWith('electron/') && !t.startsWith('renderer/') },
];

/**
 * The one crossing allowed: the app's two entry points (browser-mode host, Electron main) may embed
 * the venue hub, which is the HQ server program (docs/venue-hub.md). Nothing else in core/ or
 * electron/ may reach into hq/.
 */
const EXCEPTIONS = [
  { file: 'core/host/main.ts', target: 'hq/server/hub/embeddedHub' },
  { file: 'electron/main/main.ts', target: 'hq/server/hub/embeddedHub' },
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(p);
      else if (/\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(path.join(REPO_ROOT, dir));
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('layering', () => {
  for (const rule of RULES) {
    it(`${rule.folder}/ imports only what its layer may`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(rule.folder)) {
        const src = readFileSync(file, 'utf8');
        for (const m of src.matchAll(IMPORT_RE)) {
          const spec = (m[1] ?? m[2])!;
          const target = spec.startsWith('.') ? path.relative(REPO_ROOT, path.resolve(path.dirname(file), spec)).split(path.sep).join('/') : '';
          const rel = path.relative(REPO_ROOT, file).split(path.sep).join('/');
          if (EXCEPTIONS.some((x) => x.file === rel && x.target === target)) continue;
          if (!rule.mayImport(target, spec)) violations.push(`${rel} imports ${spec}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('the checker catches a violation', () => {
    const rule = RULES.find((r) => r.folder === 'renderer')!;
    expect(rule.mayImport('core/store/openStore', '../core/store/openStore')).toBe(false);
    expect(RULES.find((r) => r.folder === 'core')!.mayImport('', 'electron')).toBe(false);
    expect(RULES.find((r) => r.folder === 'shared')!.mayImport('', 'fastify')).toBe(false);
  });
});
