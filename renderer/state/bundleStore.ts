import { create } from 'zustand';
import type { BundleFile, BundleImportReport } from '../../shared/ipc/bundleContract';
import { api } from '../api/apiClient';
import { downloadBase64File } from '../util/downloadFile';
import { useAppStore } from './appStore';

interface BundleState {
  busy: 'export' | 'import' | null;
  exported: Omit<BundleFile, 'base64'> | null;
  report: BundleImportReport | null;
  error: unknown;
  exportBundle(scope: 'unsent' | 'all'): Promise<void>;
  importBundle(file: Blob): Promise<void>;
}

export const getEmptyBundleState = () => ({ busy: null, exported: null, report: null, error: null });

/** The file's bytes as base64 (FileReader: in every browser, Electron's renderer and jsdom). */
function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** USB bundles on the Sync screen: export this laptop's events for HQ, import another laptop's bundle. */
export const useBundleStore = create<BundleState>()((set) => ({
  ...getEmptyBundleState(),
  async exportBundle(scope) {
    set({ busy: 'export', error: null, exported: null, report: null });
    try {
      const file = await api().call('bundle:export', { scope });
      downloadBase64File(file);
      const { base64: _bytes, ...rest } = file;
      set({ exported: rest });
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: null });
    }
  },
  async importBundle(file) {
    set({ busy: 'import', error: null, exported: null, report: null });
    try {
      const base64 = await readBase64(file);
      set({ report: await api().call('bundle:import', { base64 }) });
      void useAppStore.getState().refreshInfo({ received: true });
    } catch (error) {
      set({ error });
    } finally {
      set({ busy: null });
    }
  },
}));
