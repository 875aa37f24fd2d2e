import type { Result } from '../../shared/result';

/** How the renderer reaches core/api: the preload bridge in Electron, HTTP in browser mode. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /**
   * Whether a field of bytes may be given as a Blob (a slice of a chosen file), which the transport
   * sends as it is: browser mode's fetch hands a file's Blob to the network without the page reading
   * it (renderer/api/transportHttp.ts). Otherwise the API client reads a Blob into bytes first.
   */
  readonly sendsBlobs?: boolean;
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
