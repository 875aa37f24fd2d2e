import { lazy } from 'react';

/**
 * The screens that are not the first one a desk shows (check-in, or the lock screen): each its own chunk
 * of code, loaded when first opened, so a start loads and runs only what its first screen needs
 * (docs/architecture.md, rule 11). `preloadScreens()` fetches them all a few seconds after the first
 * screen is up, when the page is idle (not while the first screen still waits for the host's answers), and
 * `preloadScreen(name)` one of them as soon as the pointer is over its link: opening one later does not
 * wait for its code.
 */
const loaders = {
  programme: () => import('./ProgrammeScreen').then((m) => ({ default: m.ProgrammeScreen })),
  booths: () => import('./BoothsScreen').then((m) => ({ default: m.BoothsScreen })),
  consultations: () => import('./ConsultationsScreen').then((m) => ({ default: m.ConsultationsScreen })),
  conflicts: () => import('./ConflictsScreen').then((m) => ({ default: m.ConflictsScreen })),
  sync: () => import('./SyncScreen').then((m) => ({ default: m.SyncScreen })),
  settings: () => import('./SettingsScreen').then((m) => ({ default: m.SettingsScreen })),
};

export const ProgrammeScreen = lazy(loaders.programme);
export const BoothsScreen = lazy(loaders.booths);
export const ConsultationsScreen = lazy(loaders.consultations);
export const ConflictsScreen = lazy(loaders.conflicts);
export const SyncScreen = lazy(loaders.sync);
export const SettingsScreen = lazy(loaders.settings);

/** Loads one lazy screen's code (a no-op for the others; a failed load is retried when the screen opens). */
export function preloadScreen(name: string): void {
  const load = (loaders as Record<string, (() => Promise<unknown>) | undefined>)[name];
  void load?.().catch(() => undefined);
}

let preloaded = false;
/** Loads every lazy screen's code `afterMs` from now, when the page is next idle (once). */
export function preloadScreens(afterMs = 3000): void {
  if (preloaded || typeof window === 'undefined') return;
  preloaded = true;
  const run = () => Object.keys(loaders).forEach(preloadScreen);
  setTimeout(() => ('requestIdleCallback' in window ? window.requestIdleCallback(run, { timeout: 2000 }) : run()), afterMs);
}
