/**
 * One group of pulled pages applied to a store: the events (through the bulk path,
 * core/store/pulledEvents.ts), the conflicts they brought, and the cursor that covers them, in ONE
 * transaction: they land together or not at all. Runs on the sync's own thread, or on the pull's
 * apply thread (pullApplyThread.ts) with that thread's connection to the same store.
 */
import type { EventEnvelope } from '../../shared/events/envelope';
import type { Store } from '../store/openStore';
import { ingestBulk, type IncomingEvent } from '../store/pulledEvents';
import { createSyncQueries, type SyncKeys } from '../store/queries/syncQueries';
import { countConflicts } from './conflicts';
import { payloadTexts } from './payloadTexts';

export interface GroupApplied {
  added: number;
  conflicts: number;
}

/** Applies `events` and moves the pull cursor (`keys`) to `cursor` (forward only), in one transaction. */
export function applyPulledGroup(store: Store, keys: SyncKeys | undefined, events: readonly IncomingEvent[], cursor: string, beforeCursor?: () => void): GroupApplied {
  const q = createSyncQueries(store.db, keys);
  return store.events.transaction(() => {
    const report = ingestBulk(store, events);
    const conflicts = report.added > 0 ? countConflicts(store.db, events.map((e) => e.envelope)) : 0;
    beforeCursor?.();
    if (BigInt(cursor) > BigInt(q.pullCursor())) q.set(q.keys.pullCursor, cursor);
    return { added: report.added, conflicts };
  });
}

/**
 * The other devices' events of a pull answer, each with its payload's text as HQ sent it (stored
 * verbatim; without the text, the parsed payload is serialised again by the bulk path).
 */
export function incomingOf(events: readonly EventEnvelope[], text: string | undefined, ownDeviceId: string): IncomingEvent[] {
  const texts = text !== undefined && events.length > 0 ? payloadTexts(text) : null;
  const usable = texts !== null && texts.length === events.length;
  const out: IncomingEvent[] = [];
  events.forEach((envelope, i) => {
    if (envelope.deviceId !== ownDeviceId) out.push(usable ? { envelope, payloadText: texts[i]! } : { envelope });
  });
  return out;
}

/** What the sync's thread sends the apply thread: pages' answer texts, validated there with `PullResponse` (the edge). */
export interface PullApplyRequest {
  id: number;
  /** The answers' JSON texts, in order: the apply thread parses them again (the same text gives the same values). */
  texts: string[];
  cursor: string;
  keys: SyncKeys | undefined;
}

export type PullApplyReply =
  | { ready: true }
  | { id: number; ok: true; added: number; conflicts: number }
  | { id: number; ok: false; message: string; code?: string; details?: Record<string, unknown> };

export interface PullApplyWorkerData {
  file: string;
  keyHex: string | null;
  /** The page cache (KiB) of the thread's connection during the pull. */
  cacheKib: number;
}

/** The apply thread's side: pages' answer texts (validated by the sender) into one group. */
export function applyPulledTexts(store: Store, req: Omit<PullApplyRequest, 'id'>): GroupApplied {
  const events: IncomingEvent[] = [];
  for (const text of req.texts) {
    const page = JSON.parse(text) as { events: EventEnvelope[] };
    for (const e of incomingOf(page.events, text, store.deviceId)) events.push(e);
  }
  return applyPulledGroup(store, req.keys, events, req.cursor);
}
