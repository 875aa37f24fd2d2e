import { z } from 'zod';
import { Id, NonEmpty } from '../schemas/common';
import { STAFF_ROLES } from '../schemas/staff';

/** A PIN hash as stored and synced: `scrypt$N$r$p$salt$hash` (base64url); never the PIN itself. */
export const PinHash = z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/, 'not a PIN hash');

export const securityEvents = {
  /** A staff member who may sign in at a desk. Per-field last-writer-wins by HLC. */
  staff_created: z.object({
    staffId: Id,
    name: NonEmpty(100),
    role: z.enum(STAFF_ROLES),
    /** Booth staff belong to one institution and see only its consultations. */
    institutionId: Id.nullable(),
    pinHash: PinHash,
  }),
  staff_pin_set: z.object({ staffId: Id, pinHash: PinHash }),
  /** A fact: the person can no longer sign in anywhere once this reaches a desk. */
  staff_deactivated: z.object({ staffId: Id }),
  /**
   * The stop lead removed a stop's personal data from this laptop after HQ confirmed it holds the
   * same events (digest). A record only: HQ and other desks keep their data.
   */
  stop_personal_data_purged: z.object({
    stopId: Id,
    eventCount: z.number().int().nonnegative(),
    digest: z.string().regex(/^[0-9a-f]{64}$/),
    attendeesPurged: z.number().int().nonnegative(),
  }),
} as const;
