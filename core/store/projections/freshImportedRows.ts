import type { ImportedRow } from '../../../shared/events/attendeeEvents';
import type { Db, Statement } from '../sqlite';
import { ALL_AT_CREATION, fieldsColumn } from './attendeeColumns';

/** Rows per statement: a statement per row cost about as much in binding and set-up as SQLite's insert itself. */
const ROWS_PER_INSERT = 50;
const PERSON_COLUMNS = 10;
const REGISTRATION_COLUMNS = 6;

/**
 * Writes the rows an importing desk minted (an import's `registrations_imported` appended with the
 * `fresh` hint): its new people and all its registrations, many rows per INSERT. Exactly the rows the
 * row-by-row projection writes (attendeeProjection.ts; tested equal to a rebuild). Plain inserts: the
 * ids were minted by the import, so an existing one is a bug, which fails the whole import. OR ROLLBACK
 * for that failure (it ends the import's one transaction anyway), which spares SQLite the statement
 * journal a statement of many rows would otherwise keep.
 */
export class FreshImportedRows {
  private readonly people = new Map<number, Statement>();
  private readonly registrations = new Map<number, Statement>();

  constructor(private readonly db: Db) {}

  /** The people rows marked `created` and every registration; the caller folds the other rows' changes. */
  insert(rows: readonly ImportedRow[], hlc: string, stopId: string): void {
    const people: unknown[] = [];
    const registrations: unknown[] = [];
    for (const row of rows) {
      if (row.created) {
        const s = row.set;
        people.push(row.attendeeId, s.familyName, s.givenName, s.nameKo, s.email, s.affiliation, s.careerStage, fieldsColumn(s.fields), ALL_AT_CREATION, hlc);
      }
      const r = row.registration;
      if (r) registrations.push(r.registrationId, row.attendeeId, stopId, 'import', r.scanToken, hlc);
    }
    this.write(people, PERSON_COLUMNS, this.people, (values) => `INSERT OR ROLLBACK INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc) VALUES ${values}`);
    this.write(registrations, REGISTRATION_COLUMNS, this.registrations, (values) => `INSERT OR ROLLBACK INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc) VALUES ${values}`);
  }

  private write(values: unknown[], columns: number, cache: Map<number, Statement>, sql: (values: string) => string): void {
    const rows = values.length / columns;
    for (let at = 0; at < rows; at += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, rows - at);
      let statement = cache.get(n);
      if (!statement) {
        const one = `(${new Array<string>(columns).fill('?').join(', ')})`;
        statement = this.db.prepare(sql(new Array<string>(n).fill(one).join(', ')));
        cache.set(n, statement);
      }
      statement.run(n === rows && at === 0 ? values : values.slice(at * columns, (at + n) * columns));
    }
  }
}
