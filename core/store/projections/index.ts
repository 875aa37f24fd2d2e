import type { EventType } from '../../../shared/events/eventTypes';
import type { Db } from '../sqlite';
import { attendeeProjection } from './attendeeProjection';
import { attendeeCorrectionProjection } from './attendeeCorrectionProjection';
import { boothProjection } from './boothProjection';
import { consultationProjection } from './consultationProjection';
import { masterDataProjection } from './masterDataProjection';
import { mergeProjection } from './mergeProjection';
import { mailPreferenceProjection } from './mailPreferenceProjection';
import { deviceKeyProjection } from './deviceKeyProjection';
import { noShowProjection } from './noShowProjection';
import { programProjection } from './programProjection';
import type { ApplyHints, Projection, ProjectionFactory, TypedEvent } from './projection';
import { securityProjection } from './securityProjection';
import { sessionCheckinProjection } from './sessionCheckinProjection';

/** Every feature's projection. A feature adds its factory here. */
export const PROJECTIONS: readonly ProjectionFactory[] = [masterDataProjection, attendeeProjection, boothProjection, securityProjection, consultationProjection, mergeProjection, deviceKeyProjection, sessionCheckinProjection, noShowProjection, attendeeCorrectionProjection, programProjection, mailPreferenceProjection];

export interface Projector {
  apply(event: TypedEvent<EventType>, hints?: ApplyHints): void;
  /** Folds many events of one type: set-wise where its projection has a bulk handler, else one by one (same rows). */
  applyAll(type: string, events: readonly TypedEvent<EventType>[]): void;
  tables: readonly { name: string; orderBy: string }[];
  handles(type: string): boolean;
}

export function createProjector(db: Db, factories: readonly ProjectionFactory[] = PROJECTIONS): Projector {
  const handlers = new Map<string, (e: TypedEvent<EventType>, hints?: ApplyHints) => void>();
  const bulk = new Map<string, (events: readonly TypedEvent<EventType>[]) => void>();
  const tables: { name: string; orderBy: string }[] = [];
  for (const factory of factories) {
    const p: Projection = factory(db);
    tables.push(...p.tables);
    for (const [type, handler] of Object.entries(p.handlers)) {
      if (handlers.has(type)) throw new Error(`Two projections handle ${type}`);
      handlers.set(type, handler as (e: TypedEvent<EventType>, hints?: ApplyHints) => void);
    }
    for (const [type, handler] of Object.entries(p.bulk ?? {})) {
      if (!(type in p.handlers)) throw new Error(`A bulk handler without its event handler: ${type}`);
      bulk.set(type, handler as (events: readonly TypedEvent<EventType>[]) => void);
    }
  }
  return {
    tables,
    handles: (type) => handlers.has(type),
    apply(event, hints) {
      const h = handlers.get(event.type);
      if (!h) throw new Error(`No projection for event type ${event.type}`);
      h(event, hints);
    },
    applyAll(type, events) {
      const many = bulk.get(type);
      if (many && events.length > 1) {
        many(events);
        return;
      }
      for (const event of events) this.apply(event);
    },
  };
}
