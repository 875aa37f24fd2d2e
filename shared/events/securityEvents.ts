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
  /**
   * A staff member planned at HQ (or by a stop lead) without a PIN: profile and the stops they work, last
   * writer by HLC wins (with staff_created's profile). They choose their PIN at first sign-in on a desk.
   */
  staff_upserted: z.object({
    staffId: Id,
    name: NonEmpty(100),
    role: z.enum(STAFF_ROLES),
    institutionId: Id.nullable(),
    stopIds: z.array(Id).max(100).default([]),
  }),
  /**
   * A one-time code (scrypt hash only) that lets the person choose their own PIN at first sign-in: HQ never
   * sees the PIN, a desk never sees the code in clear. Latest by HLC wins; void once a PIN is set.
   */
  staff_setup_code_set: z.object({ staffId: Id, codeHash: PinHash }),
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
