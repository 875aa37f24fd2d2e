import { create } from 'zustand';
import type { Program } from '../../shared/schemas/programs';
import { api } from '../api/apiClient';

/**
 * Programmes (issue #21): master data HQ plans and desks receive by sync. The consultation forms offer the booth
 * institution's active programmes and the national ones; the detail view and the list name them.
 */
interface ProgramsState {
  programs: Program[];
  loaded: boolean;
  error: unknown;
  load(): Promise<void>;
}

export const getEmptyProgramsState = () => ({ programs: [] as Program[], loaded: false, error: null as unknown });

export const useProgramsStore = create<ProgramsState>()((set) => {
  let seq = 0;
  return {
    ...getEmptyProgramsState(),
    async load() {
      const mine = ++seq;
      try {
        const programs = await api().call('programs:list', {});
        if (mine === seq) set({ programs, loaded: true, error: null });
      } catch (error) {
        if (mine === seq) set({ error, loaded: true });
      }
    },
  };
});
