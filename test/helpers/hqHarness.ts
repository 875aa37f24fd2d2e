import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { openStore, type Store } from '../../core/store/openStore';
import { toJson, type HqTransport } from '../../core/sync/hqTransport';
import { issueEnrollmentCode } from '../../hq/server/auth';
import { buildHqApp } from '../../hq/server/hqApp';
import { HqProjections } from '../../hq/server/hqProjections';
import { PostgresHqStorage } from '../../hq/server/postgresStorage';
import { SqliteHqStorage } from '../../hq/server/sqliteStorage';
import type { HqStorage } from '../../hq/server/storage';
import { enrollDevice } from '../../core/sync/syncClient';
import type { RunningPostgres } from './postgres';
import { tempDir } from './testStore';

export type Backend = 'sqlite' | 'postgres';

export interface TestHq {
  app: FastifyInstance;
  storage: HqStorage;
  projections: HqProjections;
  store: Store;
  transport: HqTransport;
  /** Enrolls `deviceId` with a fresh code; answers its token. */
  enroll(deviceId: string): Promise<string>;
  close(): Promise<void>;
}

let dbCounter = 0;

/** An HQ (routes, storage, projections) in-process, reached through Fastify's inject (no socket). */
export async function createTestHq(backend: Backend, opts: { pg?: RunningPostgres; now?: () => number } = {}): Promise<TestHq> {
  const dir = tempDir('roadshow-hq-');
  let storage: HqStorage;
  if (backend === 'postgres') {
    if (!opts.pg) throw new Error('createTestHq(postgres) needs a running PostgreSQL');
    storage = await PostgresHqStorage.open(await opts.pg.createDatabase(`hq_${process.pid}_${++dbCounter}`));
  } else storage = new SqliteHqStorage(path.join(dir, 'hq-events.sqlite'));
  const store = openStore(path.join(dir, 'hq-projections.sqlite'), { deviceId: 'hq' });
  const projections = new HqProjections(store, storage);
  const app = buildHqApp({ storage, projections, now: opts.now });
  await app.ready();
  const transport = injectTransport(app);
  return {
    app,
    storage,
    projections,
    store,
    transport,
    async enroll(deviceId) {
      const { code } = await issueEnrollmentCode(storage, { label: deviceId });
      return enrollDevice(transport, deviceId, code, deviceId);
    },
    async close() {
      await app.close();
      projections.stop();
      await projections.catchUp().catch(() => 0);
      await storage.close();
      store.close();
    },
  };
}

export function injectTransport(app: FastifyInstance): HqTransport {
  return {
    async request(method, url, body, token) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await app.inject({ method, url, headers, ...(method === 'POST' ? { payload: toJson(body) } : {}) });
      return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as unknown) : null, text: res.body };
    },
  };
}
