import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { ApiContext } from '../api/apiContext';
import { defaultDataDir } from './dataDir';
import { startHost } from './hostServer';
import { loadOrCreateKeyFile } from './keyFile';
import { lazyHubHost } from './lazyHubHost';
import { startMark } from './startTrace';

/**
 * Browser mode's process: `node dist/host/host.mjs [--data-dir DIR] [--port N] [--no-demo] [--no-demo-schedules] [--demo-sign-in]
 * [--lock-minutes N] [--hub-port N] [--clock-file FILE]`
 * (`--hub-port`: where the venue hub listens when started from the Sync screen; default 8470). The store is encrypted with the key in DATA_DIR/roadshow.key (owner-only).
 * `--clock-file` is for the browser tests only: the host's clock (events, automatic no-shows, offer expiry) reads
 * the instant written in FILE (ISO-8601) at every call, so a test moves it together with Playwright's page.clock;
 * while FILE is missing or unreadable the system clock runs.
 */
const HOST_USAGE = `Roadshow Desk, browser mode: the app's core and screens served on this computer only (127.0.0.1)

  node dist/host/host.mjs [options]        (npm start does this where Electron is not installed)

  --data-dir DIR         the store's folder (default: the app's user data folder, or ROADSHOW_DATA_DIR)
  --port N               the port to serve on (default: any free port); open the address it prints
  --no-demo              start without the demo tour (a new laptop: get the plan from HQ, a venue hub or a USB bundle)
  --no-demo-schedules    the demo tour without its demo bookings
  --demo-sign-in         start signed in as the demo stop lead (tests and demos)
  --lock-minutes N       lock the desk after N idle minutes (default 10)
  --hub-port N           where the venue hub listens when started from the Sync screen (default 8470)
  --app-root DIR         the folder holding dist/ and resources/ (default: beside this program)
  --clock-file FILE      tests only: the host's clock reads the instant written in FILE
  -h, --help             this text`;

/** Options, or null when the person only asked for the usage (printed). Unknown options are bad input (exit 2). */
function readOptions() {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      'no-demo-schedules': { type: 'boolean', default: false },
      'app-root': { type: 'string' },
      'demo-sign-in': { type: 'boolean', default: false },
      'lock-minutes': { type: 'string' },
      'hub-port': { type: 'string' },
      'clock-file': { type: 'string' },
    },
  });
  return values;
}

async function main(): Promise<void> {
  startMark('modules loaded');
  let values: ReturnType<typeof readOptions>;
  try {
    values = readOptions();
  } catch (err) {
    // A flag parseArgs does not know, or one without its value: say which, show the usage, no stack trace.
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${HOST_USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HOST_USAGE);
    return;
  }
  const clockFile = values['clock-file'];
  const here = path.dirname(fileURLToPath(import.meta.url));
  const appRoot = values['app-root'] ?? path.resolve(here, '..', '..');
  const dataDir = values['data-dir'] ?? process.env.ROADSHOW_DATA_DIR ?? defaultDataDir();
  const key = loadOrCreateKeyFile(dataDir);
  startMark('key file');
  // Listen first, then open the store: the browser opens the page (and loads the app's code) while the store
  // opens, a new one is filled with the demo, and the API's code loads; the API's calls wait for that
  // (docs/architecture.md, rule 11). This module loads only the HTTP server's code; the rest comes below.
  let ready!: (ctx: ApiContext) => void;
  let failed!: (err: unknown) => void;
  const api = new Promise<ApiContext>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const host = await startHost({ ctx: api, rendererDir: path.join(appRoot, 'dist', 'renderer'), port: values.port ? Number(values.port) : undefined });
  startMark('HTTP server listening');
  console.log(`Roadshow Desk (browser mode) — data in ${dataDir}`);
  console.log(`Open ${host.openUrl}`);
  let shutdown: () => void = () => undefined;
  try {
    // The page's document and code first (a start that opens the page at once: the bench, a test), then the
    // store's code, while the browser parses the app's (see RunningHost.pageCodeSent).
    await host.pageCodeSent;
    startMark('page code sent');
    const { bootstrap } = await import('./bootstrap');
    startMark('store code loaded');
    const booted = bootstrap({
      dataDir,
      key,
      // The venue hub, when the stop lead starts it from the Sync screen: its log encrypted with the store's key.
      // Loaded when first started (a desk that never serves a hub does not load the HQ server's code at start).
      hubHost: lazyHubHost(async () => {
        const { EmbeddedHub } = await import('../../hq/server/hub/embeddedHub');
        return new EmbeddedHub({ dir: path.join(dataDir, 'hub'), key, port: values['hub-port'] ? Number(values['hub-port']) : undefined });
      }),
      signInDemoLead: values['demo-sign-in'],
      lockAfterMinutes: values['lock-minutes'] ? Number(values['lock-minutes']) : undefined,
      resourcesDir: path.join(appRoot, 'resources'),
      mode: 'browser',
      version: process.env.npm_package_version ?? '0.1.0',
      demo: !values['no-demo'],
      demoSchedules: !values['no-demo-schedules'],
      now: clockFile ? () => testClock(clockFile) : undefined,
    });
    shutdown = booted.shutdown;
    ready(booted.ctx);
  } catch (err) {
    // No store (a wrong key, a damaged file): the page's calls get an error, and the host stops.
    failed(err);
    await host.close();
    throw err;
  }
  if (clockFile) console.warn(`[test] the host's clock reads ${clockFile} (--clock-file: for tests only)`);
  const stop = async (): Promise<void> => {
    await host.close();
    shutdown();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** The instant in the test's clock file; the system clock when it holds none. */
function testClock(file: string): number {
  try {
    const ms = Date.parse(readFileSync(file, 'utf8').trim());
    return Number.isNaN(ms) ? Date.now() : ms;
  } catch {
    return Date.now();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
