import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ApiContext } from '../api/apiContext';
import { loadDemoData } from '../demo/demoData';
import { seedDemoIfEmpty } from '../demo/seedDemo';
import { openStore, type Store } from '../store/openStore';

export interface BootOptions {
  dataDir: string;
  resourcesDir: string;
  mode: ApiContext['mode'];
  version: string;
  key?: Buffer;
  /** Fill a new store with the demo tour (default on: a newcomer sees real-looking data). */
  demo?: boolean;
}

/** Opens the store in the data folder, seeds demo data on first run: shared by Electron and browser mode. */
export function bootstrap(opts: BootOptions): { store: Store; ctx: ApiContext } {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const store = openStore(path.join(opts.dataDir, 'roadshow.sqlite'), { key: opts.key });
  if (opts.demo !== false) seedDemoIfEmpty(store, loadDemoData(opts.resourcesDir));
  const ctx: ApiContext = { store, mode: opts.mode, dataDir: opts.dataDir, version: opts.version, actorId: null };
  return { store, ctx };
}
