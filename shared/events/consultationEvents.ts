import { z } from 'zod';
import { Id, OptionalText, NonEmpty } from '../schemas/common';
import { ConsultationContent, RevisionId } from '../schemas/consultations';

/**
 * A consultation is a graph of revisions: the logged event is the first, each edit names the
 * revision it edits, and a resolution names every head it merges. Two edits of the same base
 * (two laptops offline) are both kept; the consultation is flagged until a resolution joins them.
 */
export const consultationEvents = {
  consultation_logged: z.object({
    consultationId: Id,
    stopId: Id,
    institutionId: Id,
    boothId: Id.nullable(),
    bookingId: Id.nullable(),
    attendeeId: Id.nullable(),
    registrationId: Id.nullable(),
    visitorLabel: OptionalText(200),
    content: ConsultationContent,
    /** The desk name of the laptop that wrote it (histories show it, never the device id); '' in events written before. */
    desk: z.string().trim().max(100).default(''),
  }),
  consultation_edited: z.object({
    consultationId: Id,
    baseRevisionId: RevisionId,
    editor: NonEmpty(100),
    content: ConsultationContent,
    /** The desk name of the laptop that wrote it (histories show it, never the device id); '' in events written before. */
    desk: z.string().trim().max(100).default(''),
  }),
  consultation_conflict_resolved: z.object({
    consultationId: Id,
    resolvedRevisionIds: z.array(RevisionId).min(2).max(20),
    editor: NonEmpty(100),
    content: ConsultationContent,
    /** The desk name of the laptop that wrote it (histories show it, never the device id); '' in events written before. */
    desk: z.string().trim().max(100).default(''),
  }),
} as const;
