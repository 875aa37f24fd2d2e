import type { EventEnvelope } from '../../../shared/events/envelope';
import type { EventPayload, EventType } from '../../../shared/events/eventTypes';
import type { Db } from '../sqlite';

export type TypedEvent<T extends EventType> = Omit<EventEnvelope, 'payload' | 'type'> & { type: T; payload: EventPayload<T> };

/**
 * What the writer knows about an event beyond its content. `fresh`: the event creates an aggregate
 * under an id minted for it, which no event named before (a bulk import's new people: the rows of a
 * `registrations_imported` marked `created`), so a projection may insert without reading first. A handler must give the same row either way.
 */
export interface ApplyHints {
  fresh?: boolean;
}

export type ProjectionHandlers = { [T in EventType]?: (event: TypedEvent<T>, hints?: ApplyHints) => void };

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
