import type { AttendeeFields } from '../../../shared/schemas/attendees';
import { ALL_AT_CREATION, fieldsColumn } from './attendeeColumns';
import { FreshImportedRows } from './freshImportedRows';
import { MultiRowInsert } from './multiRowInsert';
import type { ApplyHints, ProjectionFactory, TypedEvent } from './projection';
import type { Db } from '../sqlite';

type FieldName = keyof AttendeeFields;
const FIELDS: readonly FieldName[] = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields'];
const EMPTY: AttendeeFields = { familyName: '', givenName: '', nameKo: '', email: '', affiliation: '', careerStage: 'other', fields: [] };

interface AttendeeRow {
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: string;
  fields: string;
  field_hlcs: string;
  created_hlc: string;
}

/**
 * Per-field last-writer-wins writes to `attendees`: the one merge every writer of a person's fields
 * uses (registration, update, import, a desk's correction), so they all agree on which value wins.
 */
export function createAttendeeMerger(db: Db): (id: string, hlc: string, patch: Partial<AttendeeFields>, hints?: ApplyHints) => void {
  const getAttendee = db.prepare<[string], AttendeeRow>('SELECT * FROM attendees WHERE id = ?');
  const upsertAttendee = db.prepare(`
    INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc)
    VALUES (@id, @familyName, @givenName, @nameKo, @email, @affiliation, @careerStage, @fields, @fieldHlcs, @createdHlc)
    ON CONFLICT(id) DO UPDATE SET family_name = excluded.family_name, given_name = excluded.given_name,
      name_ko = excluded.name_ko, email = excluded.email, affiliation = excluded.affiliation,
      career_stage = excluded.career_stage, fields = excluded.fields, field_hlcs = excluded.field_hlcs,
      created_hlc = excluded.created_hlc`);
  // A person the writer knows is new (`fresh`): a plain INSERT, so a wrong hint fails loudly rather than merging.
  const insertAttendee = db.prepare<[string, string, string, string, string, string, string, string, string, string]>(`
    INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  function readHlcs(row: AttendeeRow): Partial<Record<FieldName, string>> {
    if (row.field_hlcs === ALL_AT_CREATION) return Object.fromEntries(FIELDS.map((f) => [f, row.created_hlc]));
    return JSON.parse(row.field_hlcs) as Partial<Record<FieldName, string>>;
  }
  function writeHlcs(hlcs: Partial<Record<FieldName, string>>, createdHlc: string): string {
    if (FIELDS.every((f) => hlcs[f] === createdHlc)) return ALL_AT_CREATION;
    return JSON.stringify(Object.fromEntries(Object.entries(hlcs).sort()));
  }

  function mergeFields(id: string, hlc: string, patch: Partial<AttendeeFields>, hints?: ApplyHints): void {
    // Fresh and complete (an import's new person): no row can exist yet, so the merge below would
    // start from EMPTY and take every field at this HLC; the same row, written directly.
    if (hints?.fresh && FIELDS.every((f) => patch[f] !== undefined)) {
      const p = patch as AttendeeFields;
      const fields = fieldsColumn(p.fields);
      insertAttendee.run(id, p.familyName, p.givenName, p.nameKo, p.email, p.affiliation, p.careerStage, fields, ALL_AT_CREATION, hlc);
      return;
    }
    const row = hints?.fresh ? undefined : getAttendee.get(id);
    const current: AttendeeFields = row
      ? {
          familyName: row.family_name,
          givenName: row.given_name,
          nameKo: row.name_ko,
          email: row.email,
          affiliation: row.affiliation,
          careerStage: row.career_stage as AttendeeFields['careerStage'],
          fields: JSON.parse(row.fields) as AttendeeFields['fields'],
        }
      : { ...EMPTY };
    const hlcs: Partial<Record<FieldName, string>> = row ? readHlcs(row) : {};
    const next: Record<string, unknown> = { ...current };
    for (const f of FIELDS) {
      const value = patch[f];
      if (value === undefined) continue;
      const prev = hlcs[f];
      // Ties cannot happen between distinct events: the HLC ends in the writing node's id.
      if (prev === undefined || hlc > prev) {
        next[f] = value;
        hlcs[f] = hlc;
      }
    }
    const merged = next as AttendeeFields;
    const createdHlc = row && row.created_hlc < hlc ? row.created_hlc : hlc;
    const fields = fieldsColumn(merged.fields);
    const fieldHlcs = writeHlcs(hlcs, createdHlc);
    if (hints?.fresh) {
      insertAttendee.run(id, merged.familyName, merged.givenName, merged.nameKo, merged.email, merged.affiliation, merged.careerStage, fields, fieldHlcs, createdHlc);
    } else {
      upsertAttendee.run({ id, ...merged, fields, fieldHlcs, createdHlc });
    }
  }

  return mergeFields;
}

/**
 * Attendees are per-field last-writer-wins: each field remembers the HLC that wrote it, so an
 * update that arrives before the registration it updates still lands, and an older write never
 * overwrites a newer one. Check-ins and voids are insert-only facts.
 */
export const attendeeProjection: ProjectionFactory = (db) => {
  const mergeFields = createAttendeeMerger(db);
  // Positional parameters: binding an object by name costs more than the insert on a 100,000-row import.
  const registration = db.prepare<[string, string, string, string, string, string]>(`
    INSERT INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET attendee_id = excluded.attendee_id, stop_id = excluded.stop_id,
      source = excluded.source, scan_token = excluded.scan_token, hlc = excluded.hlc
    WHERE excluded.hlc > registrations.hlc`);
  const checkIn = db.prepare(`
    INSERT OR IGNORE INTO check_ins (event_id, registration_id, attendee_id, stop_id, device_id, desk, actor_id, hlc, at)
    VALUES (@eventId, @registrationId, @attendeeId, @stopId, @deviceId, @desk, @actorId, @hlc, @at)`);
  const voidCheckIn = db.prepare(`
    INSERT OR IGNORE INTO check_in_voids (event_id, check_in_event_id, reason, desk, device_id, actor_id, hlc, at)
    VALUES (@eventId, @checkInEventId, @reason, @desk, @deviceId, @actorId, @hlc, @at)`);
  const freshRows = new FreshImportedRows(db);
  const consent = db.prepare(`
    INSERT OR IGNORE INTO consents (id, attendee_id, scope, institution_id, text_version, wording, given_at, hlc)
    VALUES (@consentId, @attendeeId, @scope, @institutionId, @textVersion, @wording, @at, @hlc)`);

  // The bulk path's statements (a sync pull's pages, `bulk` below): the same rows, many per statement.
  // A person new to this store goes in whole (as the merge from nothing would write it: every field at
  // the event's HLC); one this store holds already is not inserted (DO NOTHING, so not RETURNed) and
  // is merged field by field as above.
  const newPeople = new MultiRowInsert<{ id: string }>(db, 10, (values) => `
    INSERT INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc)
    VALUES ${values} ON CONFLICT(id) DO NOTHING RETURNING id`);
  const registrations = new MultiRowInsert(db, 6, (values) => `
    INSERT INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc)
    VALUES ${values}
    ON CONFLICT(id) DO UPDATE SET attendee_id = excluded.attendee_id, stop_id = excluded.stop_id,
      source = excluded.source, scan_token = excluded.scan_token, hlc = excluded.hlc
    WHERE excluded.hlc > registrations.hlc`);
  const checkIns = new MultiRowInsert(db, 9, (values) => `
    INSERT OR IGNORE INTO check_ins (event_id, registration_id, attendee_id, stop_id, device_id, desk, actor_id, hlc, at) VALUES ${values}`);
  const consents = new MultiRowInsert(db, 8, (values) => `
    INSERT OR IGNORE INTO consents (id, attendee_id, scope, institution_id, text_version, wording, given_at, hlc) VALUES ${values}`);

  function registerAll(events: readonly TypedEvent<'attendee_registered'>[]): void {
    const values: unknown[] = [];
    const whole: TypedEvent<'attendee_registered'>[] = [];
    const merge: TypedEvent<'attendee_registered'>[] = [];
    const seen = new Set<string>();
    for (const e of events) {
      const { attendeeId, ...f } = e.payload;
      // The same person twice in one call, or a payload without every field: merged one by one below.
      if (seen.has(attendeeId) || !FIELDS.every((k) => f[k] !== undefined)) {
        merge.push(e);
        continue;
      }
      seen.add(attendeeId);
      whole.push(e);
      values.push(attendeeId, f.familyName, f.givenName, f.nameKo, f.email, f.affiliation, f.careerStage, fieldsColumn(f.fields), ALL_AT_CREATION, e.hlc);
    }
    const inserted = new Set(newPeople.all(values).map((r) => r.id));
    for (const e of whole) if (!inserted.has(e.payload.attendeeId)) merge.push(e);
    for (const e of merge) {
      const { attendeeId, ...fields } = e.payload;
      mergeFields(attendeeId, e.hlc, fields);
    }
  }

  return {
    tables: [
      { name: 'attendees', orderBy: 'id' },
      { name: 'registrations', orderBy: 'id' },
      { name: 'check_ins', orderBy: 'event_id' },
      { name: 'check_in_voids', orderBy: 'event_id' },
      { name: 'consents', orderBy: 'id' },
    ],
    handlers: {
      attendee_registered: (e, hints) => {
        const { attendeeId, ...fields } = e.payload;
        mergeFields(attendeeId, e.hlc, fields, hints);
      },
      attendee_updated: (e) => {
        const { attendeeId, ...fields } = e.payload;
        mergeFields(attendeeId, e.hlc, fields);
      },
      registration_created: ({ payload: r, hlc }) => void registration.run(r.registrationId, r.attendeeId, r.stopId, r.source, r.scanToken, hlc),
      // Row by row exactly as its attendee_registered / attendee_updated and registration_created
      // would be. At the importing desk the rows it minted (its new people, every registration) go in
      // faster, to the same rows: many per INSERT (`fresh`, as appended), or from the import writer's
      // staging tables (`staged`); the changes to people already known are folded row by row either way.
      registrations_imported: ({ payload, hlc }, hints) => {
        const staged = hints?.staged;
        const minted = Boolean(staged) || hints?.fresh === true;
        if (staged) staged.apply(hlc, payload.stopId);
        else if (minted) freshRows.insert(payload.rows, hlc, payload.stopId);
        for (const row of payload.rows) {
          if (row.created) {
            if (!minted) mergeFields(row.attendeeId, hlc, row.set);
          } else if (Object.keys(row.set).length > 0) mergeFields(row.attendeeId, hlc, row.set);
          const r = row.registration;
          if (r && !minted) registration.run(r.registrationId, row.attendeeId, payload.stopId, 'import', r.scanToken, hlc);
        }
      },
      checked_in: (e) =>
        void checkIn.run({ ...e.payload, eventId: e.eventId, deviceId: e.deviceId, actorId: e.actorId, hlc: e.hlc, at: e.recordedAt }),
      check_in_voided: (e) =>
        void voidCheckIn.run({ ...e.payload, eventId: e.eventId, deviceId: e.deviceId, actorId: e.actorId, hlc: e.hlc, at: e.recordedAt }),
      consent_recorded: (e) => void consent.run({ ...e.payload, wording: e.payload.wording ?? null, at: e.recordedAt, hlc: e.hlc }),
    },
    bulk: {
      attendee_registered: registerAll,
      registration_created: (events) => {
        const values: unknown[] = [];
        for (const { payload: r, hlc } of events) values.push(r.registrationId, r.attendeeId, r.stopId, r.source, r.scanToken, hlc);
        registrations.run(values);
      },
      checked_in: (events) => {
        const values: unknown[] = [];
        for (const e of events) values.push(e.eventId, e.payload.registrationId, e.payload.attendeeId, e.payload.stopId, e.deviceId, e.payload.desk, e.actorId, e.hlc, e.recordedAt);
        checkIns.run(values);
      },
      consent_recorded: (events) => {
        const values: unknown[] = [];
        for (const e of events) {
          const c = e.payload;
          values.push(c.consentId, c.attendeeId, c.scope, c.institutionId, c.textVersion, c.wording ?? null, e.recordedAt, e.hlc);
        }
        consents.run(values);
      },
    },
  };
};
