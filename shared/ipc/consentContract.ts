import { z } from 'zod';
import { Id, IsoDateTime } from '../schemas/common';
import { CONSENT_SCOPES } from '../vocab';

/** One consent a person gave, as their consent history shows it (the wording by `textVersion`: shared/consentTexts.ts). */
export const ConsentHistoryEntry = z.object({
  consentId: Id,
  scope: z.enum(CONSENT_SCOPES),
  /** The institution of a "this institution only" consent. */
  institutionId: Id.nullable(),
  institutionShortName: z.string().nullable(),
  textVersion: z.string(),
  /** The words agreed to when they are not one of the app's texts (an imported form's consent question), else null. */
  wording: z.string().nullable(),
  givenAt: IsoDateTime,
  /** The one that applies now: the latest (a later consent replaces an earlier one). */
  effective: z.boolean(),
});
export type ConsentHistoryEntry = z.infer<typeof ConsentHistoryEntry>;

/** Issue #22: every consent of a person, newest first, with the version of the text they agreed to. */
export const consentContract = {
  'consent:history': { input: z.object({ attendeeId: Id }), output: z.array(ConsentHistoryEntry) },
} as const;
