import { create } from 'zustand';
import type { AppInfo, Settings } from '../../shared/ipc/appContract';
import type { Stop } from '../../shared/schemas/masterData';
import type { Language } from '../../shared/vocab';
import { api } from '../api/apiClient';

export interface AppState {
  ready: boolean;
  error: unknown;
  settings: Settings | null;
  info: AppInfo | null;
  stops: Stop[];
  load(): Promise<void>;
  refreshInfo(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
}

export const getEmptyAppState = (): Pick<AppState, 'ready' | 'error' | 'settings' | 'info' | 'stops'> => ({
  ready: false,
  error: null,
  settings: null,
  info: null,
  stops: [],
});

/** Settings, the stop list and facts about this laptop; the header and every screen read it. */
export const useAppStore = create<AppState>()((set) => ({
  ...getEmptyAppState(),
  async load() {
    try {
      const [settings, info, stops] = await Promise.all([
        api().call('settings:get', {}),
        api().call('app:info', {}),
        api().call('stops:list', {}),
      ]);
      set({ settings, info, stops, ready: true, error: null });
    } catch (error) {
      set({ error, ready: true });
    }
  },
  async refreshInfo() {
    try {
      set({ info: await api().call('app:info', {}) });
    } catch (error) {
      set({ error });
    }
  },
  async update(patch) {
    const settings = await api().call('settings:update', patch);
    set({ settings });
  },
}));

export const selectCurrentStop = (s: AppState): Stop | null =>
  s.stops.find((stop) => stop.id === s.settings?.currentStopId) ?? null;

export const selectLanguage = (s: AppState): Language => s.settings?.language ?? 'ko';
