import { IMPORT_BATCH_ROWS, type ImportedRow } from '../../shared/events/attendeeEvents';
import type { EventPayload } from '../../shared/events/eventTypes';
import type { ImportOp } from '../domain/importPlan';
import { newScanToken } from '../domain/scanToken';
import { createUuidV7Source } from '../store/uuidV7';

export type RegistrationsImported = EventPayload<'registrations_imported'>;
export type ConsentRecorded = EventPayload<'consent_recorded'>;

/** Where the consents of a plan's ops go as their people get their ids: ordinary `consent_recorded` payloads. */
export interface ConsentSink {
  textVersion: string;
  /** The form's consent question: the words the person answered. */
  wording: string;
  consents: ConsentRecorded[];
}

/**
 * A plan's ops as `registrations_imported` payloads, IMPORT_BATCH_ROWS rows each (a few hundred log
 * rows for 100,000 people), made as they are written so only one slice is alive at a time. The
 * consents the ops carry (a form's consent answers) go to `sink` as each row's person is known, to
 * be written after the slices (the person exists before their consent is recorded).
 */
export function* importPayloads(ops: Iterable<ImportOp>, stopId: string, sink?: ConsentSink): Generator<RegistrationsImported> {
  // Ids minted here are UUID v7 (time-ordered): new rows land at the end of the attendees' and
  // registrations' primary-key B-trees instead of on random pages all over them.
  const newId = createUuidV7Source();
  const registration = (scanToken: string) => ({ registrationId: newId(), scanToken: scanToken || newScanToken() });
  let rows: ImportedRow[] = [];
  for (const op of ops) {
    let attendeeId: string;
    if (op.kind === 'consent') {
      attendeeId = op.attendeeId;
    } else if (op.kind === 'create') {
      attendeeId = newId();
      rows.push({ created: true, attendeeId, set: op.fields, registration: registration(op.scanToken) });
    } else {
      attendeeId = op.attendeeId;
      const register = op.kind === 'register' || op.register;
      rows.push({ created: false, attendeeId, set: op.kind === 'update' ? op.changes : {}, ...(register ? { registration: registration(op.scanToken) } : {}) });
    }
    if (op.consent && sink) sink.consents.push({ consentId: newId(), attendeeId, scope: op.consent, institutionId: null, textVersion: sink.textVersion, ...(sink.wording ? { wording: sink.wording } : {}) });
    if (rows.length === IMPORT_BATCH_ROWS) {
      yield { stopId, rows };
      rows = [];
    }
  }
  if (rows.length) yield { stopId, rows };
}

/** What a plan's ops do: people created, people updated, registrations made at the stop, consents recorded. */
export function opCounts(ops: readonly ImportOp[]): { created: number; updated: number; registered: number; consents: number } {
  const counts = { created: 0, updated: 0, registered: 0, consents: 0 };
  for (const op of ops) {
    if (op.consent) counts.consents++;
    if (op.kind === 'consent') continue;
    if (op.kind === 'create') counts.created++;
    else {
      if (op.kind === 'update') counts.updated++;
      if (op.kind === 'register' || op.register) counts.registered++;
    }
  }
  return counts;
}
