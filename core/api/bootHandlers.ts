import type { bootContract, BootCall } from '../../shared/ipc/bootContract';
import type { Result } from '../../shared/result';
import type { ApiContext } from './apiContext';
import type { HandlerMap } from './handler';

/**
 * What the first screen reads before the page can ask, in the order and with the inputs (key order
 * included) the stores send: renderer/state/authStore.ts and appStore.ts at once, then, for someone signed in
 * who may check people in at the desk's stop, renderer/state/checkinStore.ts, attendeeEditStore.ts and
 * sessionCheckinStore.ts. renderer/public/prefetch.js offers each answer to the call with the same channel and
 * input (the inputs: test/core/api/bootHandlers.test.ts; the offer: test/renderer/prefetchAnswers.test.tsx).
 */
export const BOOT_FIRST: readonly (readonly [string, Record<string, unknown>])[] = [
  ['auth:status', {}],
  ['settings:get', {}],
  ['app:info', {}],
  ['stops:list', {}],
  ['tours:list', {}],
];
export const bootCheckinReads = (stopId: string): readonly (readonly [string, Record<string, unknown>])[] => [
  ['checkin:counts', { stopId }],
  ['checkin:search', { stopId, query: '', limit: 20 }],
  ['attendees:flagged', { stopId }],
  ['sessions:list', { stopId }],
];

const valueOf = <T>(r: Result<unknown>): T | null => (r.ok ? (r.value as T) : null);

export const bootHandlers: HandlerMap<keyof typeof bootContract> = {
  'app:boot': async (_input, ctx: ApiContext) => {
    // Each read goes through dispatch as its own call would: its input schema, the sign-in and role rules, its
    // output schema. (Loaded here, not at the top: dispatch imports the handler map, which imports this file.)
    const { dispatch } = await import('./dispatch');
    const calls: BootCall[] = [];
    const ask = async (channel: string, input: Record<string, unknown>): Promise<Result<unknown>> => {
      const result = await dispatch(channel, input, ctx);
      calls.push({ channel, input, result });
      return result;
    };
    const results: Result<unknown>[] = [];
    for (const [channel, input] of BOOT_FIRST) results.push(await ask(channel, input));
    const status = valueOf<{ signedIn: unknown; permissions: string[] }>(results[0]!);
    const stopId = valueOf<{ currentStopId: string | null }>(results[1]!)?.currentStopId;
    if (stopId && status?.signedIn && status.permissions.includes('checkin.write')) {
      for (const [channel, input] of bootCheckinReads(stopId)) await ask(channel, input);
    }
    return { calls };
  },
};
