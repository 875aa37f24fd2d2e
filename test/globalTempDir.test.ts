import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the test run’s temp folder (test/globalTempDir.ts)', () => {
  it('is where every temp file of the tests goes, so the run can remove all of it', () => {
    expect(path.basename(os.tmpdir())).toMatch(/^roadshow-tests-/);
  });
});
