import { IMPORT_BATCH_ROWS, type ImportedRow } from '../../shared/events/attendeeEvents';
import type { EventPayload } from '../../shared/events/eventTypes';
import type { ImportOp } from '../domain/importPlan';
import { newScanToken } from '../domain/scanToken';
import { createUuidV7Source } from '../store/uuidV7';

export type RegistrationsImported = EventPayload<'registrations_imported'>;

/**
 * A plan's ops as `registrations_imported` payloads, IMPORT_BATCH_ROWS rows each (a few hundred log
 * rows for 100,000 people), made as they are written so only one slice is alive at a time.
 */
export function* importPayloads(ops: Iterable<ImportOp>, stopId: string): Generator<RegistrationsImported> {
  // Ids minted here are UUID v7 (time-ordered): new rows land at the end of the attendees' and
  // registrations' primary-key B-trees instead of on random pages all over them.
  const newId = createUuidV7Source();
  const registration = (scanToken: string) => ({ registrationId: newId(), scanToken: scanToken || newScanToken() });
  let rows: ImportedRow[] = [];
  for (const op of ops) {
    if (op.kind === 'create') {
      rows.push({ created: true, attendeeId: newId(), set: op.fields, registration: registration(op.scanToken) });
    } else {
      const register = op.kind === 'register' || op.register;
      rows.push({ created: false, attendeeId: op.attendeeId, set: op.kind === 'update' ? op.changes : {}, ...(register ? { registration: registration(op.scanToken) } : {}) });
    }
    if (rows.length === IMPORT_BATCH_ROWS) {
      yield { stopId, rows };
      rows = [];
    }
  }
  if (rows.length) yield { stopId, rows };
}

/** What a plan's ops do: people created, people updated, registrations made at the stop. */
export function opCounts(ops: readonly ImportOp[]): { created: number; updated: number; registered: number } {
  const counts = { created: 0, updated: 0, registered: 0 };
  for (const op of ops) {
    if (op.kind === 'create') counts.created++;
    else {
      if (op.kind === 'update') counts.updated++;
      if (op.kind === 'register' || op.register) counts.registered++;
    }
  }
  return counts;
}
