import { create } from 'zustand';
import type { ImportField, ImportMapping, ImportOutcome, ImportPreset, ImportReport, ParsedImport } from '../../shared/ipc/importContract';
import type { RejectedRowLabels } from '../../shared/ipc/importRejectsContract';
import type { ImportProgressView } from '../../shared/ipc/importProgressContract';
import { api, ApiError } from '../api/apiClient';
import { useAppStore } from './appStore';

export type ImportStep = 'choose' | 'uploading' | 'mapping' | 'checking' | 'report' | 'importing' | 'done';

interface ImportState {
  step: ImportStep;
  /** 0–100 while uploading. */
  progress: number;
  /** Bytes of the file sent so far, of all (while uploading). */
  sent: { done: number; total: number } | null;
  /** How far the host's parse, check or commit is (polled while one runs; issue #22). */
  phase: ImportProgressView | null;
  /** In the report step: whether `error` came from the import or from the download of problem rows. */
  errorKind: 'commit' | 'download' | null;
  parsed: ParsedImport | null;
  mapping: ImportMapping;
  report: ImportReport | null;
  outcome: ImportOutcome | null;
  error: unknown;
  /** `stopId`: the stop the dialog imports into (the host then prepares the report of the suggested mapping). */
  uploadFile(file: Blob & { name: string }, stopId?: string): Promise<void>;
  setColumn(field: ImportField, column: number | null): void;
  applyPreset(preset: ImportPreset): void;
  check(stopId: string): Promise<void>;
  commit(stopId: string): Promise<ImportOutcome | null>;
  backToMapping(): void;
  reset(): void;
  template(): Promise<{ fileName: string; text: string }>;
  /** Every rejected row of the checked file as CSV, reasons in the texts given (the desk's language). */
  rejectedRows(stopId: string, labels: RejectedRowLabels): Promise<{ fileName: string; text: string }>;
  /** Called when the dialog opens: the host readies its import worker while the person picks a file. */
  prepare(): void;
}

/** Chunks keep each request far below the host's body limit and give the progress bar its steps. */
export const CHUNK_BYTES = 2 * 1024 * 1024;

export const getEmptyImportState = () => ({
  step: 'choose' as ImportStep,
  progress: 0,
  sent: null,
  phase: null,
  errorKind: null,
  parsed: null,
  mapping: {},
  report: null,
  outcome: null,
  error: null,
});

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `u${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

/**
 * How often the host is asked how far its step is while one runs. Twice a second moves the bar often
 * enough to read its counts; each reading costs the page a request and a render while the import's
 * two threads want both cores (issue #20: 250 ms cost Chromium 0.2–0.3 of a core during the check and commit).
 */
const POLL_MS = 500;

/** The three name fields and the full name: a mapping without any cannot be checked. */
const hasNameColumn = (m: ImportMapping): boolean => m.familyName !== undefined || m.givenName !== undefined || m.nameKo !== undefined || m.fullName !== undefined;

/** The import of pre-registrations: upload with progress, mapping, validation report, commit. */
export const useImportStore = create<ImportState>()((set, get) => ({
  ...getEmptyImportState(),
  async uploadFile(file, stopId) {
    set({ ...getEmptyImportState(), step: 'uploading', sent: { done: 0, total: file.size } });
    let stopWatching = (): void => undefined;
    let over = false;
    try {
      const uploadId = newId();
      const count = Math.max(1, Math.ceil(file.size / CHUNK_BYTES));
      let sent = 0;
      // Each chunk is a slice of the file (a Blob): browser mode's fetch sends it without the page reading it;
      // for Electron's IPC the API client reads its bytes (renderer/api/apiClient.ts).
      const send = async (i: number): Promise<void> => {
        await api().call('import:upload', { uploadId, fileName: file.name || 'import.csv', index: i, count, data: file.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES) });
        sent++;
        // A request still on its way when the upload failed says nothing more (another file may be under way).
        if (!over) set({ progress: Math.round((sent / count) * 100), sent: { done: Math.min(file.size, sent * CHUNK_BYTES), total: file.size } });
      };
      // Two chunks on their way at a time: the next one travels while the host takes the one before (it
      // decodes them in order whatever order they arrive in, core/import/importSession.ts).
      let previous: Promise<void> | null = null;
      for (let i = 0; i < count; i++) {
        const current = send(i);
        current.catch(() => undefined);
        if (previous) await previous;
        previous = current;
      }
      await previous;
      stopWatching = watchProgress(uploadId, set);
      const parsed = await api().call('import:parse', { uploadId, sheet: 0, ...(stopId ? { stopId } : {}) });
      set({ parsed, mapping: parsed.mapping, step: 'mapping' });
    } catch (error) {
      set({ step: 'choose', error });
    } finally {
      over = true;
      stopWatching();
      set({ phase: null });
    }
  },
  setColumn(field, column) {
    const mapping = { ...get().mapping };
    if (column === null) delete mapping[field];
    else mapping[field] = column;
    // A name column chosen answers the error about it.
    set({ mapping, report: null, ...(hasNameColumn(mapping) && get().error instanceof ApiError && (get().error as ApiError).code === 'IMPORT_NO_NAME_COLUMN' ? { error: null } : {}) });
  },
  applyPreset(preset) {
    const parsed = get().parsed;
    if (parsed) set({ mapping: { ...(parsed.presetMappings[preset] ?? {}) }, report: null, error: null });
  },
  async check(stopId) {
    const parsed = get().parsed;
    if (!parsed) return;
    // Said at once, next to the button, without a round trip (the host refuses it the same way).
    if (!hasNameColumn(get().mapping)) {
      set({ error: new ApiError({ code: 'IMPORT_NO_NAME_COLUMN', message: 'The mapping has no name column' }), step: 'mapping' });
      return;
    }
    set({ step: 'checking', error: null });
    const stopWatching = watchProgress(parsed.uploadId, set);
    try {
      const report = await api().call('import:check', { uploadId: parsed.uploadId, stopId, mapping: get().mapping });
      set({ report, step: 'report' });
    } catch (error) {
      set({ error, step: 'mapping' });
    } finally {
      stopWatching();
      set({ phase: null });
    }
  },
  async commit(stopId) {
    const parsed = get().parsed;
    if (!parsed) return null;
    set({ step: 'importing', error: null });
    const stopWatching = watchProgress(parsed.uploadId, set);
    try {
      const outcome = await api().call('import:commit', { uploadId: parsed.uploadId, stopId, mapping: get().mapping });
      void api().call('import:discard', { uploadId: parsed.uploadId }).catch(() => undefined);
      set({ outcome, step: 'done' });
      // The header's "not yet at HQ" count includes what was just imported.
      if (outcome.events > 0) void useAppStore.getState().refreshInfo();
      return outcome;
    } catch (error) {
      set({ error, errorKind: 'commit', step: 'report' });
      return null;
    } finally {
      stopWatching();
      set({ phase: null });
    }
  },
  backToMapping: () => set({ step: 'mapping', report: null, error: null }),
  reset() {
    const parsed = get().parsed;
    if (parsed) void api().call('import:discard', { uploadId: parsed.uploadId }).catch(() => undefined);
    set(getEmptyImportState());
  },
  template: () => api().call('import:template', {}),
  rejectedRows: async (stopId, labels) => {
    const { parsed, mapping } = get();
    if (!parsed) throw new Error('No file checked');
    try {
      return await api().call('import:rejectedRows', { uploadId: parsed.uploadId, stopId, mapping, labels });
    } catch (error) {
      set({ error, errorKind: 'download' });
      throw error;
    }
  },
  prepare: () => void api().call('import:prepare', {}).catch(() => undefined),
}));

/**
 * Asks the host how far the upload's parse, check or commit is, every POLL_MS until stopped (the
 * host reads counters its import threads share with it: it answers at once, also mid-commit).
 */
function watchProgress(uploadId: string, set: (s: Partial<ImportState>) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = '';
  const tick = async (): Promise<void> => {
    try {
      const phase = await api().call('import:progress', { uploadId });
      // The same reading again (a step waiting on the disk) changes nothing on screen: not set again.
      const seen = JSON.stringify(phase);
      if (!stopped && seen !== last) {
        last = seen;
        set({ phase });
      }
    } catch {
      // A missed reading is only a bar that does not move for a moment.
    }
    if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
  };
  timer = setTimeout(() => void tick(), POLL_MS);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
