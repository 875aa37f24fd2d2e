import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Mantine reads these browser APIs, which jsdom lacks.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver = ResizeObserverStub;
Element.prototype.scrollIntoView = function scrollIntoView() {};

afterEach(() => cleanup());

// The app loads the screens other than check-in when first opened (renderer/screens/lazyScreens.ts; the
// e2e tests run that in Chromium). Here they are the modules themselves: a screen is there as soon as it
// is chosen, as the tests' synchronous queries expect, rather than after its code is transformed on demand.
vi.mock('../../renderer/screens/lazyScreens', async () => {
  const [programme, booths, consultations, conflicts, sync, settings] = await Promise.all([
    import('../../renderer/screens/ProgrammeScreen'),
    import('../../renderer/screens/BoothsScreen'),
    import('../../renderer/screens/ConsultationsScreen'),
    import('../../renderer/screens/ConflictsScreen'),
    import('../../renderer/screens/SyncScreen'),
    import('../../renderer/screens/SettingsScreen'),
  ]);
  return {
    ProgrammeScreen: programme.ProgrammeScreen,
    BoothsScreen: booths.BoothsScreen,
    ConsultationsScreen: consultations.ConsultationsScreen,
    ConflictsScreen: conflicts.ConflictsScreen,
    SyncScreen: sync.SyncScreen,
    SettingsScreen: settings.SettingsScreen,
    preloadScreen: () => undefined,
    preloadScreens: () => undefined,
  };
});
