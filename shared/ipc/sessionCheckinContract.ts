import { z } from 'zod';
import { CheckInInfo } from '../schemas/attendees';
import { Id, NonEmpty } from '../schemas/common';
import { DeskView } from './checkinContract';

/** One check-in into a session; `stopCheckInEventId` names the stop check-in written with it, if one was. */
export const SessionCheckInInfo = CheckInInfo.extend({ stopCheckInEventId: z.string().nullable() });
export type SessionCheckInInfo = z.infer<typeof SessionCheckInInfo>;

/** A registration's presence in one session: the effective (earliest live) check-in and the later duplicates. */
export const SessionAttendance = z.object({
  sessionId: Id,
  checkIn: SessionCheckInInfo.nullable(),
  duplicateCheckIns: z.array(SessionCheckInInfo),
});
export type SessionAttendance = z.infer<typeof SessionAttendance>;

/** A registration as the session door sees it: the stop's view plus the session's check-in. */
export const SessionDeskView = DeskView.extend({ session: SessionAttendance });
export type SessionDeskView = z.infer<typeof SessionDeskView>;

export const SessionCheckInResult = z.object({
  registration: SessionDeskView,
  /** True when this call made the session check-in; false when the person was already in the session. */
  created: z.boolean(),
  /** True when this call also checked the person in at the stop (their first check-in of the stop). */
  stopCheckedIn: z.boolean(),
});
export type SessionCheckInResult = z.infer<typeof SessionCheckInResult>;

export const SessionScanResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checked_in'), token: z.string(), registration: SessionDeskView, stopCheckedIn: z.boolean() }),
  z.object({ kind: z.literal('already'), token: z.string(), registration: SessionDeskView }),
  z.object({ kind: z.literal('unknown'), token: z.string() }),
]);
export type SessionScanResult = z.infer<typeof SessionScanResult>;

/** Attendance of one session: people in it (duplicates counted once), extra check-ins, seats, by career stage. */
export const SessionCounts = z.object({
  sessionId: Id,
  stopId: Id,
  checkedIn: z.number().int(),
  /** Check-ins beyond the first of the same person (two desks offline): kept, shown, not counted as people. */
  duplicates: z.number().int(),
  capacity: z.number().int().nullable(),
  byCareerStage: z.record(z.string(), z.number().int()),
});
export type SessionCounts = z.infer<typeof SessionCounts>;

/**
 * Session check-in (issue #19): a desk, or a tablet at a session door, picks a session of the stop and
 * checks people into it by scan or search. A person may be in several sessions; their first check-in of
 * the stop happens with their first session check-in (same transaction). Undo takes a reason, as at the stop.
 */
export const sessionCheckinContract = {
  'sessions:search': {
    input: z.object({ sessionId: Id, query: z.string().max(200), limit: z.number().int().min(1).max(200).default(20) }),
    output: z.array(SessionDeskView),
  },
  /** Who is in the session, the latest check-in first. */
  'sessions:attendees': {
    input: z.object({ sessionId: Id, limit: z.number().int().min(1).max(2000).default(50) }),
    output: z.array(SessionDeskView),
  },
  'sessions:checkIn': { input: z.object({ sessionId: Id, registrationId: Id }), output: SessionCheckInResult },
  /** Scanner and camera at the session door: look the token up at the session's stop and check in, in one call. */
  'sessions:scan': { input: z.object({ sessionId: Id, token: NonEmpty(200) }), output: SessionScanResult },
  'sessions:void': {
    input: z.object({
      sessionCheckInEventId: z.string().min(1).max(64),
      reason: NonEmpty(500),
      /** Also undo the stop check-in that was written with this one (a scan of the wrong person). */
      alsoStop: z.boolean().default(false),
    }),
    output: SessionDeskView,
  },
  /** Every session of the stop with its attendance. */
  'sessions:counts': { input: z.object({ stopId: Id }), output: z.array(SessionCounts) },
} as const;
