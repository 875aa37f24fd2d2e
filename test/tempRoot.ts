import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Names of the run folders this file makes: a test run's and a bench run's. */
const ROOT_PREFIXES = ['roadshow-tests-', 'roadshow-bench-run-'] as const;
const OWNER_FILE = 'owner.pid';
/** A folder without its owner file yet may be a run starting this instant: left alone for this long. */
const STARTING_GRACE_MS = 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes run folders whose run is gone without removing them (killed, Ctrl+C during teardown): their
 * stores hold people's names and emails. A folder is another run's while its owner process lives.
 */
export function sweepAbandonedRoots(tmp = os.tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(tmp)) {
    if (!ROOT_PREFIXES.some((p) => name.startsWith(p))) continue;
    const dir = path.join(tmp, name);
    let owner: number | null = null;
    try {
      owner = Number.parseInt(readFileSync(path.join(dir, OWNER_FILE), 'utf8'), 10);
    } catch {
      try {
        if (now - statSync(dir).mtimeMs < STARTING_GRACE_MS) continue;
      } catch {
        continue;
      }
    }
    if (owner !== null && Number.isInteger(owner) && owner > 0 && alive(owner)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * One temp folder for a whole run (tests or benches): TMPDIR points into it, so os.tmpdir() and every
 * spawned host, Chromium and PostgreSQL write there, and `release()` removes all of it whichever test
 * or bench forgot to. Folders of earlier runs that were killed are swept first. 0711: the PostgreSQL
 * tests' own folder (owned by postgres) sits inside.
 */
export function claimTempRoot(prefix: (typeof ROOT_PREFIXES)[number]): { root: string; release(): void } {
  const tmp = os.tmpdir();
  sweepAbandonedRoots(tmp);
  const root = mkdtempSync(path.join(tmp, prefix));
  writeFileSync(path.join(root, OWNER_FILE), String(process.pid));
  chmodSync(root, 0o711);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  let released = false;
  return {
    root,
    release() {
      if (released) return;
      released = true;
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
