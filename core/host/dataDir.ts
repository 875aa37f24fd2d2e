import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Roadshow Desk';

/**
 * The same folder Electron's `app.getPath('userData')` gives for this product, so the desktop
 * app and browser mode open the same store on one laptop.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME ?? os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/**
 * The data folder and what the app keeps in it, owner-only (issue #17): the folder 0700, its files 0600,
 * whether they were made now or by an older version with the default 0644. A folder the app did not make
 * for itself is left as it is when it is shared by design (sticky, like /tmp) or belongs to someone else;
 * the files in it are narrowed all the same. Also narrows this process's umask, so every file it creates
 * later (the WAL, backups, exports written here) is born owner-only. No-op on Windows (ACLs, not modes).
 */
export function secureDataDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') return;
  process.umask(0o077);
  const st = statSync(dir);
  const mine = typeof process.getuid === 'function' && st.uid === process.getuid();
  if (mine && (st.mode & 0o1000) === 0 && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  narrow(dir, 0);
}

function narrow(dir: string, depth: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      // The app's own subfolders (backups, hub data, certificates): one level is all it makes.
      if (depth < 2) {
        chmodSync(p, 0o700);
        narrow(p, depth + 1);
      }
    } else if (entry.isFile() && (statSync(p).mode & 0o077) !== 0) {
      chmodSync(p, 0o600);
    }
  }
}
