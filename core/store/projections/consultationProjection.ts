import { ConsultationContent, type ConsultationContent as Content } from '../../../shared/schemas/consultations';
import { normalizeContent, revisionState } from '../../domain/consultationRevisions';
import { normalizeLatin } from '../../domain/searchText';
import type { ProjectionFactory } from './projection';

interface RevisionRow {
  event_id: string;
  base_ids: string;
  content: string;
  hlc: string;
  at: string;
}

/** Notes as the search reads them: case- and accent-insensitive Latin, composed Hangul. */
export function notesSearchText(notes: string): string {
  return normalizeLatin(notes.normalize('NFC')).normalize('NFC');
}

/**
 * Consultations: the header is earliest-writer-wins by HLC, revisions are insert-only facts, and
 * `consultation_current` is recomputed from the whole set of a consultation's revisions after every
 * event (revisionState is a pure function of the set), so any delivery order converges to the same
 * heads, content and conflict flag.
 */
export const consultationProjection: ProjectionFactory = (db) => {
  const header = db.prepare(`
    INSERT INTO consultations (id, stop_id, institution_id, booth_id, booking_id, attendee_id, registration_id, visitor_label, logged_event_id, hlc, at)
    VALUES (@consultationId, @stopId, @institutionId, @boothId, @bookingId, @attendeeId, @registrationId, @visitorLabel, @eventId, @hlc, @at)
    ON CONFLICT(id) DO UPDATE SET stop_id = excluded.stop_id, institution_id = excluded.institution_id, booth_id = excluded.booth_id,
      booking_id = excluded.booking_id, attendee_id = excluded.attendee_id, registration_id = excluded.registration_id,
      visitor_label = excluded.visitor_label, logged_event_id = excluded.logged_event_id, hlc = excluded.hlc, at = excluded.at
    WHERE excluded.hlc < consultations.hlc`);
  const revision = db.prepare(`
    INSERT OR IGNORE INTO consultation_revisions (event_id, consultation_id, kind, base_ids, editor, content, device_id, desk, actor_id, hlc, at)
    VALUES (@eventId, @consultationId, @kind, @baseIds, @editor, @content, @deviceId, @desk, @actorId, @hlc, @at)`);
  const revisionsOf = db.prepare<[string], RevisionRow>(
    'SELECT event_id, base_ids, content, hlc, at FROM consultation_revisions WHERE consultation_id = ? ORDER BY hlc',
  );
  const upsertCurrent = db.prepare(`
    INSERT OR REPLACE INTO consultation_current (consultation_id, current_revision_id, head_ids, conflict, revision_count, updated_at,
      interest_level, follow_up_status, fields, other_fields, programs, program_ids, notes_search, content)
    VALUES (@id, @current, @heads, @conflict, @count, @updatedAt, @interest, @status, @fields, @otherFields, @programs, @programIds, @notes, @content)`);

  function recompute(consultationId: string): void {
    const rows = revisionsOf.all(consultationId);
    const state = revisionState(rows.map((r) => ({ revisionId: r.event_id, hlc: r.hlc, baseRevisionIds: JSON.parse(r.base_ids) as string[], row: r })));
    if (!state) return;
    const content = JSON.parse(state.current.row.content) as Content;
    upsertCurrent.run({
      id: consultationId,
      current: state.current.revisionId,
      heads: JSON.stringify(state.heads.map((h) => h.revisionId)),
      conflict: state.conflict ? 1 : 0,
      count: rows.length,
      updatedAt: state.current.row.at,
      interest: content.interestLevel,
      status: content.followUpStatus,
      fields: JSON.stringify(content.fields),
      otherFields: JSON.stringify(content.otherFields.map((f) => f.toLocaleLowerCase())),
      programs: JSON.stringify(content.programs),
      // Revisions stored before programmes were master data have no programIds.
      programIds: JSON.stringify(content.programIds ?? []),
      notes: notesSearchText(content.notes),
      content: state.current.row.content,
    });
  }

  function addRevision(
    e: { eventId: string; deviceId: string; actorId: string | null; hlc: string; recordedAt: string },
    consultationId: string,
    kind: 'logged' | 'edited' | 'resolved',
    baseIds: string[],
    editor: string,
    content: Content,
    desk: string,
  ): void {
    revision.run({
      eventId: e.eventId,
      consultationId,
      kind,
      baseIds: JSON.stringify([...new Set(baseIds)].sort()),
      editor,
      // Parsed again so that ingested content gets the same defaults and canonical form as local content.
      content: JSON.stringify(normalizeContent(ConsultationContent.parse(content))),
      deviceId: e.deviceId,
      desk,
      actorId: e.actorId,
      hlc: e.hlc,
      at: e.recordedAt,
    });
    recompute(consultationId);
  }

  return {
    tables: [
      { name: 'consultations', orderBy: 'id' },
      { name: 'consultation_revisions', orderBy: 'event_id' },
      { name: 'consultation_current', orderBy: 'consultation_id' },
    ],
    handlers: {
      consultation_logged: (e) => {
        const { content, desk, ...h } = e.payload;
        header.run({ ...h, eventId: e.eventId, hlc: e.hlc, at: e.recordedAt });
        addRevision(e, h.consultationId, 'logged', [], content.staffName, content, desk);
      },
      consultation_edited: (e) =>
        addRevision(e, e.payload.consultationId, 'edited', [e.payload.baseRevisionId], e.payload.editor, e.payload.content, e.payload.desk),
      consultation_conflict_resolved: (e) =>
        addRevision(e, e.payload.consultationId, 'resolved', e.payload.resolvedRevisionIds, e.payload.editor, e.payload.content, e.payload.desk),
    },
  };
};
