import { create } from 'zustand';
import type { PurgeCheck } from '../../shared/ipc/purgeContract';
import type { PurgeResult } from '../../shared/ipc/securityContract';
import { api } from '../api/apiClient';

interface PurgeState {
  /** Per stop: HQ's digest compared with this laptop's (core asks HQ; the renderer never vouches). */
  checks: Record<string, PurgeCheck>;
  checking: Record<string, boolean>;
  /** The stop being purged. */
  purging: string | null;
  result: PurgeResult | null;
  /** Per stop: the error of its last check or purge. */
  errors: Record<string, unknown>;
  check(stopId: string): Promise<void>;
  purge(stopId: string): Promise<void>;
}

export const getEmptyPurgeState = () => ({ checks: {}, checking: {}, purging: null, result: null, errors: {} });

/** The stop lead's purge screen (issue #19). */
export const usePurgeStore = create<PurgeState>()((set, get) => ({
  ...getEmptyPurgeState(),
  async check(stopId) {
    set((s) => ({ checking: { ...s.checking, [stopId]: true }, errors: { ...s.errors, [stopId]: null } }));
    try {
      const c = await api().call('retention:check', { stopId });
      set((s) => ({ checks: { ...s.checks, [stopId]: c } }));
    } catch (error) {
      set((s) => ({ errors: { ...s.errors, [stopId]: error } }));
    } finally {
      set((s) => ({ checking: { ...s.checking, [stopId]: false } }));
    }
  },
  async purge(stopId) {
    set((s) => ({ purging: stopId, result: null, errors: { ...s.errors, [stopId]: null } }));
    try {
      const result = await api().call('retention:purgeStop', { stopId });
      set({ result });
    } catch (error) {
      set((s) => ({ errors: { ...s.errors, [stopId]: error } }));
    } finally {
      set({ purging: null });
    }
    // Whatever happened, show the state as it is now (a refusal says what is missing).
    await get().check(stopId);
  },
}));
