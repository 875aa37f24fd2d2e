import { create } from 'zustand';
import type { DigestCheck, SyncResult, SyncStatus } from '../../shared/ipc/syncContract';
import { api } from '../api/apiClient';
import { useAppStore } from './appStore';

export type SyncBusy = 'configure' | 'enroll' | 'sync' | 'digest' | null;

interface SyncState {
  status: SyncStatus | null;
  result: SyncResult | null;
  digest: DigestCheck | null;
  /** The last action's error (translated by the screen); null after a success. */
  error: unknown;
  /** Which action last succeeded, for its confirmation line. */
  done: Exclude<SyncBusy, null> | null;
  busy: SyncBusy;
  load(probe?: boolean): Promise<void>;
  /** `certFingerprint`: a venue hub's pinned certificate (empty: CA verification). */
  configure(url: string, certFingerprint?: string): Promise<void>;
  enroll(code: string, label: string): Promise<void>;
  syncNow(): Promise<void>;
  checkDigest(): Promise<void>;
}

/** Every status that arrives also sets the one unsent count the header and the Sync screen show (appStore). */
function noted(status: SyncStatus): SyncStatus {
  useAppStore.getState().noteUnsynced(status.unsynced);
  return status;
}

export const getEmptySyncState = () => ({ status: null, result: null, digest: null, error: null, done: null, busy: null as SyncBusy });

const POLL_MS = 400;

/** The Sync screen and the header's connection badge: status, actions, progress while a sync runs. */
export const useSyncStore = create<SyncState>()((set, get) => {
  const act = async (busy: Exclude<SyncBusy, null>, fn: () => Promise<void>) => {
    set({ busy, error: null, done: null });
    try {
      await fn();
      set({ done: busy });
    } catch (error) {
      set({ error });
      await get().load().catch(() => undefined);
    } finally {
      set({ busy: null });
    }
  };
  return {
    ...getEmptySyncState(),
    async load(probe = false) {
      try {
        set({ status: noted(await api().call('sync:status', { probe })) });
      } catch (error) {
        set({ error });
      }
    },
    configure: (url, certFingerprint = '') => act('configure', async () => set({ status: noted(await api().call('sync:configure', { url, certFingerprint })) })),
    enroll: (code, label) => act('enroll', async () => set({ status: noted(await api().call('sync:enroll', { code, label })) })),
    syncNow: () =>
      act('sync', async () => {
        set({ result: null, digest: null });
        // Progress: poll the status while the sync call runs (the handler stays responsive between batches).
        let running = true;
        const poll = (async () => {
          while (running) {
            await new Promise((r) => setTimeout(r, POLL_MS));
            if (running) await get().load();
          }
        })();
        try {
          const result = await api().call('sync:now', {});
          set({ result, digest: result.digest });
        } finally {
          running = false;
          await poll;
          await get().load();
          void useAppStore.getState().refreshInfo({ received: true });
        }
      }),
    checkDigest: () => act('digest', async () => set({ digest: await api().call('sync:digest', {}) })),
  };
});
