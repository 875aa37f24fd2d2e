import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../../shared/result';
import { API_CHANNEL } from './apiChannel';

/** One typed function and nothing else: no raw ipcRenderer, no Node, no process.env. */
contextBridge.exposeInMainWorld('roadshow', {
  invoke: (channel: string, input: unknown): Promise<Result<unknown>> => ipcRenderer.invoke(API_CHANNEL, channel, input),
});
