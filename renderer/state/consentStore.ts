import { create } from 'zustand';
import type { ConsentHistoryEntry } from '../../shared/ipc/consentContract';
import { api } from '../api/apiClient';

interface ConsentState {
  attendeeId: string | null;
  entries: ConsentHistoryEntry[] | null;
  error: unknown;
  /** Every consent the person gave, newest first, with the version of the text they agreed to (issue #22). */
  load(attendeeId: string): Promise<void>;
}

export const useConsentStore = create<ConsentState>()((set, get) => ({
  attendeeId: null,
  entries: null,
  error: null,
  async load(attendeeId) {
    set({ attendeeId, entries: null, error: null });
    try {
      const entries = await api().call('consent:history', { attendeeId });
      if (get().attendeeId === attendeeId) set({ entries });
    } catch (error) {
      if (get().attendeeId === attendeeId) set({ error });
    }
  },
}));
