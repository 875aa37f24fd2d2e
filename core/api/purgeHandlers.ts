import type { purgeContract } from '../../shared/ipc/purgeContract';
import { checkStopPurge } from '../security/purgeCheck';
import type { HandlerMap } from './handler';

export const purgeHandlers: HandlerMap<keyof typeof purgeContract> = {
  'retention:check': ({ stopId }, ctx) => checkStopPurge(ctx.store, stopId),
};
