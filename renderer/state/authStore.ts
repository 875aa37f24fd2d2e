import { create } from 'zustand';
import type { AuthStatus } from '../../shared/ipc/securityContract';
import type { Language } from '../../shared/vocab';
import { api } from '../api/apiClient';

export interface AuthState {
  status: AuthStatus | null;
  /** Sign-in is enforced and nobody is signed in: the app shows only the lock screen. */
  locked: boolean;
  /** The language of the lock screen (settings:get is open to a locked desk). */
  language: Language;
  error: unknown;
  busy: boolean;
  load(): Promise<void>;
  signIn(staffId: string, pin: string): Promise<boolean>;
  setup(name: string, pin: string): Promise<boolean>;
  /** A planned person's first sign-in: the setup code from HQ (or the stop lead) and the PIN they choose. */
  firstSignIn(staffId: string, setupCode: string, pin: string): Promise<boolean>;
  clearError(): void;
  lock(): Promise<void>;
  setLanguage(language: Language): Promise<void>;
}

const apply = (status: AuthStatus) => ({ status, locked: status.enforced && !status.signedIn });

/** Who is signed in at this desk; the lock screen and the header read it. */
export const useAuthStore = create<AuthState>()((set) => ({
  status: null,
  locked: false,
  language: 'ko',
  error: null,
  busy: false,
  async load() {
    try {
      const [status, settings] = await Promise.all([api().call('auth:status', {}), api().call('settings:get', {})]);
      set({ ...apply(status), language: settings.language });
    } catch (error) {
      set({ error });
    }
  },
  async signIn(staffId, pin) {
    set({ busy: true, error: null });
    try {
      set({ ...apply(await api().call('auth:signIn', { staffId, pin })), busy: false });
      return true;
    } catch (error) {
      set({ error, busy: false });
      return false;
    }
  },
  async setup(name, pin) {
    set({ busy: true, error: null });
    try {
      set({ ...apply(await api().call('auth:setup', { name, pin })), busy: false });
      return true;
    } catch (error) {
      set({ error, busy: false });
      return false;
    }
  },
  async firstSignIn(staffId, setupCode, pin) {
    set({ busy: true, error: null });
    try {
      set({ ...apply(await api().call('auth:firstSignIn', { staffId, setupCode, pin })), busy: false });
      return true;
    } catch (error) {
      set({ error, busy: false });
      return false;
    }
  },
  clearError: () => set({ error: null }),
  async lock() {
    try {
      set({ ...apply(await api().call('auth:lock', {})), error: null });
    } catch (error) {
      set({ error });
    }
  },
  async setLanguage(language) {
    set({ language });
    try {
      await api().call('settings:update', { language });
    } catch (error) {
      set({ error });
    }
  },
}));

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Loads the sign-in state and locks the desk after the idle minutes without a key press or a
 * click (the host also locks on its side). Polls the status so a lock from elsewhere shows.
 * Returns the cleanup for a React effect.
 */
export function startDeskSession(win: Window = window, checkEveryMs = 15_000): () => void {
  const store = useAuthStore.getState();
  void store.load();
  let last = Date.now();
  const onActivity = () => (last = Date.now());
  for (const e of ACTIVITY) win.addEventListener(e, onActivity, { passive: true });
  let ticks = 0;
  const timer = win.setInterval(() => {
    const { status, locked } = useAuthStore.getState();
    if (status?.enforced && !locked && Date.now() - last >= status.lockAfterMinutes * 60_000) void useAuthStore.getState().lock();
    else if (++ticks % 2 === 0) void useAuthStore.getState().load();
  }, checkEveryMs);
  return () => {
    for (const e of ACTIVITY) win.removeEventListener(e, onActivity);
    win.clearInterval(timer);
  };
}
