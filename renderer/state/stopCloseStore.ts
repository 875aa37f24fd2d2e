import { create } from 'zustand';
import type { StopCloseCheck } from '../../shared/ipc/stopCloseContract';
import { api } from '../api/apiClient';

interface StopCloseState {
  busy: boolean;
  check: StopCloseCheck | null;
  error: unknown;
  run(stopId: string): Promise<void>;
}

export const getEmptyStopCloseState = () => ({ busy: false, check: null, error: null });

/** The stop lead's closing check: does HQ hold every desk's events of the stop? */
export const useStopCloseStore = create<StopCloseState>()((set) => ({
  ...getEmptyStopCloseState(),
  async run(stopId) {
    set({ busy: true, error: null, check: null });
    try {
      set({ check: await api().call('closing:check', { stopId }) });
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: false });
    }
  },
}));
