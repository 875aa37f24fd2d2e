import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/testStore';

/** The two programs a person starts from a terminal: `--help` prints the usage and exits 0; a wrong flag says so, without a stack trace. */
const run = (main: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, main), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });

describe('command-line help', () => {
  for (const [main, first] of [
    ['core/host/main.ts', 'Roadshow Desk, browser mode'],
    ['hq/server/main.ts', 'Roadshow Desk HQ server'],
  ] as const) {
    it(`${main} --help prints the usage and exits 0`, () => {
      for (const flag of ['--help', '-h']) {
        const res = run(main, [flag]);
        expect(res.status, res.stderr).toBe(0);
        expect(res.stdout.startsWith(first)).toBe(true);
        expect(res.stdout).toContain('--data-dir');
        expect(res.stderr).not.toMatch(/\n\s+at /);
      }
    });

    it(`${main} refuses an unknown flag with a message, not a stack trace`, () => {
      const res = run(main, ['--no-such-flag']);
      expect(res.status).toBe(2);
      expect(res.stderr).toContain('--no-such-flag');
      expect(res.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
