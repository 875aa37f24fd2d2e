import type { HubHost, HubServeInfo } from '../sync/hubHost';

/**
 * A venue hub loaded on first use: the hub is the HQ server program (Fastify, TLS certificates, its
 * own log, PostgreSQL's driver), which a desk that never serves one need not load while it starts.
 * Until then nothing serves: the status is "not serving" and stopping it has nothing to stop (except
 * deleting the hub's data, which opens the hub's log).
 */
export function lazyHubHost(load: () => Promise<HubHost>): HubHost {
  let hub: Promise<HubHost> | null = null;
  const loaded = (): Promise<HubHost> => (hub ??= load().catch((err: unknown) => {
    hub = null;
    throw err;
  }));
  return {
    start: async (opts) => (await loaded()).start(opts),
    stop: async (opts) => {
      if (!hub && !opts?.deleteData) return;
      await (await loaded()).stop(opts);
    },
    status: async (): Promise<HubServeInfo | null> => (hub ? (await hub).status() : null),
    issueDeskCode: async (deviceId) => (await loaded()).issueDeskCode(deviceId),
  };
}
