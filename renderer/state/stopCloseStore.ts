import { create } from 'zustand';
import type { CheckTarget, StopCloseCheck } from '../../shared/ipc/stopCloseContract';
import { api } from '../api/apiClient';

interface StopCloseState {
  /** Where a check is running (HQ or the venue hub), false when none. */
  busy: false | CheckTarget;
  check: StopCloseCheck | null;
  error: unknown;
  run(stopId: string, at?: CheckTarget): Promise<void>;
}

export const getEmptyStopCloseState = () => ({ busy: false as const, check: null, error: null });

/** The stop lead's closing check: does HQ (or, at the venue, the hub) hold every desk's events? */
export const useStopCloseStore = create<StopCloseState>()((set) => ({
  ...getEmptyStopCloseState(),
  async run(stopId, at = 'hq') {
    set({ busy: at, error: null, check: null });
    try {
      set({ check: await api().call('closing:check', { stopId, at }) });
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: false });
    }
  },
}));
