import { create } from 'zustand';

export const SCREENS = ['checkin', 'programme', 'booths', 'consultations', 'conflicts', 'sync', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

/** A part of the Sync screen a button elsewhere leads to (the no-tour state). */
export type SyncSection = 'hq' | 'hub' | 'bundle';

interface NavState {
  screen: Screen;
  /** Scrolled into view once the Sync screen shows, then cleared. */
  syncSection: SyncSection | null;
  go(screen: Screen, syncSection?: SyncSection): void;
  clearSyncSection(): void;
}

export const useNavStore = create<NavState>()((set) => ({
  screen: 'checkin',
  syncSection: null,
  go: (screen, syncSection) => set({ screen, syncSection: syncSection ?? null }),
  clearSyncSection: () => set({ syncSection: null }),
}));
