import { create } from 'zustand';
import type { DeskView, HistoryEntry, SimilarAttendee, WalkInInput } from '../../shared/ipc/checkinContract';
import type { StopCounts } from '../../shared/schemas/attendees';
import { api } from '../api/apiClient';
import { useAppStore } from './appStore';

export type CheckinNotice =
  | { kind: 'checked_in'; registration: DeskView; seq: number; viaScan: boolean }
  | { kind: 'already'; registration: DeskView; seq: number; viaScan: boolean }
  | { kind: 'unknown'; token: string; seq: number; viaScan: boolean }
  | { kind: 'undone'; registration: DeskView; seq: number; viaScan: false }
  | { kind: 'walk_in'; registration: DeskView; seq: number; viaScan: false }
  | { kind: 'error'; error: unknown; seq: number; viaScan: boolean };

type NoticeInput = CheckinNotice extends infer N ? (N extends CheckinNotice ? Omit<N, 'seq'> : never) : never;

interface CheckinState {
  query: string;
  results: DeskView[];
  counts: StopCounts | null;
  notice: CheckinNotice | null;
  searching: boolean;
  history: { attendeeId: string; entries: HistoryEntry[] } | null;
  similar: SimilarAttendee[];
  setQuery(stopId: string, query: string): Promise<void>;
  refresh(stopId: string): Promise<void>;
  refreshCounts(stopId: string): Promise<void>;
  checkIn(stopId: string, registrationId: string): Promise<void>;
  /** A scanned token (USB wedge or camera): looks it up and checks the person in, in one call. */
  scan(stopId: string, token: string): Promise<void>;
  undo(stopId: string, checkInEventId: string, reason: string): Promise<void>;
  registerWalkIn(input: WalkInInput): Promise<DeskView>;
  registerExisting(stopId: string, attendeeId: string): Promise<DeskView>;
  findSimilar(input: { stopId: string; familyName: string; givenName: string; nameKo: string; email: string }): Promise<void>;
  loadHistory(attendeeId: string): Promise<void>;
  closeHistory(): void;
  clearNotice(): void;
}

export const getEmptyCheckinState = () => ({
  query: '',
  results: [] as DeskView[],
  counts: null,
  notice: null,
  searching: false,
  history: null,
  similar: [] as SimilarAttendee[],
});

let noticeSeq = 0;

/** The check-in desk: search results, counts, the last confirmation or warning, history and duplicate hints. */
export const useCheckinStore = create<CheckinState>()((set, get) => {
  let searchSeq = 0;
  let similarSeq = 0;
  const notify = (n: NoticeInput) => set({ notice: { ...n, seq: ++noticeSeq } as CheckinNotice });
  const replace = (r: DeskView) => set((s) => ({ results: s.results.map((x) => (x.registrationId === r.registrationId ? r : x)) }));
  const afterWrite = async (stopId: string) => {
    await get().refreshCounts(stopId);
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
        if (seq === searchSeq) {
          set({ searching: false });
          notify({ kind: 'error', error, viaScan: false });
        }
      }
    },
    async refresh(stopId) {
      await Promise.all([get().refreshCounts(stopId), get().setQuery(stopId, get().query)]);
    },
    async refreshCounts(stopId) {
      try {
        set({ counts: await api().call('checkin:counts', { stopId }) });
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    async checkIn(stopId, registrationId) {
      try {
        const res = await api().call('checkin:checkIn', { registrationId });
        replace(res.registration);
        notify({ kind: res.created ? 'checked_in' : 'already', registration: res.registration, viaScan: false });
        await afterWrite(stopId);
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    async scan(stopId, token) {
      try {
        const res = await api().call('checkin:scan', { stopId, token });
        if (res.kind === 'unknown') {
          notify({ kind: 'unknown', token: res.token, viaScan: true });
          return;
        }
        replace(res.registration);
        notify({ kind: res.kind, registration: res.registration, viaScan: true });
        if (res.kind === 'checked_in') await afterWrite(stopId);
      } catch (error) {
        notify({ kind: 'error', error, viaScan: true });
      }
    },
    async undo(stopId, checkInEventId, reason) {
      try {
        const registration = await api().call('checkin:void', { checkInEventId, reason });
        replace(registration);
        notify({ kind: 'undone', registration, viaScan: false });
        if (get().history?.attendeeId === registration.attendee.id) await get().loadHistory(registration.attendee.id);
        await afterWrite(stopId);
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    async registerWalkIn(input) {
      const registration = await api().call('checkin:registerWalkIn', input);
      set((s) => ({ similar: [], results: [registration, ...s.results.filter((r) => r.registrationId !== registration.registrationId)] }));
      notify({ kind: 'walk_in', registration, viaScan: false });
      await afterWrite(input.stopId);
      return registration;
    },
    async registerExisting(stopId, attendeeId) {
      const registration = await api().call('checkin:registerExisting', { stopId, attendeeId, checkInNow: true });
      set((s) => ({ similar: [], results: [registration, ...s.results.filter((r) => r.registrationId !== registration.registrationId)] }));
      notify({ kind: 'checked_in', registration, viaScan: false });
      await afterWrite(stopId);
      return registration;
    },
    async findSimilar(input) {
      const seq = ++similarSeq;
      try {
        const similar = await api().call('checkin:similar', input);
        if (seq === similarSeq) set({ similar });
      } catch {
        if (seq === similarSeq) set({ similar: [] });
      }
    },
    async loadHistory(attendeeId) {
      try {
        set({ history: { attendeeId, entries: await api().call('checkin:history', { attendeeId }) } });
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    closeHistory: () => set({ history: null }),
    clearNotice: () => set({ notice: null }),
  };
});
