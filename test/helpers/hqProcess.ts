import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './testStore';

const MAIN = path.join(REPO_ROOT, 'hq/server/main.ts');

export interface HqProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `npm run hq` as its own process (node + tsx), on a data folder and port; resolves once it listens. */
export async function startHqProcess(dataDir: string, port = 0, env: NodeJS.ProcessEnv = {}): Promise<HqProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--data-dir', dataDir, '--port', String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`HQ did not start: ${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /HQ listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`HQ exited with ${code}: ${out}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => out,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Runs an HQ CLI command (`npm run hq -- <args>`) to completion; answers its output. */
export function runHqCli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const res = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args, '--data-dir', dataDir], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`hq ${args.join(' ')} failed (${res.status}): ${res.stderr}${res.stdout}`);
  return res.stdout;
}

export function cliEnrollCode(dataDir: string, args: string[] = []): string {
  const out = runHqCli(dataDir, ['enroll-code', ...args]);
  const m = /Enrollment code: ([0-9A-Z-]+)/.exec(out);
  if (!m?.[1]) throw new Error(`No code in: ${out}`);
  return m[1];
}
