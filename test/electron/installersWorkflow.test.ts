import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/testStore';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; strategy: { matrix: { os: string[] } }; steps: Step[] }>;
}

const file = path.join(REPO_ROOT, '.github', 'workflows', 'installers.yml');
const text = readFileSync(file, 'utf8');
const workflow = yaml.load(text) as Workflow;
const job = Object.values(workflow.jobs)[0]!;
const steps = job.steps;
const indexOf = (pred: (s: Step) => boolean): number => steps.findIndex(pred);

/** Every string in the document with the path of keys leading to it. */
function strings(node: unknown, at: string[] = []): { at: string[]; value: string }[] {
  if (typeof node === 'string') return [{ at, value: node }];
  if (Array.isArray(node)) return node.flatMap((n, i) => strings(n, [...at, String(i)]));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, [...at, k]));
  return [];
}

describe('.github/workflows/installers.yml', () => {
  it('builds on Windows, macOS and Linux runners, each to the end', () => {
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect([...job.strategy.matrix.os].sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect((job.strategy as { 'fail-fast'?: boolean })['fail-fast']).toBe(false);
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('installs, builds the installers without publishing, uploads them, then starts the packaged app', () => {
    const install = indexOf((s) => s.run === 'npm ci');
    const dist = indexOf((s) => /^npm run dist -- .*--publish never/.test(s.run ?? ''));
    const upload = indexOf((s) => (s.uses ?? '').startsWith('actions/upload-artifact@') && String(s.with?.path ?? '').includes('release/'));
    const smokes = steps.map((s, i) => [s, i] as const).filter(([s]) => /vitest run --config vitest\.smoke\.config\.ts/.test(s.run ?? ''));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(dist).toBeGreaterThan(install);
    expect(upload).toBeGreaterThan(dist);
    expect(smokes.length).toBeGreaterThan(0);
    for (const [, i] of smokes) expect(i).toBeGreaterThan(dist);
    // Every installer kind of electron-builder.yml is uploaded.
    const uploaded = String(steps[upload]!.with!.path).split('\n').map((l) => l.trim()).filter(Boolean);
    for (const artifact of ['Roadshow Desk Setup 0.1.0.exe', 'Roadshow Desk-0.1.0-arm64.dmg', 'Roadshow Desk-0.1.0-arm64-mac.zip', 'Roadshow Desk-0.1.0.AppImage', 'roadshow-desk_0.1.0_amd64.deb', 'latest.yml']) {
      expect(uploaded.some((p) => minimatch(`release/${artifact}`, p)), artifact).toBe(true);
    }
    expect(steps[upload]!.with!['if-no-files-found']).toBe('error');
  });

  it('runs the Linux smoke test under Xvfb and the others directly, covering every OS', () => {
    const smokes = steps.filter((s) => /vitest\.smoke\.config\.ts/.test(s.run ?? ''));
    const linux = smokes.filter((s) => s.if === "runner.os == 'Linux'");
    const others = smokes.filter((s) => s.if === "runner.os != 'Linux'");
    expect(linux).toHaveLength(1);
    expect(linux[0]!.run).toMatch(/^xvfb-run /);
    expect(others).toHaveLength(1);
    expect(smokes).toHaveLength(2);
    expect(steps.some((s) => s.if === "runner.os == 'Linux'" && /apt-get install -y .*xvfb/.test(s.run ?? ''))).toBe(true);
  });

  it('reads secrets only into environment variables, never into a command line', () => {
    const withSecrets = strings(workflow).filter((s) => /\$\{\{[^}]*secrets\./.test(s.value));
    expect(withSecrets.length).toBeGreaterThan(0);
    for (const s of withSecrets) expect(s.at, s.value).toContain('env');
    for (const step of steps) expect(step.run ?? '', step.name).not.toMatch(/secrets\./);
    // The names electron-builder reads are the ones set.
    const distEnv = steps.find((s) => /^npm run dist/.test(s.run ?? ''))!.env!;
    expect(Object.keys(distEnv)).toEqual(expect.arrayContaining(['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER', 'ROADSHOW_UPDATE_URL']));
    expect(text).not.toMatch(/-----BEGIN|password:\s*\S+[^}]\s*$/m);
  });

  it('names a smoke test that exists, is typechecked, and stays out of npm test', () => {
    const smokeFiles = readdirSync(path.join(REPO_ROOT, 'test', 'electron-smoke')).filter((f) => f.endsWith('.smoke.ts'));
    expect(smokeFiles.length).toBeGreaterThan(0);
    const smokeConfig = readFileSync(path.join(REPO_ROOT, 'vitest.smoke.config.ts'), 'utf8');
    expect(smokeConfig).toContain("include: ['test/electron-smoke/**/*.smoke.ts']");
    // npm test's vitest projects take only *.test.ts(x) files.
    const unitConfig = readFileSync(path.join(REPO_ROOT, 'vitest.config.ts'), 'utf8');
    const includes = [...unitConfig.matchAll(/include: \[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(',').map((p) => p.trim().replace(/^'|'$/g, '')));
    for (const f of smokeFiles) for (const pattern of includes) expect(minimatch(`test/electron-smoke/${f}`, pattern), `${f} vs ${pattern}`).toBe(false);
    const tsconfig = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as { include: string[]; exclude: string[] };
    for (const f of smokeFiles) {
      expect(tsconfig.include.some((p) => minimatch(`test/electron-smoke/${f}`, p)), f).toBe(true);
      expect(tsconfig.exclude.some((p) => `test/electron-smoke/${f}`.startsWith(p))).toBe(false);
    }
    expect(existsSync(path.join(REPO_ROOT, 'scripts', 'dist.ts'))).toBe(true);
  });
});
