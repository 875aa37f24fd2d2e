import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `DATA_DIR/roadshow.pid` while an app process has the store open (the restore command checks it). */
export const PID_FILE_NAME = 'roadshow.pid';

export function writePidFile(dataDir: string): () => void {
  const file = path.join(dataDir, PID_FILE_NAME);
  writeFileSync(file, String(process.pid), { mode: 0o600 });
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
}

/** The pid of a live app process using `dataDir`, or null (no file, or the process is gone: a crash). */
export function runningPid(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(dataDir, PID_FILE_NAME), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
