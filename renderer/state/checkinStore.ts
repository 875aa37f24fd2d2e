import { create } from 'zustand';
import type { WalkInInput } from '../../shared/ipc/checkinContract';
import type { RegistrationView, StopCounts } from '../../shared/schemas/attendees';
import { api } from '../api/apiClient';
import { useAppStore } from './appStore';

export type CheckinNotice =
  | { kind: 'checked_in'; registration: RegistrationView }
  | { kind: 'already'; registration: RegistrationView }
  | { kind: 'undone'; registration: RegistrationView }
  | { kind: 'walk_in'; registration: RegistrationView }
  | { kind: 'error'; error: unknown };

interface CheckinState {
  query: string;
  results: RegistrationView[];
  counts: StopCounts | null;
  notice: CheckinNotice | null;
  searching: boolean;
  setQuery(stopId: string, query: string): Promise<void>;
  refresh(stopId: string): Promise<void>;
  checkIn(stopId: string, registrationId: string): Promise<void>;
  undo(stopId: string, checkInEventId: string, reason: string): Promise<void>;
  registerWalkIn(input: WalkInInput): Promise<RegistrationView>;
  clearNotice(): void;
}

export const getEmptyCheckinState = () => ({ query: '', results: [], counts: null, notice: null, searching: false });

/** The check-in desk: search results, counts and the last confirmation or warning. */
export const useCheckinStore = create<CheckinState>()((set, get) => {
  let searchSeq = 0;
  const replace = (r: RegistrationView) =>
    set((s) => ({ results: s.results.map((x) => (x.registrationId === r.registrationId ? r : x)) }));
  const afterWrite = async (stopId: string) => {
    const counts = await api().call('checkin:counts', { stopId });
    set({ counts });
    void useAppStore.getState().refreshInfo();
  };
  return {
    ...getEmptyCheckinState(),
    async setQuery(stopId, query) {
      const seq = ++searchSeq;
      set({ query, searching: true });
      try {
        const results = await api().call('checkin:search', { stopId, query, limit: 20 });
        // Drop answers to keystrokes that a newer keystroke already superseded.
        if (seq === searchSeq) set({ results, searching: false });
      } catch (error) {
        if (seq === searchSeq) set({ notice: { kind: 'error', error }, searching: false });
      }
    },
    async refresh(stopId) {
      try {
        const [counts] = await Promise.all([api().call('checkin:counts', { stopId }), get().setQuery(stopId, get().query)]);
        set({ counts });
      } catch (error) {
        set({ notice: { kind: 'error', error } });
      }
    },
    async checkIn(stopId, registrationId) {
      try {
        const res = await api().call('checkin:checkIn', { registrationId });
        replace(res.registration);
        set({ notice: { kind: res.created ? 'checked_in' : 'already', registration: res.registration } });
        await afterWrite(stopId);
      } catch (error) {
        set({ notice: { kind: 'error', error } });
      }
    },
    async undo(stopId, checkInEventId, reason) {
      try {
        const registration = await api().call('checkin:void', { checkInEventId, reason });
        replace(registration);
        set({ notice: { kind: 'undone', registration } });
        await afterWrite(stopId);
      } catch (error) {
        set({ notice: { kind: 'error', error } });
      }
    },
    async registerWalkIn(input) {
      const registration = await api().call('checkin:registerWalkIn', input);
      set((s) => ({ notice: { kind: 'walk_in', registration }, results: [registration, ...s.results.filter((r) => r.registrationId !== registration.registrationId)] }));
      await afterWrite(input.stopId);
      return registration;
    },
    clearNotice: () => set({ notice: null }),
  };
});
