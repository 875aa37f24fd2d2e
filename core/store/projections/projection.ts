import type { EventEnvelope } from '../../../shared/events/envelope';
import type { EventPayload, EventType } from '../../../shared/events/eventTypes';
import type { Db } from '../sqlite';

export type TypedEvent<T extends EventType> = Omit<EventEnvelope, 'payload' | 'type'> & { type: T; payload: EventPayload<T> };

/**
 * What the writer knows about an event beyond its content. `fresh`: the event creates an aggregate
 * under an id minted for it, which no event named before (a bulk import's new people: the rows of a
 * `registrations_imported` marked `created`), so a projection may insert without reading first.
 * `staged`: those new people and the event's registrations are already bound into this connection's
 * staging tables (core/store/projections/importedRowsStage.ts); the handler has them inserted from
 * there under the event's HLC and folds only the other rows itself. A handler must give the same rows either way.
 */
export interface ApplyHints {
  fresh?: boolean;
  staged?: StagedImportRows;
}

/** One `registrations_imported` slice's new people and registrations, staged before its event existed. */
export interface StagedImportRows {
  /** Inserts them into the projection's tables as the event (this HLC, this stop) would, one statement per table. */
  apply(hlc: string, stopId: string): void;
}

export type ProjectionHandlers = { [T in EventType]?: (event: TypedEvent<T>, hints?: ApplyHints) => void };

/**
 * A bulk path's handlers (the sync pull's, core/store/pulledEvents.ts): many events of one type at
 * once, folded set-wise (many rows per statement). Each must leave exactly the rows its per-event
 * handler leaves for the same events (test/core/store/bulkProjections.test.ts).
 */
export type BulkProjectionHandlers = { [T in EventType]?: (events: readonly TypedEvent<T>[]) => void };

/**
 * One feature's projection: how its events fold into its tables. Every handler must be
 * order independent (last-writer-wins by HLC, or insert-only facts), so any delivery order of the
 * same set of events gives the same tables; test/core/store/projections checks this.
 */
export interface Projection {
  /** Tables this projection owns, with the columns that order their rows for the state hash. */
  tables: readonly { name: string; orderBy: string }[];
  handlers: ProjectionHandlers;
  /** Optional set-wise handlers for some of the types in `handlers`; the others are folded event by event. */
  bulk?: BulkProjectionHandlers;
}

export type ProjectionFactory = (db: Db) => Projection;
