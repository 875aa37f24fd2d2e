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

export interface ApiClient {
  call<C extends Channel>(channel: C, input: ApiInput<C>): Promise<ApiOutput<C>>;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call(channel, input) {
      const res = await transport.invoke(channel, input);
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
