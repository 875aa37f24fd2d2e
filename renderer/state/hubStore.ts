import { create } from 'zustand';
import type { HubServeStatus, HubStatus } from '../../shared/ipc/hubContract';
import type { SyncResult } from '../../shared/ipc/syncContract';
import { api } from '../api/apiClient';
import { useAppStore } from './appStore';

export type HubBusy = 'connect' | 'auto' | 'sync' | 'forget' | null;

/** Actions of the hub this laptop runs itself (the "Run the venue hub" card). */
export type HubServeBusy = 'start' | 'link' | 'stop' | null;

export interface HubConnectInput {
  url: string;
  certFingerprint: string;
  code: string;
  label: string;
}

interface HubState {
  status: HubStatus | null;
  /** The last "Sync with hub now" result. */
  result: SyncResult | null;
  /** The last action's error (translated by the screen); null after a success. */
  error: unknown;
  /** Which action last succeeded, for its confirmation line. */
  done: Exclude<HubBusy, null> | null;
  busy: HubBusy;
  /** Reads the hub status; polling errors are kept quiet (the next poll tries again). Returns the status or null. */
  load(): Promise<HubStatus | null>;
  connect(input: HubConnectInput): Promise<boolean>;
  setAuto(on: boolean): Promise<void>;
  syncNow(): Promise<void>;
  forget(): Promise<void>;
  clearMessages(): void;
  /** The hub this laptop runs (null until read); its action's own busy, error and confirmation. */
  serve: HubServeStatus | null;
  serveBusy: HubServeBusy;
  serveError: unknown;
  serveDone: Exclude<HubServeBusy, null> | null;
  /** Reads the served hub's status; polling errors are kept quiet. */
  loadServe(): Promise<HubServeStatus | null>;
  /** Starts the hub (optionally linked to HQ with a hub code). Returns true when it worked. */
  startServing(upstreamCode: string): Promise<boolean>;
  /** Links the running hub to HQ with a hub code. */
  linkServing(upstreamCode: string): Promise<boolean>;
  /** A one-use code for one desk to join the served hub again. */
  rejoinCode(deviceId: string): Promise<{ deviceId: string; code: string } | null>;
  /** `deleteData`: also delete the hub's copy (the core refuses unless HQ holds all of it). */
  stopServing(deleteData?: boolean): Promise<boolean>;
}

export const getEmptyHubState = () => ({
  status: null,
  result: null,
  error: null,
  done: null,
  busy: null as HubBusy,
  serve: null,
  serveBusy: null as HubServeBusy,
  serveError: null,
  serveDone: null,
});

/** A hub is set up on this desk (an address is saved): its status is worth polling. */
export const hubConfigured = (status: HubStatus | null): boolean => status?.hubUrl != null;

/** The venue hub on the Sync screen, the header's hub badge and the live refresh of the desk screens. */
export const useHubStore = create<HubState>()((set, get) => {
  const act = async (busy: Exclude<HubBusy, null>, fn: () => Promise<void>): Promise<boolean> => {
    set({ busy, error: null, done: null });
    try {
      await fn();
      set({ done: busy });
      return true;
    } catch (error) {
      set({ error });
      await get().load();
      return false;
    } finally {
      set({ busy: null });
    }
  };
  /** Starting or stopping the hub also joins or drops this laptop's own desk: the desk's status is read again after. */
  const serveAct = async (serveBusy: Exclude<HubServeBusy, null>, input: { on: boolean; upstreamCode?: string; deleteData?: boolean }): Promise<boolean> => {
    set({ serveBusy, serveError: null, serveDone: null });
    try {
      const code = input.upstreamCode?.trim();
      set({ serve: await api().call('hub:serve', { on: input.on, ...(code ? { upstreamCode: code } : {}), deleteData: input.deleteData ?? false }), serveDone: serveBusy });
      return true;
    } catch (serveError) {
      // The core starts all or nothing (a refused HQ link leaves no hub running): show what runs now.
      await get().loadServe();
      set({ serveError });
      return false;
    } finally {
      set({ serveBusy: null });
      await get().load();
    }
  };
  return {
    ...getEmptyHubState(),
    async load() {
      try {
        const before = get().status?.receivedSinceStart;
        const status = await api().call('hub:status', {});
        set({ status });
        // The hub's loop brought other desks' or HQ's events (maybe the tour plan): the pickers follow.
        if (before !== undefined && status.receivedSinceStart > before) void useAppStore.getState().refreshInfo({ received: true });
        return status;
      } catch {
        return null;
      }
    },
    connect: (input) =>
      act('connect', async () => {
        set({ result: null });
        const status = await api().call('hub:connect', {
          url: input.url.trim(),
          ...(input.certFingerprint.trim() ? { certFingerprint: input.certFingerprint.trim() } : {}),
          ...(input.code.trim() ? { code: input.code.trim() } : {}),
          label: input.label.trim(),
        });
        set({ status });
      }),
    setAuto: async (on) => {
      await act('auto', async () => set({ status: await api().call('hub:auto', { on }) }));
    },
    syncNow: async () => {
      await act('sync', async () => {
        set({ result: null });
        try {
          set({ result: await api().call('hub:syncNow', {}) });
        } finally {
          await get().load();
          void useAppStore.getState().refreshInfo({ received: true });
        }
      });
    },
    forget: async () => {
      await act('forget', async () => set({ status: await api().call('hub:forget', {}), result: null }));
    },
    clearMessages: () => set({ error: null, done: null }),
    async loadServe() {
      try {
        const serve = await api().call('hub:serveStatus', {});
        set({ serve });
        return serve;
      } catch {
        return null;
      }
    },
    startServing: (upstreamCode) => serveAct('start', { on: true, upstreamCode }),
    linkServing: (upstreamCode) => serveAct('link', { on: true, upstreamCode }),
    async rejoinCode(deviceId) {
      set({ serveError: null });
      try {
        return await api().call('hub:rejoinCode', { deviceId });
      } catch (serveError) {
        set({ serveError });
        return null;
      }
    },
    stopServing: (deleteData = false) => serveAct('stop', { on: false, deleteData }),
  };
});
