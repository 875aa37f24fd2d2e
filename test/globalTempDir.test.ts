import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the test run’s temp folder (test/globalTempDir.ts)', () => {
  it('is where every temp file of the tests goes, so the run can remove all of it', () => {
    expect(path.basename(os.tmpdir())).toMatch(/^roadshow-tests-/);
  });
});

describe('run folders of killed runs (test/tempRoot.ts)', () => {
  it('sweeps a run folder whose owner process is gone, keeps one whose owner lives and one just starting', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } = await import('node:fs');
    const { spawnSync } = await import('node:child_process');
    const { sweepAbandonedRoots } = await import('./tempRoot');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sweep-'));
    try {
      // A pid that surely has ended: a child that ran and exited.
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      const dead = path.join(tmp, 'roadshow-tests-dead');
      mkdirSync(dead);
      writeFileSync(path.join(dead, 'owner.pid'), String(gone));
      writeFileSync(path.join(dead, 'roadshow.sqlite'), 'people');
      const live = path.join(tmp, 'roadshow-bench-run-live');
      mkdirSync(live);
      writeFileSync(path.join(live, 'owner.pid'), String(process.pid));
      const starting = path.join(tmp, 'roadshow-tests-starting');
      mkdirSync(starting);
      const other = path.join(tmp, 'someone-else');
      mkdirSync(other);

      expect(sweepAbandonedRoots(tmp)).toEqual([dead]);
      expect([existsSync(dead), existsSync(live), existsSync(starting), existsSync(other)]).toEqual([false, true, true, true]);
      // A folder without its owner file long after it was made is abandoned too.
      expect(sweepAbandonedRoots(tmp, Date.now() + 10 * 60_000)).toEqual([starting]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
