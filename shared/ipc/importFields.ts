// The import's vocabularies and limits, without zod: the page's first code (the check-in screen) and the host's
// HTTP server need them, not the schemas (docs/architecture.md, rule 11).

/**
 * Attendee fields a column of an imported file can fill. `fullName` is split into family/given names
 * (a Hangul full name goes to the Korean name). `consent`: a form's consent answer (동의합니다 /
 * 동의하지 않습니다), recorded as the person's consent; `attendance`: a registration status
 * (Eventbrite "Attendee Status"): rows that say "Not Attending" or cancelled are skipped (docs/import.md).
 */
export const IMPORT_FIELDS = ['familyName', 'givenName', 'fullName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields', 'scanToken', 'consent', 'attendance'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_PRESETS = ['template', 'eventbrite', 'google_forms'] as const;
export type ImportPreset = (typeof IMPORT_PRESETS)[number];

/** Why a row cannot be imported; translated in the UI (`import.reason.<code>`). */
export const IMPORT_ROW_REASONS = ['missing_name', 'invalid_email', 'too_long', 'duplicate_in_file', 'token_taken', 'invalid_token'] as const;
export type ImportRowReason = (typeof IMPORT_ROW_REASONS)[number];

/** The largest chunk of an upload (the renderer sends 2 MB). */
export const MAX_CHUNK_BYTES = 12 * 1024 * 1024;
