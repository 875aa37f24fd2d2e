import type { Migration } from './migration';

/**
 * Histories name the desk, never a raw device id (issue #22): each consultation revision keeps the
 * desk name of the laptop that wrote it (the event's `desk`; '' for revisions written before).
 */
export const migration0780: Migration = {
  version: 780,
  name: 'consultation-revision-desk',
  up(db) {
    db.exec(`ALTER TABLE consultation_revisions ADD COLUMN desk TEXT NOT NULL DEFAULT ''`);
  },
};
