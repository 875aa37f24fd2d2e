import { z } from 'zod';
import { AttendeePatch } from '../events/attendeeEvents';
import { CORRECTABLE_FIELD_NAMES, FieldChange } from '../events/attendeeCorrectionEvents';
import { Attendee } from '../schemas/attendees';
import { Id } from '../schemas/common';

const CorrectionId = z.string().min(1).max(64);

/** One value of a field in conflict, with who wrote it where: what the desk chooses between. */
export const ConflictVersionView = z.object({
  correctionId: z.string(),
  value: FieldChange.shape.after,
  staffName: z.string().nullable(),
  desk: z.string(),
  at: z.string(),
});
export type ConflictVersionView = z.infer<typeof ConflictVersionView>;

/** A person's details as the edit form needs them: current values, the corrections it edits, and any conflict. */
export const AttendeeEditState = z.object({
  attendee: Attendee,
  /** The corrections current on this laptop: an edit names them as its base. */
  headIds: z.array(z.string()),
  conflicts: z.array(z.object({ field: z.enum(CORRECTABLE_FIELD_NAMES), versions: z.array(ConflictVersionView) })),
});
export type AttendeeEditState = z.infer<typeof AttendeeEditState>;

/** One entry of a person's history of details: registered, corrected, or a conflict resolved. */
export const DetailHistoryEntry = z.object({
  eventId: z.string(),
  kind: z.enum(['corrected', 'resolved']),
  at: z.string(),
  /** The staff member's name (not their id); null when the event has no signed-in author. */
  staffName: z.string().nullable(),
  desk: z.string(),
  deviceId: z.string(),
  changes: z.array(FieldChange),
  /** This correction is one side of a conflict not resolved yet. */
  inConflict: z.boolean(),
});
export type DetailHistoryEntry = z.infer<typeof DetailHistoryEntry>;

/** A person with concurrent corrections waiting to be resolved, registered at the stop. */
export const FlaggedAttendee = z.object({ attendee: Attendee, registrationId: z.string().nullable(), fields: z.array(z.enum(CORRECTABLE_FIELD_NAMES)) });
export type FlaggedAttendee = z.infer<typeof FlaggedAttendee>;

export const EditAttendeeInput = z.object({
  attendeeId: Id,
  /** The corrections the form was opened on (`headIds`); a different set here means another desk changed the person meanwhile. */
  baseCorrectionIds: z.array(CorrectionId).max(20),
  /** The new values; only fields that differ from the current ones are written. */
  values: AttendeePatch,
});
export type EditAttendeeInput = z.input<typeof EditAttendeeInput>;

export const ResolveAttendeeInput = z.object({
  attendeeId: Id,
  /** The heads the desk saw in conflict; all must still be the heads. */
  resolvedCorrectionIds: z.array(CorrectionId).min(2).max(20),
  /** The value kept for every conflicting field (one of the versions, or a value typed anew). */
  values: AttendeePatch,
});
export type ResolveAttendeeInput = z.input<typeof ResolveAttendeeInput>;

export const attendeeCorrectionContract = {
  'attendees:get': { input: z.object({ attendeeId: Id }), output: AttendeeEditState },
  'attendees:edit': { input: EditAttendeeInput, output: AttendeeEditState },
  'attendees:resolve': { input: ResolveAttendeeInput, output: AttendeeEditState },
  'attendees:history': { input: z.object({ attendeeId: Id }), output: z.array(DetailHistoryEntry) },
  'attendees:flagged': { input: z.object({ stopId: Id }), output: z.array(FlaggedAttendee) },
} as const;
