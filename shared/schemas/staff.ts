import { z } from 'zod';
import { Id, NonEmpty } from './common';

export const STAFF_ROLES = ['desk_staff', 'booth_staff', 'stop_lead', 'hq_admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** 6 to 12 digits: short enough to type at a busy desk, long enough that a slow hash makes guessing costly. */
export const Pin = z.string().regex(/^\d{6,12}$/, 'PIN must be 6 to 12 digits');

/** A staff member as the sign-in list and the staff screen show them (never the PIN hash). */
export const StaffView = z.object({
  id: Id,
  name: NonEmpty(100),
  role: z.enum(STAFF_ROLES),
  institutionId: Id.nullable(),
  active: z.boolean(),
  /** The stops they work (planned at HQ); empty: not limited to any. */
  stopIds: z.array(Id).default([]),
  /** False for a planned person who has not chosen a PIN yet (first sign-in with their setup code). */
  pinSet: z.boolean().default(true),
});
export type StaffView = z.infer<typeof StaffView>;
