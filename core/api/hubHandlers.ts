import type { hubContract } from '../../shared/ipc/hubContract';
import { HubService } from '../sync/hubService';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

const services = new WeakMap<ApiContext, HubService>();

/**
 * One hub link per running app (its loop and live status). Keyed by the context, not the store:
 * after a restore the context points at the new store and the loop follows it.
 */
export function hubServiceOf(ctx: ApiContext): HubService {
  let s = services.get(ctx);
  if (!s) {
    s = new HubService(() => ctx.store);
    services.set(ctx, s);
  }
  return s;
}

export const hubHandlers: HandlerMap<keyof typeof hubContract> = {
  'hub:connect': (input, ctx) => hubServiceOf(ctx).connect(input),
  'hub:auto': ({ on }, ctx) => hubServiceOf(ctx).setAuto(on),
  'hub:status': (_input, ctx) => hubServiceOf(ctx).status(),
  'hub:syncNow': (_input, ctx) => hubServiceOf(ctx).syncNow(),
  'hub:forget': (_input, ctx) => hubServiceOf(ctx).forget(),
};
