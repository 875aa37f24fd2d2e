import { z } from 'zod';
import { LANGUAGES } from '../vocab';
import { Id } from '../schemas/common';

/**
 * Attendee messages (issue #21, docs/messages.md). HQ writes these (as device `hq`); they travel to
 * the desks like any other event, so an unsubscribe or a language choice is part of the person's record.
 */
export const mailEvents = {
  /**
   * The person asked for no more email (the signed unsubscribe link, or its one-click POST). A fact:
   * once unsubscribed the person stays so (there is no resubscribe event yet); any record of a merged
   * group being unsubscribed holds for the whole group.
   */
  attendee_unsubscribed: z.object({
    attendeeId: Id,
    /** The stop of the message whose link was used (for the log); null when not known. */
    stopId: Id.nullable().default(null),
    via: z.enum(['link', 'one_click', 'admin']),
  }),
  /** The language the person wants their messages in; the last writer by HLC wins. */
  attendee_language_set: z.object({ attendeeId: Id, language: z.enum(LANGUAGES) }),
} as const;
