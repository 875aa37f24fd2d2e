import type { ImportedRow } from '../../shared/events/attendeeEvents';

/**
 * The rows of a `registrations_imported` payload as a flat list of strings, for the hop from the
 * import's session thread to its writer thread. Rebuilding the row objects from flat strings costs
 * the writer (the import's bottleneck) about a third of parsing them from the payload's JSON, which
 * it stores as sent. A new person (most rows) is 11 cells; any other row travels as its JSON.
 * Round trip = JSON round trip: test/core/import/importedRowCells.test.ts.
 */
const CREATED = 'c';
const OTHER = 'j';
/** The fields a new person's cells hold, in order (a field added to AttendeeFields must be added here: tested). */
export const CREATED_ROW_FIELDS = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields'] as const;
/** Research fields are vocabulary words (no commas). */
const FIELD_SEPARATOR = ',';

export function rowsToCells(rows: readonly ImportedRow[]): string[] {
  const cells: string[] = [];
  for (const r of rows) {
    if (r.created) {
      const s = r.set;
      cells.push(CREATED, r.attendeeId, s.familyName, s.givenName, s.nameKo, s.email, s.affiliation, s.careerStage, s.fields.join(FIELD_SEPARATOR), r.registration.registrationId, r.registration.scanToken);
    } else {
      cells.push(OTHER, JSON.stringify(r));
    }
  }
  return cells;
}

export function cellsToRows(cells: readonly string[]): ImportedRow[] {
  const rows: ImportedRow[] = [];
  let i = 0;
  while (i < cells.length) {
    const kind = cells[i];
    if (kind === CREATED) {
      const fields = cells[i + 8]!;
      rows.push({
        created: true,
        attendeeId: cells[i + 1]!,
        set: {
          familyName: cells[i + 2]!,
          givenName: cells[i + 3]!,
          nameKo: cells[i + 4]!,
          email: cells[i + 5]!,
          affiliation: cells[i + 6]!,
          careerStage: cells[i + 7]! as Extract<ImportedRow, { created: true }>['set']['careerStage'],
          fields: (fields === '' ? [] : fields.split(FIELD_SEPARATOR)) as Extract<ImportedRow, { created: true }>['set']['fields'],
        },
        registration: { registrationId: cells[i + 9]!, scanToken: cells[i + 10]! },
      });
      i += 11;
    } else if (kind === OTHER) {
      rows.push(JSON.parse(cells[i + 1]!) as ImportedRow);
      i += 2;
    } else {
      throw new Error(`bad imported-row cells at ${i}`);
    }
  }
  return rows;
}

/**
 * Cells as one string and each one's length: posted to another thread, two objects are copied
 * apiece instead of thousands of small strings (taking them was a tenth of the receiving thread's
 * profile; the gain in the whole import stayed below this machine's noise).
 */
export interface PackedCells {
  text: string;
  lengths: Uint32Array;
}

export function packCells(cells: readonly string[]): PackedCells {
  const lengths = new Uint32Array(cells.length);
  for (let i = 0; i < cells.length; i++) lengths[i] = cells[i]!.length;
  return { text: cells.join(''), lengths };
}

export function unpackCells({ text, lengths }: PackedCells): string[] {
  const cells = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + lengths[i]!;
    cells[i] = text.slice(at, end);
    at = end;
  }
  if (at !== text.length) throw new Error('packed cells do not add up');
  return cells;
}
