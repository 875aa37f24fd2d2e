import { z } from 'zod';
import { CONSENT_SCOPES } from '../vocab';
import { AttendeeFields, RegistrationView, StopCounts, hasAName } from '../schemas/attendees';
import { Id, NonEmpty } from '../schemas/common';

export const CheckInResult = z.object({
  registration: RegistrationView,
  /** True when this call made the check-in; false when the person was already checked in. */
  created: z.boolean(),
});
export type CheckInResult = z.infer<typeof CheckInResult>;

export const WalkInInput = AttendeeFields.extend({
  stopId: Id,
  consentScope: z.enum(CONSENT_SCOPES),
  consentTextVersion: NonEmpty(40),
  checkInNow: z.boolean().default(true),
}).refine(hasAName, { message: 'name required', path: ['familyName'] });
export type WalkInInput = z.input<typeof WalkInInput>;

export const checkinContract = {
  'checkin:search': {
    input: z.object({ stopId: Id, query: z.string().max(200), limit: z.number().int().min(1).max(200).default(20) }),
    output: z.array(RegistrationView),
  },
  'checkin:byToken': { input: z.object({ stopId: Id, token: NonEmpty(64) }), output: RegistrationView.nullable() },
  'checkin:checkIn': { input: z.object({ registrationId: Id }), output: CheckInResult },
  'checkin:void': {
    input: z.object({ checkInEventId: z.string().min(1).max(64), reason: NonEmpty(500) }),
    output: RegistrationView,
  },
  'checkin:counts': { input: z.object({ stopId: Id }), output: StopCounts },
  'checkin:registerWalkIn': { input: WalkInInput, output: RegistrationView },
} as const;
