import type { bundleContract } from '../../shared/ipc/bundleContract';
import { buildBundle, importBundleIntoStore } from '../sync/bundle';
import type { HandlerMap } from './handler';

export const bundleHandlers: HandlerMap<keyof typeof bundleContract> = {
  'bundle:export': ({ scope }, ctx) => {
    const b = buildBundle(ctx.store, { scope });
    return { filename: b.fileName, mimeType: 'application/gzip', base64: b.bytes.toString('base64'), deviceId: b.deviceId, fromSeq: b.fromSeq, toSeq: b.toSeq, count: b.count };
  },
  'bundle:import': ({ base64 }, ctx) => importBundleIntoStore(ctx.store, Buffer.from(base64, 'base64')),
};
