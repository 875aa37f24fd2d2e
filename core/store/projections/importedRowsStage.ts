import type { ImportedRow } from '../../../shared/events/attendeeEvents';
import type { Db, Statement } from '../sqlite';
import { ALL_AT_CREATION, fieldsColumn } from './attendeeColumns';
import type { StagedImportRows } from './projection';

/** The in-memory database attached to the import writer's connection (never a file: it holds personal data). */
const SCHEMA = 'import_stage';

/**
 * An import's new people and registrations, bound into in-memory tables on the writer's connection
 * while the desk still reads the validation report: the commit then inserts each slice with one
 * `INSERT … SELECT` per table instead of one statement per row. Handing SQLite a row's values from
 * JavaScript costs about as much as SQLite's own insert, and this part no longer waits for the click.
 * Rows come out exactly as the projection writes them row by row (attendeeProjection.ts); the
 * tables of the store are not touched (and not locked) until the commit.
 */
export class ImportedRowsStage {
  private readonly addPerson: Statement;
  private readonly addRegistration: Statement;
  private readonly insertPeople: Statement;
  private readonly insertRegistrations: Statement;
  private people = 0;
  private registrations = 0;

  constructor(private readonly db: Db) {
    const attached = (db.prepare('PRAGMA database_list').all() as { name: string }[]).some((d) => d.name === SCHEMA);
    if (!attached) db.exec(`ATTACH DATABASE ':memory:' AS ${SCHEMA}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.people (id TEXT, family_name TEXT, given_name TEXT, name_ko TEXT, email TEXT, affiliation TEXT, career_stage TEXT, fields TEXT);
      CREATE TABLE IF NOT EXISTS ${SCHEMA}.registrations (id TEXT, attendee_id TEXT, scan_token TEXT);`);
    // Explicit rowids: each slice is a known range of them.
    this.addPerson = db.prepare(`INSERT INTO ${SCHEMA}.people (rowid, id, family_name, given_name, name_ko, email, affiliation, career_stage, fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.addRegistration = db.prepare(`INSERT INTO ${SCHEMA}.registrations (rowid, id, attendee_id, scan_token) VALUES (?, ?, ?, ?)`);
    // No ON CONFLICT, as for a `fresh` person: a staged id that exists already fails loudly. OR ROLLBACK:
    // a failure ends the whole commit anyway, and spares SQLite a statement journal, which for a
    // statement of many rows copies each page it touches of the commit's earlier ones (twice the work).
    this.insertPeople = db.prepare(`
      INSERT OR ROLLBACK INTO attendees (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc)
      SELECT id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, '${ALL_AT_CREATION}', ? FROM ${SCHEMA}.people WHERE rowid BETWEEN ? AND ?`);
    // Registration ids are minted by the import (never an earlier event's): no upsert, and none wanted, since
    // an ON CONFLICT … DO UPDATE would bring the statement journal back.
    this.insertRegistrations = db.prepare(`
      INSERT OR ROLLBACK INTO registrations (id, attendee_id, stop_id, source, scan_token, hlc)
      SELECT id, attendee_id, ?, 'import', scan_token, ? FROM ${SCHEMA}.registrations WHERE rowid BETWEEN ? AND ?`);
  }

  /**
   * Stages one slice's rows: the new people (`created`) and every registration. What the event does
   * besides (changes to people already known) stays for the projection to fold row by row.
   */
  stage(rows: readonly ImportedRow[]): StagedImportRows {
    const firstPerson = this.people + 1;
    const firstRegistration = this.registrations + 1;
    this.db.transaction(() => {
      for (const row of rows) {
        if (row.created) {
          const s = row.set;
          this.addPerson.run(++this.people, row.attendeeId, s.familyName, s.givenName, s.nameKo, s.email, s.affiliation, s.careerStage, fieldsColumn(s.fields));
        }
        const r = row.registration;
        if (r) this.addRegistration.run(++this.registrations, r.registrationId, row.attendeeId, r.scanToken);
      }
    })();
    const people = [firstPerson, this.people] as const;
    const registrations = [firstRegistration, this.registrations] as const;
    return {
      apply: (hlc, stopId) => {
        if (people[1] >= people[0]) this.insertPeople.run(hlc, people[0], people[1]);
        if (registrations[1] >= registrations[0]) this.insertRegistrations.run(stopId, hlc, registrations[0], registrations[1]);
      },
    };
  }

  /** Forgets every staged row, and gives their memory back (called outside a transaction). */
  clear(): void {
    this.db.exec(`DELETE FROM ${SCHEMA}.people; DELETE FROM ${SCHEMA}.registrations;`);
    try {
      // Deleted pages stay on the free list of the in-memory database (tens of MB) until it is vacuumed.
      this.db.exec(`VACUUM ${SCHEMA}`);
    } catch (err) {
      console.warn(`[import] staged rows deleted, their memory kept until the worker stops: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.people = 0;
    this.registrations = 0;
  }
}
