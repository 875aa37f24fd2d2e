import { z } from 'zod';
import { ConsentTextVersion } from '../consentTextVersion';
import { CAREER_STAGES, CONSENT_SCOPES, PROGRAMS, RESEARCH_FIELDS } from '../vocab';
import { Id, IsoDate, IsoDateTime, NonEmpty, OptionalText } from './common';

/** How keen the person is, as the booth staff judged it. */
export const INTEREST_LEVELS = ['low', 'medium', 'high'] as const;
export type InterestLevel = (typeof INTEREST_LEVELS)[number];

/** `none` means no follow-up is owed; every other status needs an action. */
export const FOLLOW_UP_STATUSES = ['none', 'open', 'in_progress', 'done'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** An event id (UUIDv7) naming one revision of a consultation. */
export const RevisionId = z.string().regex(/^[0-9a-f-]{36}$/, 'not a revision id');

/** Preferred start as a month (`2026-03`), or empty when not discussed. */
export const YearMonth = z.union([z.literal(''), z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'not a year-month')]);

/**
 * What a consultation says: everything staff may edit later. Each revision stores the whole
 * content, so two concurrent edits can be shown side by side and a person can choose.
 */
export const ConsultationContent = z.object({
  staffName: NonEmpty(100),
  fields: z.array(z.enum(RESEARCH_FIELDS)).max(RESEARCH_FIELDS.length).default([]),
  /** Free-text additions to the field vocabulary (e.g. "Battery materials"). */
  otherFields: z.array(NonEmpty(60)).max(10).default([]),
  careerStage: z.enum(CAREER_STAGES).default('other'),
  /** The legacy programme-interest vocabulary: still shown for consultations logged before programmes were master data. */
  programs: z.array(z.enum(PROGRAMS)).max(PROGRAMS.length).default([]),
  /**
   * Programmes (master data, issue #21) the person is interested in, by id: the consultation's institution's own or
   * national ones. Events written before have none.
   */
  programIds: z.array(Id).max(30).default([]),
  interestLevel: z.enum(INTEREST_LEVELS).default('medium'),
  preferredStart: YearMonth.default(''),
  followUpAction: OptionalText(300),
  followUpOwner: OptionalText(100),
  followUpDue: z.union([z.literal(''), IsoDate]).default(''),
  followUpStatus: z.enum(FOLLOW_UP_STATUSES).default('none'),
  notes: OptionalText(5000),
});
export type ConsultationContent = z.infer<typeof ConsultationContent>;
export type ConsultationContentInput = z.input<typeof ConsultationContent>;
export const CONTENT_KEYS = Object.keys(ConsultationContent.shape) as (keyof ConsultationContent)[];

/** A follow-up needs an action, and an action needs a follow-up status: used by every input that carries content. */
export function followUpIsConsistent(c: { followUpAction: string; followUpStatus: FollowUpStatus }): boolean {
  return (c.followUpAction.trim() === '') === (c.followUpStatus === 'none');
}
export const CheckedContent = ConsultationContent.refine(followUpIsConsistent, {
  message: 'follow-up action and status go together',
  path: ['followUpAction'],
});

/** A consent recorded together with a consultation (scope institution = the consultation's institution). */
export const ConsentInput = z.object({
  /** The person's own choice: required, never defaulted (issue #22). */
  scope: z.enum(CONSENT_SCOPES),
  /** The consent text the person read (shared/consentTexts.ts): one whose wording this app keeps. */
  textVersion: ConsentTextVersion,
});
export type ConsentInput = z.infer<typeof ConsentInput>;

export const ConsentView = z.object({
  consentId: Id,
  scope: z.enum(CONSENT_SCOPES),
  institutionId: Id.nullable(),
  textVersion: z.string(),
  givenAt: IsoDateTime,
});
export type ConsentView = z.infer<typeof ConsentView>;

export const ConsultationPerson = z.object({
  attendeeId: Id,
  familyName: z.string(),
  givenName: z.string(),
  nameKo: z.string(),
  email: z.string(),
  affiliation: z.string(),
});
export type ConsultationPerson = z.infer<typeof ConsultationPerson>;

/** One row of the per-stop / per-institution list. */
export const ConsultationSummary = z.object({
  consultationId: Id,
  stopId: Id,
  institutionId: Id,
  institutionShortName: z.string(),
  person: ConsultationPerson.nullable(),
  visitorLabel: z.string(),
  bookingId: Id.nullable(),
  loggedAt: IsoDateTime,
  updatedAt: IsoDateTime,
  content: ConsultationContent,
  revisionCount: z.number().int(),
  /** Two or more revisions edit the same base and none resolves them. */
  conflict: z.boolean(),
});
export type ConsultationSummary = z.infer<typeof ConsultationSummary>;

export const REVISION_KINDS = ['logged', 'edited', 'resolved'] as const;
export const RevisionView = z.object({
  revisionId: RevisionId,
  kind: z.enum(REVISION_KINDS),
  baseRevisionIds: z.array(RevisionId),
  editor: z.string(),
  deviceId: z.string(),
  /** The desk name of the laptop that wrote it ('' for revisions from before desks were recorded). */
  desk: z.string(),
  actorId: z.string().nullable(),
  at: IsoDateTime,
  content: ConsultationContent,
  /** Content keys that differ from the revision it edits (every key for the first one). */
  changed: z.array(z.string()),
  /** Still a head of the revision graph (no later revision names it). */
  head: z.boolean(),
});
export type RevisionView = z.infer<typeof RevisionView>;

export const ConsultationDetail = ConsultationSummary.extend({
  boothId: Id.nullable(),
  registrationId: Id.nullable(),
  /** The revision shown (the newest head by HLC); an edit names it as its base. */
  currentRevisionId: RevisionId,
  /** Every head: one normally, two or more while a conflict waits for a person. */
  headRevisionIds: z.array(RevisionId),
  /** Oldest first. */
  history: z.array(RevisionView),
  consent: ConsentView.nullable(),
  /** Whether the person's effective consent lets this institution follow up. */
  consentCoversInstitution: z.boolean(),
});
export type ConsultationDetail = z.infer<typeof ConsultationDetail>;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportFile = z.object({
  filename: z.string(),
  mimeType: z.string(),
  base64: z.string(),
  rowCount: z.number().int(),
  /** Consultations left out because the person's consent does not cover the institution. */
  excludedNoConsent: z.number().int(),
  /** Anonymous visitors: nobody to follow up. */
  excludedAnonymous: z.number().int(),
});
export type ExportFile = z.infer<typeof ExportFile>;
