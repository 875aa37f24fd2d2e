import type { EventEnvelope } from '../../../shared/events/envelope';
import type { EventPayload, EventType } from '../../../shared/events/eventTypes';
import type { Db } from '../sqlite';

export type TypedEvent<T extends EventType> = Omit<EventEnvelope, 'payload' | 'type'> & { type: T; payload: EventPayload<T> };

export type ProjectionHandlers = { [T in EventType]?: (event: TypedEvent<T>) => void };

/**
 * One feature's projection: how its events fold into its tables. Every handler must be
 * order independent (last-writer-wins by HLC, or insert-only facts), so any delivery order of the
 * same set of events gives the same tables; test/core/store/projections checks this.
 */
export interface Projection {
  /** Tables this projection owns, with the columns that order their rows for the state hash. */
  tables: readonly { name: string; orderBy: string }[];
  handlers: ProjectionHandlers;
}

export type ProjectionFactory = (db: Db) => Projection;
