import { create } from 'zustand';

export const SCREENS = ['checkin', 'booths', 'consultations', 'sync', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

interface NavState {
  screen: Screen;
  go(screen: Screen): void;
}

export const useNavStore = create<NavState>()((set) => ({
  screen: 'checkin',
  go: (screen) => set({ screen }),
}));
