import type { Migration } from './migration';

/**
 * The door looks a walk-in's email up without regard to case (`email = ? COLLATE NOCASE`, the
 * duplicate check): an index in the binary collation cannot answer that, so every walk-in scanned
 * all attendees' emails. The same index, in the collation the lookup uses. (Costs an import nothing more.)
 */
export const migration0710: Migration = {
  version: 710,
  name: 'email-index-nocase',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS attendees_email;
      CREATE INDEX attendees_email ON attendees(email COLLATE NOCASE) WHERE email <> '';`);
  },
};
