import type { Migration } from './migration';

/** The desk that undid a check-in, for the attendee's history (older voids keep ''). */
export const migration0100: Migration = {
  version: 100,
  name: 'check-in-void-desk',
  up(db) {
    db.exec(`ALTER TABLE check_in_voids ADD COLUMN desk TEXT NOT NULL DEFAULT '';`);
  },
};
