import { create } from 'zustand';
import type { BoothView } from '../../shared/ipc/masterDataContract';
import type {
  ConsultationList,
  EditConsultationInput,
  ExportFollowUpsInput,
  ListConsultationsInput,
  LogConsultationInput,
  ResolveConflictInput,
} from '../../shared/ipc/consultationsContract';
import type { RegistrationView } from '../../shared/schemas/attendees';
import type { ConsentInput, ConsentView, ConsultationDetail, ExportFile, FollowUpStatus, InterestLevel } from '../../shared/schemas/consultations';
import type { Institution } from '../../shared/schemas/masterData';
import type { Program } from '../../shared/vocab';
import { api } from '../api/apiClient';
import { downloadBase64File } from '../util/downloadFile';
import { useAppStore } from './appStore';

export interface ConsultationFilters {
  institutionId: string | null;
  field: string;
  program: Program | null;
  interestLevel: InterestLevel | null;
  followUpStatus: FollowUpStatus | null;
  notesQuery: string;
}

export type ConsultationNotice =
  | { kind: 'logged'; detail: ConsultationDetail }
  | { kind: 'edited' | 'resolved' | 'consent'; detail: ConsultationDetail }
  | { kind: 'exported'; file: Omit<ExportFile, 'base64'> }
  /** A refused export: said in the export panel, beside its buttons. */
  | { kind: 'exportError'; error: unknown }
  | { kind: 'error'; error: unknown };

interface ConsultationsState {
  stopId: string | null;
  booths: BoothView[];
  institutions: Institution[];
  filters: ConsultationFilters;
  list: ConsultationList | null;
  selected: ConsultationDetail | null;
  notice: ConsultationNotice | null;
  /** Remembered between consultations: the booth's institution and the staff member at it. */
  lastInstitutionId: string | null;
  lastStaffName: string;
  load(stopId: string): Promise<void>;
  setFilters(patch: Partial<ConsultationFilters>): Promise<void>;
  refresh(): Promise<void>;
  lookupToken(stopId: string, token: string): Promise<RegistrationView | null>;
  searchAttendees(stopId: string, query: string): Promise<RegistrationView[]>;
  attendeeConsent(attendeeId: string): Promise<ConsentView | null>;
  log(input: LogConsultationInput): Promise<ConsultationDetail>;
  open(consultationId: string): Promise<void>;
  close(): void;
  edit(input: EditConsultationInput): Promise<ConsultationDetail>;
  resolve(input: ResolveConflictInput): Promise<ConsultationDetail>;
  recordConsent(consultationId: string, consent: ConsentInput): Promise<ConsultationDetail>;
  exportFollowUps(input: ExportFollowUpsInput): Promise<void>;
  clearNotice(): void;
}

export const getEmptyConsultationFilters = (): ConsultationFilters => ({
  institutionId: null,
  field: '',
  program: null,
  interestLevel: null,
  followUpStatus: null,
  notesQuery: '',
});

export const getEmptyConsultationsState = () => ({
  stopId: null,
  booths: [],
  institutions: [],
  filters: getEmptyConsultationFilters(),
  list: null,
  selected: null,
  notice: null,
  lastInstitutionId: null,
  lastStaffName: '',
});

/** Booth consultations: the list and its filters, the open consultation, the form's lookups, exports. */
export const useConsultationsStore = create<ConsultationsState>()((set, get) => {
  let listSeq = 0;
  const afterWrite = async (detail: ConsultationDetail) => {
    set({ selected: get().selected?.consultationId === detail.consultationId ? detail : get().selected });
    await get().refresh();
    void useAppStore.getState().refreshInfo();
  };
  /** Reloads the open consultation when a write was refused as stale, so the person sees what changed. */
  const reloadOnStale = async (consultationId: string, error: unknown) => {
    if ((error as { code?: string }).code === 'STALE_REVISION' || (error as { code?: string }).code === 'CONFLICT') {
      try {
        set({ selected: await api().call('consultations:get', { consultationId }) });
      } catch {
        /* keep the original error */
      }
    }
  };
  return {
    ...getEmptyConsultationsState(),
    async load(stopId) {
      set({ stopId, list: null });
      try {
        const [booths, institutions] = await Promise.all([api().call('booths:list', { stopId }), api().call('institutions:list', {})]);
        set({ booths, institutions });
      } catch (error) {
        set({ notice: { kind: 'error', error } });
      }
      await get().refresh();
    },
    async setFilters(patch) {
      set((s) => ({ filters: { ...s.filters, ...patch } }));
      await get().refresh();
    },
    async refresh() {
      const { stopId, filters } = get();
      if (!stopId) return;
      const seq = ++listSeq;
      try {
        const input: ListConsultationsInput = { stopId, ...filters, limit: 500 };
        const list = await api().call('consultations:list', input);
        if (seq === listSeq) set({ list });
      } catch (error) {
        if (seq === listSeq) set({ notice: { kind: 'error', error } });
      }
    },
    lookupToken: (stopId, token) => api().call('checkin:byToken', { stopId, token }),
    searchAttendees: (stopId, query) => api().call('checkin:search', { stopId, query, limit: 8 }),
    attendeeConsent: (attendeeId) => api().call('consultations:attendeeConsent', { attendeeId }),
    async log(input) {
      const detail = await api().call('consultations:log', input);
      set({ notice: { kind: 'logged', detail }, lastInstitutionId: detail.institutionId, lastStaffName: detail.content.staffName });
      await afterWrite(detail);
      return detail;
    },
    async open(consultationId) {
      try {
        set({ selected: await api().call('consultations:get', { consultationId }) });
      } catch (error) {
        set({ notice: { kind: 'error', error } });
      }
    },
    close: () => set({ selected: null }),
    async edit(input) {
      try {
        const detail = await api().call('consultations:edit', input);
        set({ notice: { kind: 'edited', detail } });
        await afterWrite(detail);
        return detail;
      } catch (error) {
        await reloadOnStale(input.consultationId, error);
        throw error;
      }
    },
    async resolve(input) {
      try {
        const detail = await api().call('consultations:resolve', input);
        set({ notice: { kind: 'resolved', detail } });
        await afterWrite(detail);
        return detail;
      } catch (error) {
        await reloadOnStale(input.consultationId, error);
        throw error;
      }
    },
    async recordConsent(consultationId, consent) {
      const detail = await api().call('consultations:recordConsent', { consultationId, consent });
      set({ notice: { kind: 'consent', detail } });
      await afterWrite(detail);
      return detail;
    },
    async exportFollowUps(input) {
      try {
        const file = await api().call('consultations:exportFollowUps', input);
        downloadBase64File(file);
        const { base64: _bytes, ...rest } = file;
        set({ notice: { kind: 'exported', file: rest } });
      } catch (error) {
        set({ notice: { kind: 'exportError', error } });
      }
    },
    clearNotice: () => set({ notice: null }),
  };
});
