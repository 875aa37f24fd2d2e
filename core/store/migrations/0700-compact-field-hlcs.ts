import type { Migration } from './migration';

/**
 * Check-in (import speed): `attendees.field_hlcs` is '' when every field was last written by the
 * event that created the person (its HLC is `created_hlc`), instead of seven copies of that HLC in
 * JSON. Most people are never edited, and the shorter row makes a 100,000-person import about twice
 * as quick to project. Rows already in that state are rewritten to it, so a rebuild gives the same
 * rows. (Numbered after the newest migration, as `user_version` only grows.)
 */
export const migration0700: Migration = {
  version: 700,
  name: 'compact-field-hlcs',
  up(db) {
    const allAtCreation = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields']
      .map((f) => `json_extract(field_hlcs, '$.${f}') = created_hlc`)
      .join(' AND ');
    db.exec(`UPDATE attendees SET field_hlcs = '' WHERE field_hlcs <> '' AND ${allAtCreation}`);
  },
};
