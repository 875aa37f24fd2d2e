import type { Migration } from './migration';

/**
 * People and registrations stored in their id's order (issue #20): `WITHOUT ROWID` tables, so a look-up
 * by id reads one B-tree instead of two (the id's index, then the row by its rowid). Every search at the
 * desk reads up to 20 registrations and their people by id, scattered over a 100k stop's pages (each page
 * read is decrypted and authenticated): half the pages; a check-in reads its registration the same way.
 * Each insert also writes one B-tree fewer (the id's separate index is gone).
 * The rows are small (well under a twentieth of a page: SQLite's rule for `WITHOUT ROWID`), and nothing
 * reads these tables by rowid. The columns, constraints and indexes stay as they were.
 * Numbered 911, not 910: a 910 (check_ins WITHOUT ROWID) was written and reverted during session 11, and a
 * development store made meanwhile says 910; it would skip a 910 of this content.
 */
export const migration0911: Migration = {
  version: 911,
  name: 'people-keyed-by-id',
  up(db) {
    db.exec(`
      CREATE TABLE attendees_by_id (
        id TEXT PRIMARY KEY,
        family_name TEXT NOT NULL,
        given_name TEXT NOT NULL,
        name_ko TEXT NOT NULL,
        email TEXT NOT NULL,
        affiliation TEXT NOT NULL,
        career_stage TEXT NOT NULL,
        fields TEXT NOT NULL,
        field_hlcs TEXT NOT NULL,
        created_hlc TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO attendees_by_id (id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc)
        SELECT id, family_name, given_name, name_ko, email, affiliation, career_stage, fields, field_hlcs, created_hlc FROM attendees ORDER BY id;
      DROP TABLE attendees;
      ALTER TABLE attendees_by_id RENAME TO attendees;
      CREATE INDEX attendees_email ON attendees(email COLLATE NOCASE) WHERE email <> '';

      CREATE TABLE registrations_by_id (
        id TEXT PRIMARY KEY,
        attendee_id TEXT NOT NULL,
        stop_id TEXT NOT NULL,
        source TEXT NOT NULL,
        scan_token TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO registrations_by_id (id, attendee_id, stop_id, source, scan_token, hlc)
        SELECT id, attendee_id, stop_id, source, scan_token, hlc FROM registrations ORDER BY id;
      DROP TABLE registrations;
      ALTER TABLE registrations_by_id RENAME TO registrations;
      CREATE INDEX registrations_stop ON registrations(stop_id);
      CREATE INDEX registrations_attendee ON registrations(attendee_id);
      -- Not UNIQUE: two offline desks could mint the same token; sync shows it rather than failing.
      CREATE INDEX registrations_token ON registrations(scan_token);`);
  },
};
