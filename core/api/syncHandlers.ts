import type { syncContract } from '../../shared/ipc/syncContract';
import { backupBeforeSync } from '../store/backup';
import type { Db } from '../store/sqlite';
import { SyncService } from '../sync/syncRunner';
import { ensureDeviceKey } from '../sync/deviceKey';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const services = new WeakMap<Db, SyncService>();
/** One SyncService per open store (it holds the "a sync is running" flag and its progress). */
function service(ctx: ApiContext): SyncService {
  let s = services.get(ctx.store.db);
  if (!s) {
    s = new SyncService(ctx.store);
    services.set(ctx.store.db, s);
  }
  return s;
}

export const syncHandlers: HandlerMap<keyof typeof syncContract> = {
  'sync:configure': ({ url, certFingerprint }, ctx) => {
    service(ctx).configure(url, certFingerprint);
    return service(ctx).status();
  },
  'sync:enroll': async ({ code, label }, ctx) => {
    await service(ctx).enroll(code, label);
    // Issue #8: the USB-bundle signing key, published by the next push so HQ holds it before any bundle.
    ensureDeviceKey(ctx.store);
    return service(ctx).status();
  },
  // A consistent copy of the store before a real sync starts (its phase "prepare"): one that goes
  // wrong (or a battery that dies in it) can be undone from Settings → Backups.
  'sync:now': (_input, ctx) => service(ctx).syncNow({ beforeSync: () => backupBeforeSync(ctx.store, ctx.dataDir) }),
  'sync:status': async ({ probe }, ctx) => {
    if (probe) await service(ctx).probe();
    return service(ctx).status();
  },
  'sync:digest': (_input, ctx) => service(ctx).digest(),
};
