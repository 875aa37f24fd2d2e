import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { openStore } from '../../core/store/openStore';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import { tempDir } from './testStore';

export interface HttpHq {
  url: string;
  app: FastifyInstance;
  storage: SqliteHqStorage;
  projections: HqProjections;
  newCode(opts?: { deviceId?: string }): Promise<string>;
  close(): Promise<void>;
}

/** A real HQ server on a loopback port (SQLite), in this process. */
export async function startHttpHq(opts: { now?: () => number } = {}): Promise<HttpHq> {
  const dir = tempDir('roadshow-hqhttp-');
  const storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const app = buildHqApp({ storage, projections, now: opts.now });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    storage,
    projections,
    newCode: async (o = {}) => (await issueEnrollmentCode(storage, { deviceId: o.deviceId ?? null })).code,
    async close() {
      await app.close();
      projections.stop();
      await projections.catchUp().catch(() => 0);
      await storage.close();
      store.close();
    },
  };
}
