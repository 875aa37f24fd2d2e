import { create } from 'zustand';
import type { AttendeeEditState, DetailHistoryEntry, FlaggedAttendee } from '../../shared/ipc/attendeeCorrectionContract';
import type { Attendee } from '../../shared/schemas/attendees';
import { ApiError, api } from '../api/apiClient';

type Values = Omit<Attendee, 'id'>;

interface AttendeeEditStoreState {
  /** The person being corrected (the form is open while this is set). */
  editing: AttendeeEditState | null;
  busy: boolean;
  error: unknown;
  /** After a save: whether it changed anything (the form then offers a badge reprint). */
  saved: 'changed' | 'unchanged' | null;
  /** The history of details of the person whose history is shown. */
  details: { attendeeId: string; entries: DetailHistoryEntry[] } | null;
  /** People at this stop with conflicting corrections from two desks. */
  flagged: FlaggedAttendee[];
  open(attendeeId: string): Promise<void>;
  save(values: Values): Promise<AttendeeEditState | null>;
  resolve(values: Partial<Values>): Promise<AttendeeEditState | null>;
  close(): void;
  loadDetails(attendeeId: string): Promise<void>;
  loadFlagged(stopId: string): Promise<void>;
}

export const getEmptyAttendeeEditState = () => ({
  editing: null,
  busy: false,
  error: null,
  saved: null,
  details: null,
  flagged: [] as FlaggedAttendee[],
});

const sameAttendee = (a: Attendee, b: Attendee) => JSON.stringify(a) === JSON.stringify(b);

/** Correcting a person's details at the desk: the form's state, resolution of conflicts, history of details. */
export const useAttendeeEditStore = create<AttendeeEditStoreState>()((set, get) => {
  /** Another desk changed the person meanwhile: reload what is current, keep the error (and the form keeps what was typed). */
  const reloadAfter = async (error: unknown) => {
    const cur = get().editing;
    if (cur && error instanceof ApiError && (error.code === 'ATTENDEE_CHANGED' || error.code === 'ATTENDEE_IN_CONFLICT')) {
      try {
        set({ editing: await api().call('attendees:get', { attendeeId: cur.attendee.id }) });
      } catch {
        // The error already shown says enough.
      }
    }
  };
  return {
    ...getEmptyAttendeeEditState(),
    async open(attendeeId) {
      set({ busy: true, error: null, saved: null });
      try {
        set({ editing: await api().call('attendees:get', { attendeeId }), busy: false });
      } catch (error) {
        set({ busy: false, error });
      }
    },
    async save(values) {
      const cur = get().editing;
      if (!cur) return null;
      set({ busy: true, error: null, saved: null });
      try {
        const next = await api().call('attendees:edit', { attendeeId: cur.attendee.id, baseCorrectionIds: cur.headIds, values });
        set({ editing: next, busy: false, saved: sameAttendee(next.attendee, cur.attendee) ? 'unchanged' : 'changed' });
        return next;
      } catch (error) {
        set({ busy: false, error });
        await reloadAfter(error);
        return null;
      }
    },
    async resolve(values) {
      const cur = get().editing;
      if (!cur) return null;
      set({ busy: true, error: null, saved: null });
      try {
        const next = await api().call('attendees:resolve', { attendeeId: cur.attendee.id, resolvedCorrectionIds: cur.headIds, values });
        set({ editing: next, busy: false, saved: 'changed' });
        return next;
      } catch (error) {
        set({ busy: false, error });
        await reloadAfter(error);
        return null;
      }
    },
    close: () => set({ editing: null, error: null, saved: null, busy: false }),
    async loadDetails(attendeeId) {
      try {
        set({ details: { attendeeId, entries: await api().call('attendees:history', { attendeeId }) } });
      } catch {
        set({ details: { attendeeId, entries: [] } });
      }
    },
    async loadFlagged(stopId) {
      try {
        set({ flagged: await api().call('attendees:flagged', { stopId }) });
      } catch {
        // Keep the last list: a failed refresh must not hide a conflict.
      }
    },
  };
});
