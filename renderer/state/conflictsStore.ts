import { create } from 'zustand';
import type { ConflictEntry, ConflictResolution } from '../../shared/ipc/conflictsContract';
import { api } from '../api/apiClient';

interface ConflictsState {
  stopId: string | null;
  entries: ConflictEntry[] | null;
  /** The conflict being resolved (its key), while the call runs. */
  busy: string | null;
  error: unknown;
  /** The key of the conflict last resolved (for the confirmation line). */
  resolved: string | null;
  load(stopId: string): Promise<void>;
  resolve(stopId: string, key: string, r: ConflictResolution): Promise<void>;
}

export const getEmptyConflictsState = () => ({ stopId: null, entries: null, busy: null, error: null, resolved: null });

/** A conflict's identity in the list (its kind and the record it is about). */
export const conflictKey = (c: ConflictEntry): string =>
  c.kind === 'double_check_in' ? `d:${c.second.eventId}` : c.kind === 'booking' ? `b:${c.bookingId}` : `c:${c.consultationId}`;

/** The stop's open conflicts (issue #19), the same list HQ's dashboard shows, and their resolution. */
export const useConflictsStore = create<ConflictsState>()((set) => ({
  ...getEmptyConflictsState(),
  async load(stopId) {
    try {
      const entries = await api().call('conflicts:list', { stopId });
      set({ stopId, entries, error: null });
    } catch (error) {
      set({ stopId, error });
    }
  },
  async resolve(stopId, key, r) {
    set({ busy: key, error: null, resolved: null });
    try {
      await api().call('conflicts:resolve', r);
      set({ resolved: key, entries: await api().call('conflicts:list', { stopId }) });
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: null });
    }
  },
}));
