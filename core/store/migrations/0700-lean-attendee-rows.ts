import type { Migration } from './migration';

/**
 * Check-in (import speed), leaner attendee rows:
 * - `field_hlcs` is '' when every field was last written by the event that created the person (its
 *   HLC is `created_hlc`), instead of seven copies of that HLC in JSON. Most people are never edited.
 *   Rows already in that state are rewritten to it, so a rebuild gives the same rows.
 * - `search_text` goes: nothing reads it (the desk searches an in-memory index, core/domain/searchIndex.ts).
 * Together they halve what a 100,000-person import writes for its people.
 * (Numbered after the newest migration, as `user_version` only grows.)
 */
export const migration0700: Migration = {
  version: 700,
  name: 'lean-attendee-rows',
  up(db) {
    const allAtCreation = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields']
      .map((f) => `json_extract(field_hlcs, '$.${f}') = created_hlc`)
      .join(' AND ');
    db.exec(`UPDATE attendees SET field_hlcs = '' WHERE field_hlcs <> '' AND ${allAtCreation}`);
    db.exec('ALTER TABLE attendees DROP COLUMN search_text');
  },
};
