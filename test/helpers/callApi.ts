import type { ApiInput, ApiOutput, Channel } from '../../shared/contract';
import type { ApiErrorShape } from '../../shared/errors';
import type { ApiContext } from '../../core/api/apiContext';
import { dispatch } from '../../core/api/dispatch';

/** Calls the API as a transport would; throws with the error shape so tests can assert on codes. */
export async function callApi<C extends Channel>(ctx: ApiContext, channel: C, input: ApiInput<C>): Promise<ApiOutput<C>> {
  const res = await dispatch(channel, input, ctx);
  if (!res.ok) throw Object.assign(new Error(`${res.error.code}: ${res.error.message}`), { shape: res.error });
  return res.value as ApiOutput<C>;
}

export async function callApiError(ctx: ApiContext, channel: string, input: unknown): Promise<ApiErrorShape> {
  const res = await dispatch(channel, input, ctx);
  if (res.ok) throw new Error(`Expected ${channel} to fail, it answered ${JSON.stringify(res.value).slice(0, 200)}`);
  return res.error;
}
