import { z } from 'zod';
import { consentText } from './consentTexts';

// Apart from shared/consentTexts.ts, which the page's first code needs without zod (docs/architecture.md, rule 11).
/**
 * A consent text version a form may record: one this app knows the wording of. (Consents arriving by sync
 * from a newer app may carry a version this one does not know yet; the event schema accepts those.)
 */
export const ConsentTextVersion = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .refine((v) => consentText(v) !== null, { message: 'unknown consent text version' });
