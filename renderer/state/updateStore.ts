import { useEffect } from 'react';
import { create } from 'zustand';
import type { UpdateStatus } from '../../shared/ipc/updateContract';
import { api } from '../api/apiClient';

/** How often the window asks the main process about updates: quick while a download runs, else rarely. */
export const UPDATE_POLL_MS = 60_000;
export const UPDATE_POLL_BUSY_MS = 2_000;

export type UpdateBusy = 'check' | 'install' | null;

interface UpdateState {
  status: UpdateStatus | null;
  busy: UpdateBusy;
  /** The last action's error (translated by the screen); polling errors stay quiet. */
  error: unknown;
  /** The version whose "ready" notice was put off with "Later" (shown again in Settings, and for a newer one). */
  dismissedVersion: string | null;
  load(): Promise<UpdateStatus | null>;
  check(): Promise<void>;
  install(): Promise<void>;
  dismiss(): void;
}

export const getEmptyUpdateState = (): Pick<UpdateState, 'status' | 'busy' | 'error' | 'dismissedVersion'> => ({
  status: null,
  busy: null,
  error: null,
  dismissedVersion: null,
});

/** The desktop app's update status (core/update via `app:updateStatus`): the notice and Settings → Updates read it. */
export const useUpdateStore = create<UpdateState>()((set, get) => ({
  ...getEmptyUpdateState(),
  async load() {
    try {
      const status = await api().call('app:updateStatus', {});
      set({ status });
      return status;
    } catch {
      return null;
    }
  },
  async check() {
    set({ busy: 'check', error: null });
    try {
      set({ status: await api().call('app:checkForUpdates', {}) });
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: null });
    }
  },
  async install() {
    set({ busy: 'install', error: null });
    try {
      await api().call('app:installUpdate', {});
      // The app quits and restarts into the new version; the button stays busy until then.
    } catch (error) {
      set({ error, busy: null });
      void get().load();
    }
  },
  dismiss() {
    set({ dismissedVersion: get().status?.availableVersion ?? null });
  },
}));

const isBusy = (s: UpdateStatus | null): boolean => s?.phase === 'checking' || s?.phase === 'downloading';

/** Keeps the update status fresh while mounted (the signed-in window). Browser mode answers once and is never asked again. */
export function useUpdatePolling(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const tick = async () => {
      const status = await useUpdateStore.getState().load();
      if (stopped || status?.phase === 'off') return;
      timer = setTimeout(() => void tick(), isBusy(status) ? UPDATE_POLL_BUSY_MS : UPDATE_POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, []);
}
