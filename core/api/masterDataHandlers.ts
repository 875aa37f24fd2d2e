import type { masterDataContract } from '../../shared/ipc/masterDataContract';
import { perDb } from '../store/perDb';
import { createMasterDataQueries } from '../store/queries/masterDataQueries';
import { readSettings } from './appHandlers';
import type { HandlerMap } from './handler';

const q = perDb(createMasterDataQueries);

export const masterDataHandlers: HandlerMap<keyof typeof masterDataContract> = {
  'tour:get': (_i, ctx) => q(ctx.store.db).tour(readSettings(ctx).currentTourId),
  'stops:list': (_i, ctx) => q(ctx.store.db).stops(),
  'institutions:list': (_i, ctx) => q(ctx.store.db).institutions(),
  'booths:list': ({ stopId }, ctx) => q(ctx.store.db).booths(stopId),
};
