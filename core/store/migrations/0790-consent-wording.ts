import type { Migration } from './migration';

/**
 * A consent keeps the words the person agreed to when they are not one of the app's own versioned
 * texts (issue #22): an imported registration form's consent question. NULL for the app's texts,
 * whose wording shared/consentTexts.ts keeps by version.
 */
export const migration0790: Migration = {
  version: 790,
  name: 'consent-wording',
  up(db) {
    db.exec('ALTER TABLE consents ADD COLUMN wording TEXT');
  },
};
