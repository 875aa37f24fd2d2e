import { canonicalOfGroup, type MergeEdge } from '../../domain/mergeGroups';
import type { ProjectionFactory } from './projection';

/**
 * One person across cities: each attendee_merged is an insert-only fact; the canonical record of
 * every record in the merged group is re-derived from the group's merges (core/domain/mergeGroups),
 * so chains, concurrent merges and merges that arrive before the attendee rows all converge.
 */
export const mergeProjection: ProjectionFactory = (db) => {
  const insert = db.prepare(`
    INSERT OR IGNORE INTO attendee_merges (event_id, from_id, into_id, reason, actor_id, hlc, at)
    VALUES (@eventId, @fromAttendeeId, @intoAttendeeId, @reason, @actorId, @hlc, @at)`);
  const edgesOf = db.prepare<[string, string], { from_id: string; into_id: string; hlc: string }>(
    'SELECT from_id, into_id, hlc FROM attendee_merges WHERE from_id = ? OR into_id = ?',
  );
  const setCanonical = db.prepare(`
    INSERT INTO attendee_canonical (attendee_id, canonical_id) VALUES (?, ?)
    ON CONFLICT(attendee_id) DO UPDATE SET canonical_id = excluded.canonical_id`);

  function groupEdges(start: string): MergeEdge[] {
    const seen = new Set<string>([start]);
    const queue = [start];
    const edges = new Map<string, MergeEdge>();
    while (queue.length > 0) {
      const id = queue.pop()!;
      for (const e of edgesOf.all(id, id)) {
        edges.set(`${e.from_id}\u0000${e.into_id}\u0000${e.hlc}`, { fromId: e.from_id, intoId: e.into_id, hlc: e.hlc });
        for (const next of [e.from_id, e.into_id]) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
    }
    return [...edges.values()];
  }

  return {
    tables: [
      { name: 'attendee_merges', orderBy: 'event_id' },
      { name: 'attendee_canonical', orderBy: 'attendee_id' },
    ],
    handlers: {
      attendee_merged: (e) => {
        insert.run({ ...e.payload, eventId: e.eventId, actorId: e.actorId, hlc: e.hlc, at: e.recordedAt });
        const { members, canonical } = canonicalOfGroup(groupEdges(e.payload.fromAttendeeId));
        for (const m of members) setCanonical.run(m, canonical);
      },
    },
  };
};
