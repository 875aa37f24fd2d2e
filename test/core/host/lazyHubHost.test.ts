import { describe, expect, it } from 'vitest';
import { lazyHubHost } from '../../../core/host/lazyHubHost';
import type { HubHost, HubServeInfo } from '../../../core/sync/hubHost';

function fakeHub(log: string[]): HubHost {
  let serving = false;
  return {
    start: async () => {
      log.push('start');
      serving = true;
      return { port: 1 } as HubServeInfo;
    },
    stop: async (opts) => {
      log.push(`stop${opts?.deleteData ? ' delete' : ''}`);
      serving = false;
    },
    status: async () => (serving ? ({ port: 1 } as HubServeInfo) : null),
    issueDeskCode: async () => 'CODE',
  };
}

describe('the venue hub loaded on first use', () => {
  it('loads nothing for status or a plain stop, loads once on start and then delegates', async () => {
    const log: string[] = [];
    let loads = 0;
    const hub = lazyHubHost(async () => {
      loads++;
      return fakeHub(log);
    });
    expect(await hub.status()).toBeNull();
    await hub.stop();
    expect(loads).toBe(0);
    await hub.start();
    expect(await hub.status()).toEqual({ port: 1 });
    expect(await hub.issueDeskCode('dev-1')).toBe('CODE');
    await hub.stop();
    expect(loads).toBe(1);
    expect(log).toEqual(['start', 'stop']);
  });

  it('loads to delete the hub’s data, and tries again after a load that failed', async () => {
    const log: string[] = [];
    let fail = true;
    const hub = lazyHubHost(async () => {
      if (fail) throw new Error('no hub code');
      return fakeHub(log);
    });
    await expect(hub.start()).rejects.toThrow('no hub code');
    fail = false;
    await hub.stop({ deleteData: true });
    expect(log).toEqual(['stop delete']);
  });
});
