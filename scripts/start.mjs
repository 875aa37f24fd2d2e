// `npm start`: the desktop app where the Electron binary is installed, browser mode where it is not.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });

if (run(process.execPath, [path.join(root, 'scripts/build.mjs')]).status !== 0) process.exit(1);

function electronBinary() {
  try {
    // The `electron` package exports the binary's path, and throws when its download failed.
    const bin = createRequire(import.meta.url)('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const forceBrowser = process.argv.includes('--browser');
const bin = forceBrowser ? null : electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

if (bin && hasDisplay) {
  // Native modules must match Electron's ABI; rebuild once (npm test rebuilds for Node when needed).
  const marker = path.join(root, 'node_modules/.roadshow-electron-abi');
  if (!existsSync(marker)) {
    if (run('npx', ['electron-builder', 'install-app-deps']).status === 0) writeFileSync(marker, new Date().toISOString());
  }
  const child = spawn(bin, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    bin
      ? 'No display for the Electron window here: running in browser mode instead.'
      : 'The Electron binary is not installed on this machine: running in browser mode instead.',
  );
  // `--browser` is this script's own option: the host is given the others (it refuses options it does not know).
  process.argv = process.argv.filter((a) => a !== '--browser');
  await import(pathToFileURL(path.join(root, 'dist/host/host.mjs')).href);
}
