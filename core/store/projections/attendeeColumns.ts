/** How attendee rows store what the projection and the import's fast paths both write. */

/** `field_hlcs` as stored: '' when every field was written by the event that created the row (most people). */
export const ALL_AT_CREATION = '';

/** The `fields` column: the research fields as a JSON array, sorted (the same set gives the same text). */
export const fieldsColumn = (fields: readonly string[]): string => JSON.stringify([...fields].sort());
