import type { DeskSession } from '../security/deskSession';
import type { Store } from '../store/openStore';
import type { StoreVault } from '../store/storeVault';
import type { HubHost } from '../sync/hubHost';
import type { UpdateHost } from '../update/updateController';

/** What every handler gets: the open store and facts about the running host. */
export interface ApiContext {
  store: Store;
  mode: 'electron' | 'browser';
  dataDir: string;
  version: string;
  /** The staff member signed in at this desk, recorded as the actor of every event. */
  actorId: string | null;
  /**
   * Staff sign-in of this desk (core/security/deskSession.ts). Set by bootstrap for both shells, so
   * every channel is authorized (core/api/authorization.ts); absent only in trusted in-process
   * callers (unit tests, CLI), which act as an unrestricted caller.
   */
  session?: DeskSession;
  /** The store's file and key (bootstrap), for the restore action; absent in tests that do not restore. */
  vault?: StoreVault;
  /** Runs a venue hub inside this app (injected by the hosts); absent where the app cannot serve one. */
  hubHost?: HubHost;
  /** The desktop app's updater (electron/main/updater.ts); absent in browser mode, whose updates the desktop app manages. */
  updates?: UpdateHost;
}
