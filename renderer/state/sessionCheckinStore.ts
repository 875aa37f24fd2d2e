import { create } from 'zustand';
import type { DeskView } from '../../shared/ipc/checkinContract';
import type { SessionCounts, SessionDeskView } from '../../shared/ipc/sessionCheckinContract';
import type { StopSession } from '../../shared/schemas/masterData';
import { api } from '../api/apiClient';
import { useAppStore } from './appStore';
import type { CheckinNotice } from './checkinStore';

/**
 * The door's confirmation or warning, in the stop's notice shape (so the same large banner shows it):
 * the registration's `checkIn` is the session's. `stopAlso`: the stop check-in was made with it.
 */
export type SessionNotice = CheckinNotice & { stopAlso?: boolean };
type NoticeInput = SessionNotice extends infer N ? (N extends SessionNotice ? Omit<N, 'seq'> : never) : never;

/** A session row as the door's list and banner show it: the session's check-in in the stop's place. */
export function asSessionDesk(r: SessionDeskView): DeskView {
  const { session, ...rest } = r;
  return { ...rest, checkIn: session.checkIn, duplicateCheckIns: session.duplicateCheckIns };
}

interface SessionCheckinState {
  /** The stop whose programme is loaded. */
  stopId: string | null;
  sessions: StopSession[];
  /** The door this desk checks people in at: a session of the stop, or null for the stop entrance. */
  sessionId: string | null;
  query: string;
  results: SessionDeskView[];
  counts: SessionCounts[];
  notice: SessionNotice | null;
  searching: boolean;
  loadSessions(stopId: string): Promise<void>;
  setDoor(sessionId: string | null): void;
  /** Searches the stop's people with their status in the session; an empty query lists who came in last. */
  setQuery(sessionId: string, query: string): Promise<void>;
  refresh(stopId: string, sessionId: string): Promise<void>;
  refreshCounts(stopId: string): Promise<void>;
  checkIn(stopId: string, sessionId: string, registrationId: string): Promise<void>;
  scan(stopId: string, sessionId: string, token: string): Promise<void>;
  undo(stopId: string, sessionCheckInEventId: string, reason: string, alsoStop: boolean): Promise<void>;
  clearNotice(): void;
}

export const getEmptySessionCheckinState = () => ({
  stopId: null,
  sessions: [] as StopSession[],
  sessionId: null,
  query: '',
  results: [] as SessionDeskView[],
  counts: [] as SessionCounts[],
  notice: null,
  searching: false,
});

let noticeSeq = 0;

/** The session door of the check-in screen: which session, its people and counts, the last confirmation. */
export const useSessionCheckinStore = create<SessionCheckinState>()((set, get) => {
  let searchSeq = 0;
  const notify = (n: NoticeInput) => set({ notice: { ...n, seq: ++noticeSeq } as SessionNotice });
  const replace = (r: SessionDeskView) =>
    set((s) => ({
      // A person checked in from a scan joins the top of the "latest" list (empty query).
      results: s.results.some((x) => x.registrationId === r.registrationId)
        ? s.results.map((x) => (x.registrationId === r.registrationId ? r : x))
        : s.query === '' && r.session.checkIn
          ? [r, ...s.results]
          : s.results,
    }));
  const afterWrite = async (stopId: string) => {
    await get().refreshCounts(stopId);
    void useAppStore.getState().refreshInfo();
  };
  return {
    ...getEmptySessionCheckinState(),
    async loadSessions(stopId) {
      if (get().stopId !== stopId) set({ ...getEmptySessionCheckinState(), stopId });
      try {
        const sessions = await api().call('sessions:list', { stopId });
        if (get().stopId !== stopId) return;
        // A door picked at another stop (or a session that is gone) falls back to the entrance.
        const keep = sessions.some((s) => s.id === get().sessionId);
        set({ sessions, ...(keep ? {} : { sessionId: null }) });
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    setDoor: (sessionId) => set({ sessionId, query: '', results: [], notice: null }),
    async setQuery(sessionId, query) {
      const seq = ++searchSeq;
      set({ query, searching: true });
      try {
        const results = query.trim()
          ? await api().call('sessions:search', { sessionId, query, limit: 20 })
          : await api().call('sessions:attendees', { sessionId, limit: 20 });
        if (seq === searchSeq) set({ results, searching: false });
      } catch (error) {
        if (seq === searchSeq) {
          set({ searching: false });
          notify({ kind: 'error', error, viaScan: false });
        }
      }
    },
    async refresh(stopId, sessionId) {
      await Promise.all([get().refreshCounts(stopId), get().setQuery(sessionId, get().query)]);
    },
    async refreshCounts(stopId) {
      try {
        set({ counts: await api().call('sessions:counts', { stopId }) });
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    async checkIn(stopId, sessionId, registrationId) {
      try {
        const res = await api().call('sessions:checkIn', { sessionId, registrationId });
        replace(res.registration);
        notify({ kind: res.created ? 'checked_in' : 'already', registration: asSessionDesk(res.registration), viaScan: false, stopAlso: res.stopCheckedIn });
        await afterWrite(stopId);
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    async scan(stopId, sessionId, token) {
      try {
        const res = await api().call('sessions:scan', { sessionId, token });
        if (res.kind === 'unknown') {
          notify({ kind: 'unknown', token: res.token, viaScan: true });
          return;
        }
        replace(res.registration);
        notify({ kind: res.kind, registration: asSessionDesk(res.registration), viaScan: true, stopAlso: res.kind === 'checked_in' && res.stopCheckedIn });
        if (res.kind === 'checked_in') await afterWrite(stopId);
      } catch (error) {
        notify({ kind: 'error', error, viaScan: true });
      }
    },
    async undo(stopId, sessionCheckInEventId, reason, alsoStop) {
      try {
        const registration = await api().call('sessions:void', { sessionCheckInEventId, reason, alsoStop });
        replace(registration);
        notify({ kind: 'undone', registration: asSessionDesk(registration), viaScan: false });
        await afterWrite(stopId);
      } catch (error) {
        notify({ kind: 'error', error, viaScan: false });
      }
    },
    clearNotice: () => set({ notice: null }),
  };
});
