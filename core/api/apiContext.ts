import type { Store } from '../store/openStore';

/** What every handler gets: the open store and facts about the running host. */
export interface ApiContext {
  store: Store;
  mode: 'electron' | 'browser';
  dataDir: string;
  version: string;
  /** The staff member signed in at this desk, recorded as the actor of every event. */
  actorId: string | null;
}
