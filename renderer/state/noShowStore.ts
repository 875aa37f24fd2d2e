import { create } from 'zustand';
import type { StopBoothSettings, StopBoothSettingsFields } from '../../shared/schemas/noShow';
import { api } from '../api/apiClient';

interface NoShowState {
  settings: StopBoothSettings | null;
  /** The rules dialog is open (stop lead). */
  editing: boolean;
  /** The last failure of loading or saving (translated by the screen; the form keeps its input). */
  error: unknown;
  saved: boolean;
  load(stopId: string): Promise<void>;
  edit(open: boolean): void;
  save(stopId: string, fields: StopBoothSettingsFields): Promise<boolean>;
}

export const getEmptyNoShowState = () => ({ settings: null, editing: false, error: null, saved: false });

/** A stop's no-show and waitlist-offer rules (issue #19), shown on the Booths screen. */
export const useNoShowStore = create<NoShowState>()((set) => ({
  ...getEmptyNoShowState(),
  async load(stopId) {
    try {
      set({ settings: await api().call('noshow:settings', { stopId }) });
    } catch (error) {
      set({ error });
    }
  },
  edit: (editing) => set({ editing, error: null, saved: false }),
  async save(stopId, fields) {
    set({ error: null, saved: false });
    try {
      set({ settings: await api().call('noshow:setSettings', { stopId, ...fields }), editing: false, saved: true });
      return true;
    } catch (error) {
      set({ error });
      return false;
    }
  },
}));
