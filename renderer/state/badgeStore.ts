import { create } from 'zustand';
import type { BadgeData, BadgeLayout } from '../../shared/ipc/badgeContract';
import { api } from '../api/apiClient';

export interface BadgeTarget {
  stopId: string;
  registrationIds: string[];
  allPreregistered: boolean;
}

interface BadgeState {
  layout: BadgeLayout;
  busy: boolean;
  error: unknown;
  /** Badges laid out for printing (rendered off screen, shown only by the print stylesheet). */
  printing: { layout: BadgeLayout; stopLabel: string; badges: BadgeData[] } | null;
  setLayout(layout: BadgeLayout): void;
  pdf(target: BadgeTarget): Promise<{ fileName: string; base64: string; count: number } | null>;
  print(target: BadgeTarget): Promise<void>;
}

export const getEmptyBadgeState = () => ({ layout: 'a6' as BadgeLayout, busy: false, error: null, printing: null });

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** Name badges: PDF download, or printing (Electron's printing in the desktop app, the print dialog in a browser). */
export const useBadgeStore = create<BadgeState>()((set, get) => ({
  ...getEmptyBadgeState(),
  setLayout: (layout) => set({ layout }),
  async pdf(target) {
    set({ busy: true, error: null });
    try {
      return await api().call('badges:pdf', { ...target, layout: get().layout });
    } catch (error) {
      set({ error });
      return null;
    } finally {
      set({ busy: false });
    }
  },
  async print(target) {
    const layout = get().layout;
    set({ busy: true, error: null });
    try {
      const data = await api().call('badges:data', { ...target, layout });
      set({ printing: { layout, ...data } });
      await nextFrame();
      const res = await api().call('badges:print', { layout, silent: false });
      if (!res.printed) window.print();
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: false, printing: null });
    }
  },
}));
