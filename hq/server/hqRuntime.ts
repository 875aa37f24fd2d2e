import { secureDataDir } from '../../core/host/dataDir';
import path from 'node:path';
import { openStore } from '../../core/store/openStore';
import { HqProjections } from './hqProjections';
import { LeadOutcomes } from './leads/leadOutcomes';
import { PostgresHqStorage } from './postgresStorage';
import { SqliteHqStorage } from './sqliteStorage';
import type { HqStorage } from './storage';

export const HQ_DEVICE_ID = 'hq';

export interface HqRuntime {
  dataDir: string;
  storage: HqStorage;
  projections: HqProjections;
  /** Institutions' follow-up outcomes (issue #21): HQ-only events, never pulled by a desk. */
  leads: LeadOutcomes;
  /** Where the events live, for the start-up banner (never prints a password). */
  describe: string;
  close(): Promise<void>;
}

/**
 * Opens HQ's storage (SQLite in the data folder, or PostgreSQL at `databaseUrl`) and its projection store.
 * `foldThread`: fold the projections on a thread of their own (the server, `serve`); a one-off command
 * folds what it needs on its own thread of control.
 */
export async function openHqRuntime(opts: { dataDir: string; databaseUrl?: string | undefined; pgPoolSize?: number; key?: Buffer | undefined; foldThread?: boolean }): Promise<HqRuntime> {
  secureDataDir(opts.dataDir);
  const storage: HqStorage = opts.databaseUrl
    ? await PostgresHqStorage.open(opts.databaseUrl, { max: opts.pgPoolSize })
    : new SqliteHqStorage(path.join(opts.dataDir, 'hq-events.sqlite'), { key: opts.key });
  const store = openStore(path.join(opts.dataDir, 'hq-projections.sqlite'), { deviceId: HQ_DEVICE_ID, key: opts.key });
  const projections = new HqProjections(store, storage, { thread: opts.foldThread ?? false });
  const leads = LeadOutcomes.open({ dataDir: opts.dataDir, key: opts.key, projections: store, storage, catchUp: () => projections.catchUp() });
  // Outcomes recorded just before a crash, not yet in the log.
  await leads.publish();
  const describe = opts.databaseUrl ? `PostgreSQL ${redact(opts.databaseUrl)}` : `SQLite ${path.join(opts.dataDir, 'hq-events.sqlite')}`;
  return {
    dataDir: opts.dataDir,
    storage,
    projections,
    leads,
    describe,
    async close() {
      projections.stop();
      await projections.catchUp().catch(() => 0);
      await projections.close();
      leads.close();
      await storage.close();
      store.close();
    },
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(DATABASE_URL)';
  }
}
