import type { ApiInput, ApiOutput, Channel } from '../../shared/contract';
import type { ApiErrorShape } from '../../shared/errors';
import type { Transport } from './transport';
import { createElectronTransport } from './transportElectron';
import { createHttpTransport, readLaunchToken } from './transportHttp';

/** An API error as the renderer sees it: the code picks the translated message. */
export class ApiError extends Error {
  readonly shape: ApiErrorShape;
  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.shape = shape;
  }
  get code(): ApiErrorShape['code'] {
    return this.shape.code;
  }
  get isNetwork(): boolean {
    return this.shape.details?.network === true;
  }
}

/** A field of bytes may be given as a Blob (a slice of a file): the host receives its bytes either way. */
type BytesOrBlob<V> = Uint8Array extends V ? V | Blob : V;
/** An input as the renderer gives it to the client: the channel's input, with Blobs for its bytes. */
export type ClientInput<C extends Channel> = { [K in keyof ApiInput<C>]: BytesOrBlob<ApiInput<C>[K]> };

export interface ApiClient {
  call<C extends Channel>(channel: C, input: ClientInput<C>): Promise<ApiOutput<C>>;
}

/**
 * A Blob's bytes. FileReader: available in every runtime the desk uses (and in jsdom, whose Blob has
 * no `arrayBuffer()`).
 */
function readBlob(blob: Blob): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsArrayBuffer(blob);
  });
}

/** The input with every Blob field read into bytes, for a transport that sends no Blobs (Electron's IPC). */
async function blobsRead(input: unknown): Promise<unknown> {
  if (typeof Blob === 'undefined' || !input || typeof input !== 'object' || !Object.values(input).some((v) => v instanceof Blob)) return input;
  const entries = await Promise.all(Object.entries(input).map(async ([k, v]) => [k, v instanceof Blob ? await readBlob(v) : v] as const));
  return Object.fromEntries(entries);
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(channel, input) {
      const res = await transport.invoke(channel, transport.sendsBlobs ? input : await blobsRead(input));
      if (!res.ok) throw new ApiError(res.error);
      return res.value as never;
    },
  };
}

let current: ApiClient | null = null;

/** The app's client: picks the transport once (bridge present → Electron, else HTTP). Tests inject their own. */
export function api(): ApiClient {
  if (!current) {
    current = createApiClient(window.roadshow ? createElectronTransport(window.roadshow) : createHttpTransport(readLaunchToken()));
  }
  return current;
}

export function setApiClient(client: ApiClient | null): void {
  current = client;
}
