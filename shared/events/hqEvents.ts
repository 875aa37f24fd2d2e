import { z } from 'zod';
import { Id, OptionalText } from '../schemas/common';

/**
 * Events HQ writes for the whole tour (issue #8). They travel to every laptop by pull like master
 * data, so a decision taken at HQ shows everywhere.
 */
export const hqEvents = {
  /**
   * An HQ admin confirmed that two attendee records are one person (also across cities). The
   * `from` record's history counts as the `into` record's from now on; nothing is deleted.
   */
  attendee_merged: z
    .object({
      fromAttendeeId: Id,
      intoAttendeeId: Id,
      /** Why HQ thinks so (the match rule that proposed it, or an admin's note). */
      reason: OptionalText(200),
    })
    .refine((p) => p.fromAttendeeId !== p.intoAttendeeId, { message: 'a record cannot be merged into itself', path: ['intoAttendeeId'] }),
  /**
   * The writing device's Ed25519 public key (SPKI DER, base64), which signs its USB bundles. Written
   * once, when the laptop enrolls (or first exports a bundle); it reaches HQ and the other desks by
   * the authenticated push, so a bundle can be checked against a key that did not come with it.
   */
  device_key_published: z.object({ publicKey: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).min(40).max(200) }),
} as const;
