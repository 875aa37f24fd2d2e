import { create } from 'zustand';
import type { BookingResult, BookingWarning, BoothPlanFields, BoothSchedule, WaitlistEntryView } from '../../shared/schemas/booths';
import type { RegistrationView } from '../../shared/schemas/attendees';
import type { Attendance } from '../../shared/schemas/booths';
import type { Institution } from '../../shared/schemas/masterData';
import type { InstitutionKind, ResearchField } from '../../shared/vocab';
import type { NewBooth } from '../components/AddBoothForm';
import { api } from '../api/apiClient';
import { useAppStore } from './appStore';

export type BoothNotice =
  | { kind: 'booked' | 'walkUp' | 'moved'; bookingId: string; boothId: string; slotStart: string; name: BookingResult['booking']['attendee']; warnings: BookingWarning[]; offer: WaitlistEntryView | null }
  | { kind: 'cancelled' | 'resolved'; offer: WaitlistEntryView | null }
  | { kind: 'joined'; entry: WaitlistEntryView }
  | { kind: 'left' }
  | { kind: 'marked'; attendance: Attendance; name: BookingResult['booking']['attendee']; offer: WaitlistEntryView | null }
  | { kind: 'planSaved'; boothId: string }
  | { kind: 'copied'; copied: number; skipped: number }
  | { kind: 'copiedBooths'; boothsCreated: number; plansCopied: number; skipped: number }
  | { kind: 'boothAdded'; boothId: string }
  | { kind: 'boothRemoved'; booth: string; bookingsKept: number }
  | { kind: 'error'; error: unknown };

export interface SlotRef {
  boothId: string;
  slotStart: string;
}

export type PrintTarget = { kind: 'booth'; boothId: string } | { kind: 'attendee'; attendeeId: string };

interface BoothState {
  stopId: string | null;
  schedule: BoothSchedule | null;
  loading: boolean;
  notice: BoothNotice | null;
  fieldFilter: ResearchField | null;
  kindFilter: InstitutionKind | null;
  selected: SlotRef | null;
  planFor: string | null;
  printTarget: PrintTarget | null;
  query: string;
  candidates: RegistrationView[];
  /** The add-booth dialog is open (stop lead), with the institutions to choose from and its last failure. */
  adding: boolean;
  institutions: Institution[];
  formError: unknown;
  /** The booth whose removal waits for confirmation. */
  removing: string | null;
  load(stopId: string): Promise<void>;
  openAdd(open: boolean): Promise<void>;
  addBooth(booth: NewBooth): Promise<boolean>;
  askRemove(boothId: string | null): void;
  removeBooth(boothId: string): Promise<boolean>;
  copyBooths(fromStopId: string): Promise<void>;
  setFilters(f: { field?: ResearchField | null; kind?: InstitutionKind | null }): void;
  select(slot: SlotRef | null): void;
  editPlan(boothId: string | null): void;
  print(target: PrintTarget | null): void;
  savePlan(boothId: string, plan: BoothPlanFields): Promise<boolean>;
  copyPlans(fromStopId: string): Promise<void>;
  search(query: string): Promise<void>;
  scan(token: string): Promise<boolean>;
  book(slot: SlotRef, registrationId: string): Promise<void>;
  walkUp(slot: SlotRef, registrationId: string): Promise<void>;
  move(bookingId: string, to: SlotRef): Promise<void>;
  cancel(bookingId: string): Promise<void>;
  markAttendance(bookingId: string, attendance: Attendance): Promise<void>;
  joinWaitlist(boothId: string, registrationId: string): Promise<void>;
  leaveWaitlist(entryId: string): Promise<void>;
  acceptOffer(entryId: string): Promise<void>;
  declineOffer(entryId: string): Promise<void>;
  resolveConflict(bookingId: string, action: 'keep' | 'cancel' | 'move', to?: SlotRef): Promise<void>;
  clearNotice(): void;
}

export const getEmptyBoothState = () => ({
  stopId: null,
  schedule: null,
  loading: false,
  notice: null,
  fieldFilter: null,
  kindFilter: null,
  selected: null,
  planFor: null,
  printTarget: null,
  query: '',
  candidates: [],
  adding: false,
  institutions: [],
  formError: null,
  removing: null,
});

/** The booking desk of the Booths screen: the stop's schedule, the selected slot, the last confirmation or warning. */
export const useBoothStore = create<BoothState>()((set, get) => {
  let searchSeq = 0;
  const stop = () => {
    const id = get().stopId;
    if (!id) throw new Error('no stop loaded');
    return id;
  };
  const reload = async () => {
    const schedule = await api().call('booths:schedule', { stopId: stop() });
    set({ schedule });
    void useAppStore.getState().refreshInfo();
  };
  /** Runs a write, reloads the schedule, and turns failures into a translated notice (nothing was written). */
  const write = async (fn: () => Promise<BoothNotice | null>): Promise<boolean> => {
    try {
      const notice = await fn();
      await reload();
      if (notice) set({ notice });
      return true;
    } catch (error) {
      set({ notice: { kind: 'error', error } });
      return false;
    }
  };
  const fromResult = (kind: 'booked' | 'walkUp' | 'moved', r: BookingResult): BoothNotice => ({
    kind,
    bookingId: r.booking.bookingId,
    boothId: r.booking.boothId,
    slotStart: r.booking.slotStart,
    name: r.booking.attendee,
    warnings: r.warnings,
    offer: r.offer,
  });
  return {
    ...getEmptyBoothState(),
    async load(stopId) {
      if (get().stopId !== stopId) set({ ...getEmptyBoothState(), stopId });
      set({ loading: true });
      try {
        set({ schedule: await api().call('booths:schedule', { stopId }), loading: false });
      } catch (error) {
        set({ notice: { kind: 'error', error }, loading: false });
      }
    },
    setFilters: (f) => set((s) => ({ fieldFilter: f.field === undefined ? s.fieldFilter : f.field, kindFilter: f.kind === undefined ? s.kindFilter : f.kind })),
    select: (selected) => set({ selected, query: '', candidates: [] }),
    editPlan: (planFor) => set({ planFor }),
    // The print preview replaces the slot dialog (one dialog at a time).
    print: (printTarget) => set(printTarget ? { printTarget, selected: null } : { printTarget }),
    savePlan: (boothId, plan) =>
      write(async () => {
        await api().call('booths:setPlan', { boothId, ...plan });
        set({ planFor: null });
        return { kind: 'planSaved', boothId };
      }),
    async openAdd(open) {
      set({ adding: open, formError: null, notice: null });
      if (!open) return;
      try {
        set({ institutions: await api().call('institutions:list', {}) });
      } catch (formError) {
        set({ formError });
      }
    },
    async addBooth(booth) {
      set({ formError: null });
      try {
        const made = await api().call('booth:upsert', { stopId: stop(), ...booth });
        set({ adding: false, notice: { kind: 'boothAdded', boothId: made.id } });
        await reload();
        return true;
      } catch (formError) {
        set({ formError });
        return false;
      }
    },
    askRemove: (removing) => set({ removing, notice: null }),
    removeBooth: (boothId) =>
      write(async () => {
        const booth = get().schedule?.rows.find((r) => r.booth.id === boothId)?.booth.institution.shortName ?? boothId;
        const { bookingsKept } = await api().call('booth:remove', { boothId });
        set({ removing: null });
        return { kind: 'boothRemoved', booth, bookingsKept };
      }),
    copyBooths: async (fromStopId) => {
      await write(async () => ({ kind: 'copiedBooths', ...(await api().call('booths:copyFromStop', { fromStopId, toStopId: stop() })) }));
    },
    copyPlans: async (fromStopId) => {
      await write(async () => ({ kind: 'copied', ...(await api().call('booths:copyPlans', { fromStopId, toStopId: stop(), overwrite: false })) }));
    },
    async search(query) {
      const seq = ++searchSeq;
      set({ query });
      if (!query.trim()) return set({ candidates: [] });
      try {
        const candidates = await api().call('checkin:search', { stopId: stop(), query, limit: 8 });
        if (seq === searchSeq) set({ candidates });
      } catch (error) {
        if (seq === searchSeq) set({ notice: { kind: 'error', error } });
      }
    },
    async scan(token) {
      try {
        const found = await api().call('checkin:byToken', { stopId: stop(), token });
        set({ candidates: found ? [found] : [] });
        return found !== null;
      } catch (error) {
        set({ notice: { kind: 'error', error } });
        return false;
      }
    },
    book: async (slot, registrationId) => {
      await write(async () => fromResult('booked', await api().call('booths:book', { ...slot, registrationId })));
    },
    walkUp: async (slot, registrationId) => {
      await write(async () => fromResult('walkUp', await api().call('booths:walkUp', { ...slot, registrationId })));
    },
    move: async (bookingId, to) => {
      await write(async () => fromResult('moved', await api().call('booths:move', { bookingId, ...to })));
    },
    cancel: async (bookingId) => {
      await write(async () => ({ kind: 'cancelled', offer: (await api().call('booths:cancel', { bookingId, reason: '' })).offer }));
    },
    markAttendance: async (bookingId, attendance) => {
      await write(async () => {
        const b = await api().call('booths:markAttendance', { bookingId, attendance });
        return { kind: 'marked', attendance, name: b.attendee, offer: b.offer };
      });
    },
    joinWaitlist: async (boothId, registrationId) => {
      await write(async () => ({ kind: 'joined', entry: await api().call('booths:waitlistJoin', { boothId, registrationId }) }));
    },
    leaveWaitlist: async (entryId) => {
      await write(async () => {
        await api().call('booths:waitlistLeave', { entryId });
        return { kind: 'left' };
      });
    },
    acceptOffer: async (entryId) => {
      await write(async () => fromResult('booked', await api().call('booths:acceptOffer', { entryId })));
    },
    declineOffer: async (entryId) => {
      await write(async () => ({ kind: 'cancelled', offer: (await api().call('booths:declineOffer', { entryId })).offer }));
    },
    resolveConflict: async (bookingId, action, to) => {
      await write(async () => ({ kind: 'resolved', offer: (await api().call('booths:resolveConflict', { bookingId, action, ...to, note: '' })).offer }));
    },
    clearNotice: () => set({ notice: null }),
  };
});
