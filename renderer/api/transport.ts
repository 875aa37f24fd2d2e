import type { Result } from '../../shared/result';

/** How the renderer reaches core/api: the preload bridge in Electron, HTTP in browser mode. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
}

/** What electron/preload exposes on `window.roadshow` (and nothing else). */
export interface PreloadBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
}

declare global {
  interface Window {
    roadshow?: PreloadBridge;
  }
}
