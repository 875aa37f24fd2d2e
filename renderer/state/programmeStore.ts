import { create } from 'zustand';
import type { ApiInput } from '../../shared/contract';
import type { StopSession } from '../../shared/schemas/masterData';
import { api } from '../api/apiClient';

export type SessionInput = ApiInput<'session:upsert'>;

interface ProgrammeState {
  stopId: string | null;
  sessions: StopSession[];
  /** Loading failed (the list shows the translated error). */
  error: unknown;
  /** The session in the form: a new one, an existing one, or no form. */
  editing: StopSession | 'new' | null;
  /** The last save's failure, shown in the form beside the field it names. */
  saveError: unknown;
  /** The last change, for the status line. */
  notice: { kind: 'saved' | 'cancelled' | 'restored'; title: string } | null;
  load(stopId: string): Promise<void>;
  edit(session: StopSession | 'new' | null): void;
  save(input: SessionInput): Promise<boolean>;
  setCancelled(session: StopSession, cancelled: boolean): Promise<void>;
}

export const getEmptyProgrammeState = () => ({ stopId: null, sessions: [], error: null, editing: null, saveError: null, notice: null });

/** The programme of the current stop (sessions in the stop's own wall-clock time); a stop lead edits it on site. */
export const useProgrammeStore = create<ProgrammeState>()((set, get) => ({
  ...getEmptyProgrammeState(),
  async load(stopId) {
    if (get().stopId !== stopId) set({ ...getEmptyProgrammeState(), stopId });
    try {
      const sessions = await api().call('sessions:list', { stopId });
      if (get().stopId === stopId) set({ sessions, error: null });
    } catch (error) {
      set({ error });
    }
  },
  edit: (editing) => set({ editing, saveError: null, notice: null }),
  async save(input) {
    set({ saveError: null, notice: null });
    try {
      const saved = await api().call('session:upsert', input);
      set({ editing: null, notice: { kind: 'saved', title: saved.title } });
      await get().load(saved.stopId);
      return true;
    } catch (saveError) {
      set({ saveError });
      return false;
    }
  },
  async setCancelled(session, cancelled) {
    set({ error: null, notice: null });
    try {
      await api().call('session:upsert', { ...session, cancelled });
      set({ notice: { kind: cancelled ? 'cancelled' : 'restored', title: session.title } });
      await get().load(session.stopId);
    } catch (error) {
      set({ error });
    }
  },
}));
