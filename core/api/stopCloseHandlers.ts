import type { stopCloseContract } from '../../shared/ipc/stopCloseContract';
import { checkStopAtHq } from '../sync/stopClose';
import type { HandlerMap } from './handler';

export const stopCloseHandlers: HandlerMap<keyof typeof stopCloseContract> = {
  'closing:check': ({ stopId, at }, ctx) => checkStopAtHq(ctx.store, stopId, undefined, at),
};
