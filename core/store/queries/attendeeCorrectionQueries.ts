import type { FieldChange } from '../../../shared/events/attendeeCorrectionEvents';
import type { AttendeeEditState, DetailHistoryEntry, FlaggedAttendee } from '../../../shared/ipc/attendeeCorrectionContract';
import type { Attendee } from '../../../shared/schemas/attendees';
import type { CorrectionState } from '../../domain/attendeeCorrections';
import type { Db } from '../sqlite';

interface AttendeeRow {
  id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: Attendee['careerStage'];
  fields: string;
}
interface CorrectionRow {
  event_id: string;
  kind: 'edit' | 'resolve';
  changes: string;
  desk: string;
  device_id: string;
  staff_name: string | null;
  at: string;
}
interface StateRow {
  head_ids: string;
  conflicts: string;
}

const toAttendee = (r: AttendeeRow): Attendee => ({
  id: r.id,
  familyName: r.family_name,
  givenName: r.given_name,
  nameKo: r.name_ko,
  email: r.email,
  affiliation: r.affiliation,
  careerStage: r.career_stage,
  fields: JSON.parse(r.fields) as Attendee['fields'],
});

const ATTENDEE_COLS = 'a.id, a.family_name, a.given_name, a.name_ko, a.email, a.affiliation, a.career_stage, a.fields';

/** A person's details, corrections (with the staff member's name) and conflicts, read from the projections. */
export function createAttendeeCorrectionQueries(db: Db) {
  const attendee = db.prepare<[string], AttendeeRow>(`SELECT ${ATTENDEE_COLS} FROM attendees a WHERE a.id = ?`);
  const state = db.prepare<[string], StateRow>('SELECT head_ids, conflicts FROM attendee_correction_state WHERE attendee_id = ?');
  const corrections = db.prepare<[string], CorrectionRow>(`
    SELECT c.event_id, c.kind, c.changes, c.desk, c.device_id, s.name AS staff_name, c.at
    FROM attendee_corrections c LEFT JOIN staff s ON s.id = c.actor_id
    WHERE c.attendee_id = ? ORDER BY c.hlc DESC`);
  const flagged = db.prepare<[string], AttendeeRow & { registration_id: string; conflicts: string }>(`
    SELECT ${ATTENDEE_COLS}, r.id AS registration_id, st.conflicts
    FROM attendee_correction_state st JOIN attendees a ON a.id = st.attendee_id
    JOIN registrations r ON r.attendee_id = st.attendee_id AND r.stop_id = ?
    WHERE st.conflict = 1 ORDER BY a.family_name, a.given_name, a.name_ko`);

  const stateOf = (id: string): CorrectionState => {
    const s = state.get(id);
    return s ? { headIds: JSON.parse(s.head_ids) as string[], conflicts: JSON.parse(s.conflicts) as CorrectionState['conflicts'] } : { headIds: [], conflicts: [] };
  };

  return {
    attendee: (id: string): Attendee | null => {
      const r = attendee.get(id);
      return r ? toAttendee(r) : null;
    },
    state: stateOf,
    editState(id: string): AttendeeEditState | null {
      const r = attendee.get(id);
      if (!r) return null;
      const s = stateOf(id);
      const byId = new Map(corrections.all(id).map((c) => [c.event_id, c]));
      return {
        attendee: toAttendee(r),
        headIds: s.headIds,
        conflicts: s.conflicts.map((c) => ({
          field: c.field,
          versions: c.versions.map((v) => {
            const row = byId.get(v.correctionId);
            return { correctionId: v.correctionId, value: v.value as FieldChange['after'], staffName: row?.staff_name ?? null, desk: row?.desk ?? '', at: row?.at ?? '' };
          }),
        })),
      };
    },
    history(id: string): DetailHistoryEntry[] {
      const s = stateOf(id);
      const open = new Set(s.conflicts.length > 0 ? [...s.headIds, ...s.conflicts.flatMap((c) => c.versions.map((v) => v.correctionId))] : []);
      return corrections.all(id).map((c) => ({
        eventId: c.event_id,
        kind: c.kind === 'resolve' ? ('resolved' as const) : ('corrected' as const),
        at: c.at,
        staffName: c.staff_name,
        desk: c.desk,
        deviceId: c.device_id,
        changes: JSON.parse(c.changes) as FieldChange[],
        inConflict: open.has(c.event_id),
      }));
    },
    flagged: (stopId: string): FlaggedAttendee[] =>
      flagged.all(stopId).map((r) => ({
        attendee: toAttendee(r),
        registrationId: r.registration_id,
        fields: (JSON.parse(r.conflicts) as CorrectionState['conflicts']).map((c) => c.field),
      })),
  };
}
