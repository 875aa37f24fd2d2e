import { create } from 'zustand';
import type { AppInfo, Settings } from '../../shared/ipc/appContract';
import type { Stop, Tour } from '../../shared/schemas/masterData';
import type { Language } from '../../shared/vocab';
import { api } from '../api/apiClient';

export interface AppState {
  ready: boolean;
  error: unknown;
  settings: Settings | null;
  info: AppInfo | null;
  stops: Stop[];
  /** Every tour this desk knows, newest first (as core lists them). */
  tours: Tour[];
  load(): Promise<void>;
  /** Shows the tour's stops in the picker; moves to its first stop when the current one is not in it. */
  chooseTour(tourId: string): Promise<void>;
  /** `received`: events came from elsewhere (sync, hub, bundle), so the tour and its stops are read again. */
  refreshInfo(opts?: { received?: boolean }): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
  /**
   * The count of own events HQ has not acknowledged, as a fresher answer (sync:status) gave it: the
   * header and the Sync screen both show `info.unsyncedCount`, so they never disagree.
   */
  noteUnsynced(count: number): void;
}

export const getEmptyAppState = (): Pick<AppState, 'ready' | 'error' | 'settings' | 'info' | 'stops' | 'tours'> => ({
  ready: false,
  error: null,
  settings: null,
  info: null,
  stops: [],
  tours: [],
});

/** Settings, the stop list and facts about this laptop; the header and every screen read it. */
export const useAppStore = create<AppState>()((set, get) => ({
  ...getEmptyAppState(),
  async load() {
    try {
      const [settings, info, stops, tours] = await Promise.all([
        api().call('settings:get', {}),
        api().call('app:info', {}),
        api().call('stops:list', {}),
        api().call('tours:list', {}),
      ]);
      set({ settings, info, stops, tours, ready: true, error: null });
    } catch (error) {
      set({ error, ready: true });
    }
  },
  async refreshInfo(opts = {}) {
    try {
      const before = get().info?.eventCount;
      const info = await api().call('app:info', {});
      set({ info });
      // What arrived by a sync, the hub or a USB bundle may be HQ's tour plan: the pickers follow it.
      if (opts.received && info.eventCount !== before) {
        const [stops, tours] = await Promise.all([api().call('stops:list', {}), api().call('tours:list', {})]);
        set({ stops, tours });
      }
    } catch (error) {
      set({ error });
    }
  },
  async update(patch) {
    const settings = await api().call('settings:update', patch);
    set({ settings });
  },
  noteUnsynced(count) {
    const info = get().info;
    if (info && info.unsyncedCount !== count) set({ info: { ...info, unsyncedCount: count } });
  },
  async chooseTour(tourId) {
    const { stops, settings } = get();
    const ofTour = stops.filter((s) => s.tourId === tourId);
    const keep = ofTour.some((s) => s.id === settings?.currentStopId);
    if (keep && settings?.currentTourId === tourId) return;
    await get().update(keep || !ofTour[0] ? { currentTourId: tourId } : { currentTourId: tourId, currentStopId: ofTour[0].id });
  },
}));

/**
 * The tour the header shows: the one chosen on this desk; else the tour of the current stop (a desk in the
 * middle of a stop does not jump when HQ's next tour arrives by sync); else the newest, as core picks it.
 */
export const selectCurrentTour = (s: AppState): Tour | null => {
  const chosen = s.tours.find((t) => t.id === s.settings?.currentTourId);
  if (chosen) return chosen;
  const stopTour = s.stops.find((x) => x.id === s.settings?.currentStopId)?.tourId;
  return s.tours.find((t) => t.id === stopTour) ?? s.tours[0] ?? null;
};

/** The stops the stop picker lists: those of the current tour (all of them when no tour is known). */
export const selectTourStops = (s: AppState): Stop[] => {
  const tour = selectCurrentTour(s);
  return tour ? s.stops.filter((x) => x.tourId === tour.id) : s.stops;
};

export const selectCurrentStop = (s: AppState): Stop | null =>
  s.stops.find((stop) => stop.id === s.settings?.currentStopId) ?? null;

export const selectLanguage = (s: AppState): Language => s.settings?.language ?? 'ko';
