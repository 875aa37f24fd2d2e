import { z } from 'zod';
import { Id, NonEmpty } from '../schemas/common';

/**
 * Session check-in (issue #19): who came into which session of the stop's programme. Like the stop's
 * check-in, every check-in is a fact that stays (two desks may check one person in offline: the
 * earliest by HLC counts, the others are duplicates) and an undo is its own event naming the one it voids.
 */
export const sessionCheckinEvents = {
  session_checked_in: z.object({
    sessionId: Id,
    registrationId: Id,
    attendeeId: Id,
    stopId: Id,
    desk: NonEmpty(100),
    /**
     * The stop check-in (`checked_in` event) written with this one because the person was not checked
     * in at the stop yet; null when they were. Lets an undo of a mistaken scan take both back.
     */
    stopCheckInEventId: z.string().min(1).max(64).nullable().default(null),
  }),
  session_check_in_voided: z.object({
    sessionCheckInEventId: z.string().min(1).max(64),
    reason: NonEmpty(500),
    desk: z.string().trim().max(100).default(''),
  }),
} as const;
