import type { appContract, Settings } from '../../shared/ipc/appContract';
import type { Language } from '../../shared/vocab';
import { perDb } from '../store/perDb';
import { createSettingsQueries } from '../store/queries/settingsQueries';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const settingsQ = perDb(createSettingsQueries);

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
    const acked = Number(settingsQ(db).get('hq_acked_seq') ?? '0');
    const own = db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(device_seq), 0) AS n FROM events WHERE device_id = ?').get(ctx.store.deviceId)!.n;
    return {
      version: ctx.version,
      mode: ctx.mode,
      deviceId: ctx.store.deviceId,
      dataDir: ctx.dataDir,
      eventCount,
      unsyncedCount: Math.max(0, own - acked),
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
