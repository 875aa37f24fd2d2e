import { create } from 'zustand';
import type { BackupView } from '../../shared/ipc/securityContract';
import type { Institution } from '../../shared/schemas/masterData';
import type { StaffRole, StaffView } from '../../shared/schemas/staff';
import { api } from '../api/apiClient';

export interface SecurityState {
  staff: StaffView[];
  backups: BackupView[];
  institutions: Institution[];
  error: unknown;
  /** A translation key and its values for the last thing that worked. */
  notice: { key: string; values: Record<string, unknown> } | null;
  /** The one-time setup code of the person just planned: shown once, gone when dismissed. */
  issued: { name: string; code: string } | null;
  /** The last plan attempt's failure (shown in the plan form). */
  planError: unknown;
  loadStaff(): Promise<void>;
  loadBackups(): Promise<void>;
  createStaff(input: { name: string; role: StaffRole; institutionId: string | null; pin: string }): Promise<boolean>;
  planStaff(input: { name: string; role: StaffRole; institutionId: string | null; stopIds: string[] }): Promise<boolean>;
  dismissIssued(): void;
  deactivate(staffId: string): Promise<void>;
  backupNow(): Promise<void>;
  restore(name: string): Promise<boolean>;
}

export const getEmptySecurityState = () => ({ staff: [], backups: [], institutions: [], error: null, notice: null, issued: null, planError: null });

/** Staff and backups, for the stop lead's part of Settings. */
export const useSecurityStore = create<SecurityState>()((set, get) => ({
  ...getEmptySecurityState(),
  async loadStaff() {
    try {
      const [staff, institutions] = await Promise.all([api().call('staff:list', {}), api().call('institutions:list', {})]);
      set({ staff, institutions });
    } catch (error) {
      set({ error });
    }
  },
  async loadBackups() {
    try {
      set({ backups: await api().call('backup:list', {}) });
    } catch (error) {
      set({ error });
    }
  },
  async createStaff(input) {
    set({ error: null, notice: null });
    try {
      const made = await api().call('staff:create', input);
      set({ notice: { key: 'security.staffAdded', values: { name: made.name } } });
      await get().loadStaff();
      return true;
    } catch (error) {
      set({ error });
      return false;
    }
  },
  async planStaff(input) {
    set({ error: null, notice: null, planError: null, issued: null });
    try {
      const { staff, setupCode } = await api().call('staff:plan', { ...input, issueSetupCode: true });
      set({ issued: setupCode ? { name: staff.name, code: setupCode } : null });
      await get().loadStaff();
      return true;
    } catch (planError) {
      set({ planError });
      return false;
    }
  },
  dismissIssued: () => set({ issued: null }),
  async deactivate(staffId) {
    set({ error: null, notice: null });
    try {
      await api().call('staff:deactivate', { staffId });
      await get().loadStaff();
    } catch (error) {
      set({ error });
    }
  },
  async backupNow() {
    set({ error: null, notice: null });
    try {
      const b = await api().call('backup:create', {});
      set({ notice: { key: 'security.backupMade', values: { name: b.name } } });
      await get().loadBackups();
    } catch (error) {
      set({ error });
    }
  },
  async restore(name) {
    set({ error: null, notice: null });
    try {
      const r = await api().call('backup:restore', { name });
      set({ notice: { key: 'security.restored', values: { count: r.events } } });
      return true;
    } catch (error) {
      set({ error });
      return false;
    }
  },
}));
