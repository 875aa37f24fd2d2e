import { z } from 'zod';
import { Id, NonEmpty, OptionalText } from '../schemas/common';
import {
  CheckedContent,
  ConsentInput,
  ConsentView,
  ConsultationDetail,
  ConsultationSummary,
  EXPORT_FORMATS,
  ExportFile,
  FOLLOW_UP_STATUSES,
  INTEREST_LEVELS,
  RevisionId,
} from '../schemas/consultations';
import { LANGUAGES, PROGRAMS } from '../vocab';

export const LogConsultationInput = z.object({
  stopId: Id,
  institutionId: Id,
  boothId: Id.nullable().default(null),
  /** A booth booking (issue #5) when the consultation was booked; walk-ups leave it null. */
  bookingId: Id.nullable().default(null),
  /** The person's registration at this stop (badge scan or search); null for an anonymous visitor. */
  registrationId: Id.nullable().default(null),
  /** For an anonymous visitor: a short description ("PhD student, MIT, battery materials"). */
  visitorLabel: OptionalText(200),
  content: CheckedContent,
  /** Record what the person agreed to, now, together with the consultation. */
  consent: ConsentInput.nullable().default(null),
});
export type LogConsultationInput = z.input<typeof LogConsultationInput>;

export const EditConsultationInput = z.object({
  consultationId: Id,
  /** The revision the editor was looking at; it must still be the only head on this laptop. */
  baseRevisionId: RevisionId,
  editor: NonEmpty(100),
  content: CheckedContent,
});
export type EditConsultationInput = z.input<typeof EditConsultationInput>;

export const ResolveConflictInput = z.object({
  consultationId: Id,
  /** Exactly the heads the person saw side by side. */
  revisionIds: z.array(RevisionId).min(2).max(20),
  editor: NonEmpty(100),
  content: CheckedContent,
});
export type ResolveConflictInput = z.input<typeof ResolveConflictInput>;

export const ListConsultationsInput = z
  .object({
    stopId: Id.nullable().default(null),
    institutionId: Id.nullable().default(null),
    /** A vocabulary key (`ai`) or a free-text field as entered. */
    field: z.string().trim().max(60).default(''),
    program: z.enum(PROGRAMS).nullable().default(null),
    interestLevel: z.enum(INTEREST_LEVELS).nullable().default(null),
    followUpStatus: z.enum(FOLLOW_UP_STATUSES).nullable().default(null),
    /** Words that must all occur in the notes (case- and accent-insensitive, Hangul as typed). */
    notesQuery: z.string().max(200).default(''),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .refine((i) => i.stopId !== null || i.institutionId !== null, { message: 'stop or institution required', path: ['stopId'] });
export type ListConsultationsInput = z.input<typeof ListConsultationsInput>;

export const ConsultationList = z.object({
  items: z.array(ConsultationSummary),
  /** How many match the filters (items may be cut at `limit`). */
  total: z.number().int(),
  /** Free-text fields in use in this scope, for the field filter. */
  otherFields: z.array(z.string()),
});
export type ConsultationList = z.infer<typeof ConsultationList>;

export const ExportFollowUpsInput = z.object({
  institutionId: Id,
  /** One stop, or null for the whole tour. */
  stopId: Id.nullable().default(null),
  format: z.enum(EXPORT_FORMATS),
  language: z.enum(LANGUAGES).default('ko'),
});
export type ExportFollowUpsInput = z.input<typeof ExportFollowUpsInput>;

export const consultationsContract = {
  'consultations:log': { input: LogConsultationInput, output: ConsultationDetail },
  'consultations:get': { input: z.object({ consultationId: Id }), output: ConsultationDetail },
  'consultations:edit': { input: EditConsultationInput, output: ConsultationDetail },
  'consultations:resolve': { input: ResolveConflictInput, output: ConsultationDetail },
  'consultations:list': { input: ListConsultationsInput, output: ConsultationList },
  'consultations:recordConsent': {
    input: z.object({ consultationId: Id, consent: ConsentInput }),
    output: ConsultationDetail,
  },
  'consultations:attendeeConsent': { input: z.object({ attendeeId: Id }), output: ConsentView.nullable() },
  'consultations:exportFollowUps': { input: ExportFollowUpsInput, output: ExportFile },
} as const;
