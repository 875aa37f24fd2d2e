import { z } from 'zod';
import { CAREER_STAGES, CONSENT_SCOPES, REGISTRATION_SOURCES, RESEARCH_FIELDS } from '../vocab';
import { AttendeeFields } from '../schemas/attendees';
import { Email, Id, NonEmpty } from '../schemas/common';

/**
 * The fields of an update, without defaults: `AttendeeFields.partial()` would still fill absent
 * fields with their defaults ('' and []) under zod 4 and so erase them.
 */
export const AttendeePatch = z.object({
  familyName: z.string().trim().max(100).optional(),
  givenName: z.string().trim().max(100).optional(),
  nameKo: z.string().trim().max(100).optional(),
  email: Email.optional(),
  affiliation: z.string().trim().max(200).optional(),
  careerStage: z.enum(CAREER_STAGES).optional(),
  fields: z.array(z.enum(RESEARCH_FIELDS)).max(RESEARCH_FIELDS.length).optional(),
});

/** Rows per `registrations_imported` event: even at every field's maximum length a batch stays well under a sync push's byte limit. */
export const IMPORT_BATCH_ROWS = 250;

/** One registration made by an import (see `registrations_imported`). */
const ImportedRegistration = z.object({ registrationId: Id, scanToken: NonEmpty(64) });

/**
 * One row of an import: a person the importing desk minted (`created`, every field, as
 * `attendee_registered`), or a known person with the fields the file changed (as `attendee_updated`,
 * possibly none); with the registration at the stop when the person was not registered there yet.
 */
export const ImportedRow = z.discriminatedUnion('created', [
  z.object({ created: z.literal(true), attendeeId: Id, set: AttendeeFields, registration: ImportedRegistration }),
  z.object({ created: z.literal(false), attendeeId: Id, set: AttendeePatch, registration: ImportedRegistration.optional() }),
]);
export type ImportedRow = z.infer<typeof ImportedRow>;

export const attendeeEvents = {
  /** A new person (pre-registration import, walk-in). The id is made by the client (UUID). */
  attendee_registered: AttendeeFields.extend({ attendeeId: Id }),
  /** Per-field last-writer-wins by HLC: only the fields present change. */
  attendee_updated: AttendeePatch.extend({ attendeeId: Id }),
  /** The person is expected (or walked in) at a stop; the scan token is unique tour-wide. */
  registration_created: z.object({
    registrationId: Id,
    attendeeId: Id,
    stopId: Id,
    source: z.enum(REGISTRATION_SOURCES),
    scanToken: NonEmpty(64),
  }),
  /**
   * A slice of one pre-registration import at a stop (up to IMPORT_BATCH_ROWS people): each row
   * means exactly its `attendee_registered` / `attendee_updated` and `registration_created`
   * (source 'import') would, under this event's HLC. One event per slice instead of two per person
   * keeps a 100,000-row import to a few hundred log rows.
   */
  registrations_imported: z.object({
    stopId: Id,
    rows: z.array(ImportedRow).min(1).max(IMPORT_BATCH_ROWS),
  }),
  /** A fact: every check-in is kept; the earliest by HLC is the attendee's check-in. */
  checked_in: z.object({
    registrationId: Id,
    attendeeId: Id,
    stopId: Id,
    desk: NonEmpty(100),
  }),
  /** Undo is its own event that names the check-in event it voids. */
  check_in_voided: z.object({
    checkInEventId: z.string().min(1).max(64),
    reason: NonEmpty(500),
    /** The desk that undid it (shown in the attendee's history); absent in older events. */
    desk: z.string().trim().max(100).default(''),
  }),
  consent_recorded: z.object({
    consentId: Id,
    attendeeId: Id,
    scope: z.enum(CONSENT_SCOPES),
    institutionId: Id.nullable(),
    textVersion: NonEmpty(40),
    /**
     * The words the person agreed to when they are not one of the app's own texts (shared/consentTexts.ts):
     * an imported registration form's consent question (issue #22). Absent for the app's texts.
     */
    wording: z.string().max(2000).optional(),
  }),
} as const;
