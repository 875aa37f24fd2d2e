import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { HQ_BUNDLE, hqBundleFresh } from '../../scripts/hqBundle.mjs';
import { REPO_ROOT } from './testStore';

const MAIN = path.join(REPO_ROOT, 'hq/server/main.ts');
/**
 * How HQ runs here: as `npm run hq` does, from its bundle (dist/hq, `node scripts/build.mjs`) when it
 * is newer than every source (decided once per test file), else from its sources through tsx.
 * HQ_FROM_SOURCE=1 forces the sources.
 */
let entry: string[] | null = null;
export function hqEntry(): string[] {
  entry ??= process.env.HQ_FROM_SOURCE !== '1' && hqBundleFresh() ? [HQ_BUNDLE] : ['--import', 'tsx', MAIN];
  return entry;
}
/** Extra node flags for the HQ processes started here, e.g. `HQ_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p"` to profile HQ in a bench. */
const NODE_ARGS = (process.env.HQ_NODE_ARGS ?? '').split(' ').filter(Boolean);

export interface HqProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Spawns `hq/server/main.ts` with `args`; resolves with its output once `ready` matches it. */
async function spawnServer(args: string[], ready: RegExp, what: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; match: RegExpExecArray; output(): string; kill(signal: NodeJS.Signals): Promise<void> }> {
  const child = spawn(process.execPath, [...NODE_ARGS, ...hqEntry(), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${out}`));
    });
  });
  return {
    child,
    match,
    output: () => out,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** `npm run hq` as its own process (its bundle, or node + tsx), on a data folder and port; resolves once it listens. */
export async function startHqProcess(dataDir: string, port = 0, env: NodeJS.ProcessEnv = {}): Promise<HqProcess> {
  const p = await spawnServer(['serve', '--data-dir', dataDir, '--port', String(port)], /HQ listening on (https?:\/\/127\.0\.0\.1:\d+)/, 'HQ', env);
  const url = p.match[1]!;
  return { url, port: Number(new URL(url).port), child: p.child, output: p.output, kill: p.kill };
}

/** Runs an HQ CLI command (`npm run hq -- <args>`) to completion; answers its output. */
export function runHqCli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const res = spawnSync(process.execPath, [...hqEntry(), ...args, '--data-dir', dataDir], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`hq ${args.join(' ')} failed (${res.status}): ${res.stderr}${res.stdout}`);
  return res.stdout;
}

export function cliEnrollCode(dataDir: string, args: string[] = []): string {
  const out = runHqCli(dataDir, ['enroll-code', ...args]);
  const m = /Enrollment code: ([0-9A-Z-]+)/.exec(out);
  if (!m?.[1]) throw new Error(`No code in: ${out}`);
  return m[1];
}

export interface HubProcess extends HqProcess {
  /** The SHA-256 fingerprint of the hub's self-signed certificate, as printed. */
  fingerprint: string;
  /** The venue join code printed at start. */
  joinCode: string;
  /** The invite text (address, pin, code) the hub shows as a QR code. */
  invite: string;
}

/** `npm run hq -- --hub` as its own process on loopback; resolves once it listens and printed its invite. */
export async function startHubProcess(dataDir: string, port = 0, args: string[] = []): Promise<HubProcess> {
  const p = await spawnServer(['--hub', '--host', '127.0.0.1', '--data-dir', dataDir, '--port', String(port), ...args], /Hub invite: (".*")/, 'The hub');
  const out = p.output();
  const url = /Hub listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  return {
    url,
    port: Number(new URL(url).port),
    child: p.child,
    invite: JSON.parse(p.match[1]!) as string,
    fingerprint: /Hub certificate SHA-256: ([0-9A-F:]+)/.exec(out)![1]!,
    joinCode: /Venue join code: ([0-9A-Z-]+)/.exec(out)![1]!,
    output: p.output,
    kill: p.kill,
  };
}
