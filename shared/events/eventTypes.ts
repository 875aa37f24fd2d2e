import type { z } from 'zod';
import { mergeUnique } from '../mergeUnique';
import { attendeeEvents } from './attendeeEvents';
import { attendeeCorrectionEvents } from './attendeeCorrectionEvents';
import { boothEvents } from './boothEvents';
import { consultationEvents } from './consultationEvents';
import { hqEvents } from './hqEvents';
import { mailEvents } from './mailEvents';
import { masterDataEvents } from './masterDataEvents';
import { noShowEvents } from './noShowEvents';
import { programEvents } from './programEvents';
import { securityEvents } from './securityEvents';
import { sessionCheckinEvents } from './sessionCheckinEvents';

/**
 * Every event type the app knows, with its payload schema. A feature adds its own map in
 * shared/events/<feature>Events.ts and lists it here; a type defined twice throws at load.
 */
export const EVENT_PAYLOADS = mergeUnique(masterDataEvents, attendeeEvents, boothEvents, securityEvents, consultationEvents, hqEvents, sessionCheckinEvents, noShowEvents, attendeeCorrectionEvents, programEvents, mailEvents);

export type EventType = keyof typeof EVENT_PAYLOADS;
export type EventPayload<T extends EventType> = z.infer<(typeof EVENT_PAYLOADS)[T]>;
/** What a writer may pass: fields with a default may be left out (the schema fills them in). */
export type EventPayloadInput<T extends EventType> = z.input<(typeof EVENT_PAYLOADS)[T]>;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

/** The schema version this build writes and fully understands. Newer events are stored, not projected. */
export const CURRENT_SCHEMA_VERSION = 1;
