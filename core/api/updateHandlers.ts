import { AppError } from '../../shared/errors';
import type { updateContract } from '../../shared/ipc/updateContract';
import { browserModeUpdateStatus } from '../update/updateController';
import type { HandlerMap } from './handler';

/** The desktop app's updater (ctx.updates, set by electron/main); browser mode answers that the desktop app manages updates. */
export const updateHandlers: HandlerMap<keyof typeof updateContract> = {
  'app:updateStatus': (_input, ctx) => ctx.updates?.status() ?? browserModeUpdateStatus(ctx.version),
  'app:checkForUpdates': async (_input, ctx) => {
    if (!ctx.updates) throw new AppError('UPDATES_UNAVAILABLE', 'Updates are managed by the desktop app.', { reason: 'browserMode' });
    return ctx.updates.checkNow();
  },
  'app:installUpdate': (_input, ctx) => {
    if (!ctx.updates) throw new AppError('UPDATES_UNAVAILABLE', 'Updates are managed by the desktop app.', { reason: 'browserMode' });
    ctx.updates.install();
    return { restarting: true as const };
  },
};
