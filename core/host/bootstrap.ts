import { secureDataDir } from './dataDir';
import path from 'node:path';
import type { ApiContext } from '../api/apiContext';
import { loadDemoData } from '../demo/demoData';
import { holdsDemoTour, seedDemoIfEmpty } from '../demo/seedDemo';
import { DEMO_LEAD_ID, seedDemoStaff } from '../security/demoStaff';
import { DeskSession } from '../security/deskSession';
import { startBackupSchedule } from '../store/backup';
import { hubServiceOf, resumeServing } from '../api/hubHandlers';
import { startNoShowSchedule } from '../api/noShowTimer';
import type { HubHost } from '../sync/hubHost';
import type { Store } from '../store/openStore';
import { createStaffQueries } from '../store/queries/staffQueries';
import { StoreVault } from '../store/storeVault';
import { writePidFile } from './pidFile';
import { startMark } from './startTrace';

export const STORE_FILE_NAME = 'roadshow.sqlite';

export interface BootOptions {
  dataDir: string;
  resourcesDir: string;
  mode: ApiContext['mode'];
  version: string;
  /** The store key (32 bytes): from the OS key store (Electron) or the key file (browser mode). Always set. */
  key: Buffer;
  /** Fill a new store with the demo tour (default on: a newcomer sees real-looking data). */
  demo?: boolean;
  /** With the demo: booth plans, bookings and consultations too (default on; the scheduling e2e test starts without). */
  demoSchedules?: boolean;
  /** Minutes without activity after which the desk locks (default 10). */
  lockAfterMinutes?: number;
  /**
   * Start signed in as the demo stop lead (browser-mode `--demo-sign-in`, used by the e2e tests).
   * Works only on a store whose staff are the demo staff (or that has no staff yet: they are added).
   */
  signInDemoLead?: boolean;
  /** Runs a venue hub inside the app (the hosts pass hq/server/hub/embeddedHub); absent: the Sync screen says it cannot. */
  hubHost?: HubHost;
  /** The wall clock (default the system's): browser mode's `--clock-file` moves it, for the e2e tests only. */
  now?: () => number;
}

export interface Booted {
  /** The store as opened at boot; after a restore `ctx.store` is the live one. */
  store: Store;
  ctx: ApiContext;
  /** Stops the backup timer and closes the live store. */
  shutdown(): void;
}

/** Opens the store in the data folder, seeds demo data on first run: shared by Electron and browser mode. */
export function bootstrap(opts: BootOptions): Booted {
  secureDataDir(opts.dataDir);
  const vault = new StoreVault(path.join(opts.dataDir, STORE_FILE_NAME), opts.key, opts.now);
  // Encrypts a plain store from an older version first (crash-safe), then opens and migrates it.
  const store = vault.open();
  startMark('store open (key, SQLCipher, migrations)');
  if (opts.demo !== false) {
    seedDemoIfEmpty(store, () => loadDemoData(opts.resourcesDir), { schedules: opts.demoSchedules });
    startMark('demo tour');
    if (holdsDemoTour(store)) seedDemoStaff(store);
    startMark('demo staff');
  }
  const session = new DeskSession({ lockAfterMinutes: opts.lockAfterMinutes });
  const ctx: ApiContext = { store, mode: opts.mode, dataDir: opts.dataDir, version: opts.version, actorId: null, session, vault, hubHost: opts.hubHost };
  if (opts.signInDemoLead) {
    seedDemoStaff(store);
    const lead = createStaffQueries(store.db).byId(DEMO_LEAD_ID);
    if (lead?.active) {
      session.signIn({ id: lead.id, name: lead.name, role: lead.role, institutionId: lead.institutionId });
      ctx.actorId = lead.id;
    } else {
      console.warn('[security] --demo-sign-in ignored: this store has no demo stop lead');
    }
  }
  const stopBackups = startBackupSchedule(() => ctx.store, opts.dataDir);
  // Automatic no-shows and expiring waitlist offers of the desk's stop (issue #19; off until the stop lead sets them).
  const stopNoShows = startNoShowSchedule(() => ctx);
  // A desk that was syncing with a venue hub when it closed picks the loop up again.
  const hub = hubServiceOf(ctx);
  hub.startIfEnabled();
  // The stop lead's laptop that was the venue hub when it closed serves again (the desks reconnect by themselves).
  resumeServing(ctx).catch((err: unknown) => console.error('[hub] the venue hub could not start again:', err instanceof Error ? err.message : err));
  const removePid = writePidFile(opts.dataDir);
  startMark('schedules, hub, pid file');
  return {
    store,
    ctx,
    shutdown() {
      stopBackups();
      stopNoShows();
      hub.stop();
      void opts.hubHost?.stop();
      ctx.store.close();
      removePid();
    },
  };
}
