import { z } from 'zod';
import { BoothPlanFields } from '../schemas/booths';
import { Id, NonEmpty, OptionalText } from '../schemas/common';
import { Institution, Stop, StopSession, Tour } from '../schemas/masterData';
import { STAFF_ROLES, StaffView } from '../schemas/staff';
import { TourSheetReport } from '../schemas/tourSheet';
import { LANGUAGES } from '../vocab';
import { BoothView } from './masterDataContract';

/** A tour spreadsheet as base64 (≤ 8 MB of bytes: a tour has hundreds of rows, not millions). */
const SheetBase64 = z.string().min(1).max(11 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
export const TourSheetFile = z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() });
export type TourSheetFile = z.infer<typeof TourSheetFile>;

/** A new record has no id yet: the handler mints one. */
const withOptionalId = { id: Id.optional() };

/**
 * Planning a tour (issue #18): tours, stops, the sessions of a stop, institutions, booths with their plans,
 * and staff. Every write is an event, so a plan made at HQ reaches the desks by sync, hub or USB bundle, and
 * a stop lead's change on site reaches HQ the same way. Nothing is deleted: a booth is removed by a flag and
 * a session cancelled by one, and the bookings that no longer fit show in the booths' conflict list.
 */
export const tourPlanContract = {
  'tours:list': { input: z.object({}), output: z.array(Tour) },
  'tour:upsert': { input: Tour.extend(withOptionalId), output: Tour },
  'stop:upsert': { input: Stop.extend(withOptionalId), output: Stop },
  'sessions:list': { input: z.object({ stopId: Id }), output: z.array(StopSession) },
  'session:upsert': { input: StopSession.extend(withOptionalId), output: StopSession },
  'institution:upsert': { input: Institution.extend(withOptionalId), output: Institution },
  /** A booth (and, when given, its plan) in one step. A removed booth comes back by an upsert. */
  'booth:upsert': {
    input: z.object({
      id: Id.optional(),
      stopId: Id,
      institutionId: Id,
      location: OptionalText(100),
      staff: z.array(NonEmpty(100)).max(50).default([]),
      plan: BoothPlanFields.nullable().default(null),
    }),
    output: BoothView,
  },
  /** Off the floor plan; its bookings stay (listed as conflicts) and nothing is deleted. */
  'booth:remove': { input: z.object({ boothId: Id }), output: z.object({ boothId: Id, bookingsKept: z.number().int() }) },
  /** The other stop's booths (institution, code, staff) and plans, for the institutions the stop has none of yet. */
  'booths:copyFromStop': {
    input: z.object({ fromStopId: Id, toStopId: Id }),
    output: z.object({ boothsCreated: z.number().int(), plansCopied: z.number().int(), skipped: z.number().int() }),
  },
  /**
   * A staff member without a PIN: `issueSetupCode` answers a one-time code (shown once) with which the person
   * chooses their own PIN at first sign-in; only its hash is stored and synced.
   */
  'staff:plan': {
    input: z.object({
      staffId: Id.optional(),
      name: NonEmpty(100),
      role: z.enum(STAFF_ROLES),
      institutionId: Id.nullable().default(null),
      stopIds: z.array(Id).max(100).default([]),
      issueSetupCode: z.boolean().default(true),
    }),
    output: z.object({ staff: StaffView, setupCode: z.string().nullable() }),
  },
  'tourplan:template': { input: z.object({ language: z.enum(LANGUAGES) }), output: TourSheetFile },
  /** What the upload would do, and every bad cell; writes nothing. */
  'tourplan:check': { input: z.object({ tourId: Id, base64: SheetBase64 }), output: TourSheetReport },
  /** Checks again and writes only when nothing is wrong; the same file twice writes nothing the second time. */
  'tourplan:apply': { input: z.object({ tourId: Id, base64: SheetBase64 }), output: TourSheetReport },
  'tourplan:export': { input: z.object({ tourId: Id, language: z.enum(LANGUAGES) }), output: TourSheetFile },
} as const;
