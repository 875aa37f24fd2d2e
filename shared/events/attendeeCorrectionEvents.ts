import { z } from 'zod';
import { RESEARCH_FIELDS } from '../vocab';
import { Id } from '../schemas/common';
import { AttendeePatch } from './attendeeEvents';

export const CORRECTABLE_FIELD_NAMES = ['familyName', 'givenName', 'nameKo', 'email', 'affiliation', 'careerStage', 'fields'] as const;
export type CorrectableFieldName = (typeof CORRECTABLE_FIELD_NAMES)[number];

/** Names up to 100, affiliation 200, email 254 characters; a career stage; a list of research fields. */
const FieldValue = z.union([z.string().max(254), z.array(z.enum(RESEARCH_FIELDS)).max(RESEARCH_FIELDS.length)]);

/** One field a desk changed: what it showed before and what it wrote. */
export const FieldChange = z.object({
  field: z.enum(CORRECTABLE_FIELD_NAMES),
  before: FieldValue,
  after: FieldValue,
});
export type FieldChange = z.infer<typeof FieldChange>;

/** A correction id: the event id of an `attendee_corrected` or `attendee_correction_resolved`. */
const CorrectionId = z.string().min(1).max(64);

/**
 * A person's details corrected at a desk. The new values are last-writer-wins per field by HLC (as
 * `attendee_updated`), and the correction is also a fact in the person's history (who, which desk,
 * before/after). It names the corrections the desk saw as current, so two desks that changed the same
 * field offline, not seeing each other, are both kept and flagged until someone resolves them.
 */
export const attendeeCorrectionEvents = {
  attendee_corrected: z.object({
    attendeeId: Id,
    baseCorrectionIds: z.array(CorrectionId).max(20),
    changes: z.array(FieldChange).min(1).max(CORRECTABLE_FIELD_NAMES.length),
    desk: z.string().trim().max(100).default(''),
  }),
  /** Joins concurrent corrections: the value kept for each conflicting field, written anew. */
  attendee_correction_resolved: z.object({
    attendeeId: Id,
    resolvedCorrectionIds: z.array(CorrectionId).min(2).max(20),
    changes: z.array(FieldChange).max(CORRECTABLE_FIELD_NAMES.length),
    desk: z.string().trim().max(100).default(''),
  }),
} as const;

/** The new values of a correction, checked as an update is (lengths, email, vocabularies). */
export const CorrectionValues = AttendeePatch;
export type CorrectionValues = z.infer<typeof CorrectionValues>;

