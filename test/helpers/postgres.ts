import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RunningPostgres {
  url: string;
  dataDir: string;
  /** A fresh, empty database on this server (one per test suite or back-end run). */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** Debian's PostgreSQL binaries. Missing PostgreSQL FAILS the caller: CI installs it, nothing is skipped silently. */
export function postgresBinDir(): string {
  const candidates = [process.env.PG_BIN];
  try {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    /* not installed */
  }
  for (const c of candidates) if (c && existsSync(path.join(c, 'initdb')) && existsSync(path.join(c, 'pg_ctl'))) return c;
  throw new Error('PostgreSQL is not installed (apt-get install postgresql, or set PG_BIN): the PostgreSQL back-end tests cannot run.');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throw-away PostgreSQL server: initdb + pg_ctl in a temporary folder, on a loopback port.
 * initdb refuses to run as root, so as root the folder is given to the `postgres` user and the
 * binaries run through `runuser`. `durable: false` (tests) turns fsync off.
 */
export async function startPostgres(opts: { durable?: boolean } = {}): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const root = mkdtempSync(path.join(os.tmpdir(), 'roadshow-pg-'));
  const dataDir = path.join(root, 'data');
  const isRoot = process.getuid?.() === 0;
  let run = (cmd: string, args: string[]) => execFileSync(path.join(bin, cmd), args, { stdio: 'pipe' });
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
    run = (cmd, args) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: 'pipe' });
  }
  const port = await freePort();
  try {
    run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--locale=C']);
    const settings = [`-p ${port}`, `-k ${root}`, "-c listen_addresses='127.0.0.1'", '-c max_connections=200'];
    if (!opts.durable) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
    run('pg_ctl', ['-D', dataDir, '-l', path.join(root, 'server.log'), '-w', '-t', '60', '-o', settings.join(' '), 'start']);
  } catch (err) {
    const log = existsSync(path.join(root, 'server.log')) ? readFileSync(path.join(root, 'server.log'), 'utf8') : '';
    const out = err as { stderr?: Buffer; message: string };
    throw new Error(`PostgreSQL did not start: ${out.stderr?.toString() ?? out.message}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    dataDir,
    async createDatabase(name) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name.replace(/[^a-z0-9_]/g, '_')}`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name.replace(/[^a-z0-9_]/g, '_')}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
