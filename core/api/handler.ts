import type { ApiOutput, ApiParsedInput, Channel } from '../../shared/contract';
import type { ApiContext } from './apiContext';

export type Handler<C extends Channel> = (input: ApiParsedInput<C>, ctx: ApiContext) => ApiOutput<C> | Promise<ApiOutput<C>>;

/** A feature's handlers: exactly the channels of its contract, typed from it. */
export type HandlerMap<C extends Channel> = { [K in C]: Handler<K> };
