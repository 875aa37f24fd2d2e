import type { z } from 'zod';
import { AttendeePatch } from '../../../shared/events/attendeeEvents';
import type { FieldChange } from '../../../shared/events/attendeeCorrectionEvents';
import { correctionState } from '../../domain/attendeeCorrections';
import { createAttendeeMerger } from './attendeeProjection';
import type { ProjectionFactory, TypedEvent } from './projection';

interface CorrectionRow {
  event_id: string;
  base_ids: string;
  changes: string;
  hlc: string;
}

/** The new values of a correction as a patch; a value the patch schema refuses is left out (never written by this app). */
function patchOf(changes: readonly FieldChange[]): z.infer<typeof AttendeePatch> {
  const raw: Record<string, unknown> = {};
  for (const c of changes) raw[c.field] = c.after;
  const parsed = AttendeePatch.safeParse(raw);
  if (parsed.success) return parsed.data;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const one = AttendeePatch.safeParse({ [k]: v });
    if (one.success) Object.assign(out, one.data);
  }
  return out as z.infer<typeof AttendeePatch>;
}

/**
 * Corrections of a person's details at a desk. The values go into `attendees` through the same
 * per-field last-writer-wins merge as every other writer; each correction is an insert-only fact
 * (history); `attendee_correction_state` is recomputed from the whole set of the person's
 * corrections after each one (a pure function of the set), so any delivery order gives the same rows.
 */
export const attendeeCorrectionProjection: ProjectionFactory = (db) => {
  const mergeFields = createAttendeeMerger(db);
  const insert = db.prepare(`
    INSERT OR IGNORE INTO attendee_corrections (event_id, attendee_id, kind, base_ids, changes, desk, device_id, actor_id, hlc, at)
    VALUES (@eventId, @attendeeId, @kind, @baseIds, @changes, @desk, @deviceId, @actorId, @hlc, @at)`);
  const correctionsOf = db.prepare<[string], CorrectionRow>('SELECT event_id, base_ids, changes, hlc FROM attendee_corrections WHERE attendee_id = ? ORDER BY hlc');
  const writeState = db.prepare(`
    INSERT OR REPLACE INTO attendee_correction_state (attendee_id, head_ids, conflict, conflicts) VALUES (@attendeeId, @heads, @conflict, @conflicts)`);

  function add(
    e: TypedEvent<'attendee_corrected'> | TypedEvent<'attendee_correction_resolved'>,
    kind: 'edit' | 'resolve',
    baseIds: readonly string[],
  ): void {
    const { attendeeId, changes, desk } = e.payload;
    if (changes.length > 0) mergeFields(attendeeId, e.hlc, patchOf(changes));
    insert.run({
      eventId: e.eventId,
      attendeeId,
      kind,
      baseIds: JSON.stringify([...baseIds].sort()),
      changes: JSON.stringify(changes),
      desk,
      deviceId: e.deviceId,
      actorId: e.actorId,
      hlc: e.hlc,
      at: e.recordedAt,
    });
    const rows = correctionsOf.all(attendeeId);
    const state = correctionState(
      rows.map((r) => ({ id: r.event_id, hlc: r.hlc, baseIds: JSON.parse(r.base_ids) as string[], changes: JSON.parse(r.changes) as FieldChange[] })),
    );
    if (!state) return;
    writeState.run({ attendeeId, heads: JSON.stringify(state.headIds), conflict: state.conflicts.length > 0 ? 1 : 0, conflicts: JSON.stringify(state.conflicts) });
  }

  return {
    tables: [
      { name: 'attendee_corrections', orderBy: 'event_id' },
      { name: 'attendee_correction_state', orderBy: 'attendee_id' },
    ],
    handlers: {
      attendee_corrected: (e) => add(e, 'edit', e.payload.baseCorrectionIds),
      attendee_correction_resolved: (e) => add(e, 'resolve', e.payload.resolvedCorrectionIds),
    },
  };
};
