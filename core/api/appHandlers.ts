import type { appContract, Settings } from '../../shared/ipc/appContract';
import type { Language } from '../../shared/vocab';
import { perDb } from '../store/perDb';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import { createSyncQueries } from '../store/queries/syncQueries';
import type { Db } from '../store/sqlite';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const settingsQ = perDb(createSettingsQueries);
const syncQ = perDb((db: Db) => createSyncQueries(db));

export function readSettings(ctx: ApiContext): Settings {
  const s = settingsQ(ctx.store.db);
  return {
    language: (s.get('language') as Language | null) ?? 'ko',
    currentStopId: s.get('current_stop_id'),
    currentTourId: s.get('current_tour_id'),
    deskName: s.get('desk_name') ?? 'Desk 1',
  };
}

export const appHandlers: HandlerMap<keyof typeof appContract> = {
  'app:info': (_input, ctx) => {
    const db = ctx.store.db;
    const eventCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events').get()!.n;
    return {
      version: ctx.version,
      mode: ctx.mode,
      deviceId: ctx.store.deviceId,
      dataDir: ctx.dataDir,
      eventCount,
      // The same query as sync:status's `unsynced` (one figure, whichever screen shows it).
      unsyncedCount: syncQ(db).unsynced(ctx.store.deviceId),
    };
  },
  'settings:get': (_input, ctx) => readSettings(ctx),
  'settings:update': (input, ctx) => {
    const s = settingsQ(ctx.store.db);
    ctx.store.events.transaction(() => {
      if (input.language !== undefined) s.set('language', input.language);
      if (input.currentStopId !== undefined && input.currentStopId !== null) s.set('current_stop_id', input.currentStopId);
      if (input.currentTourId !== undefined && input.currentTourId !== null) s.set('current_tour_id', input.currentTourId);
      if (input.deskName !== undefined) s.set('desk_name', input.deskName);
    });
    return readSettings(ctx);
  },
};
