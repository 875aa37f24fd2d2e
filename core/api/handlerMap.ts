import type { Channel } from '../../shared/contract';
import { mergeUnique } from '../../shared/mergeUnique';
import { appHandlers } from './appHandlers';
import { checkinHandlers } from './checkinHandlers';
import type { Handler } from './handler';
import { masterDataHandlers } from './masterDataHandlers';

/**
 * The implementation of the whole contract. Typed as a full map, so a channel without a handler
 * fails tsc (Signal's DataReader); a channel handled twice throws at load (Actual's createApp).
 */
export const handlers: { [C in Channel]: Handler<C> } = mergeUnique(appHandlers, masterDataHandlers, checkinHandlers);
