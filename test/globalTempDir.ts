import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every test run gets one temp folder of its own (TMPDIR, which os.tmpdir() and spawned hosts, Chromium and
 * PostgreSQL follow), removed when the run ends: stores with people's names and emails never stay behind,
 * whichever test forgot to clean up. 0711: the PostgreSQL tests' own folder (owned by postgres) sits inside.
 */
export default function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'roadshow-tests-'));
  chmodSync(root, 0o711);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
