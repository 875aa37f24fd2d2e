import type { SessionAttendance, SessionCheckInInfo, SessionCounts } from '../../../shared/ipc/sessionCheckinContract';
import type { Db } from '../sqlite';

interface CheckInRow {
  event_id: string;
  device_id: string;
  desk: string;
  at: string;
  stop_check_in_event_id: string | null;
  void_reason: string | null;
  voided: number;
}

const LIVE = 'NOT EXISTS (SELECT 1 FROM session_check_in_voids v WHERE v.session_check_in_event_id = c.event_id)';

/**
 * Reads of session check-ins. Like the stop's, the effective check-in of a person in a session is
 * derived here (the earliest not voided, by HLC) from insert-only rows, so it does not depend on the
 * order the events arrived in.
 */
export function createSessionCheckinQueries(db: Db) {
  const checkIns = db.prepare<[string, string], CheckInRow>(`
    SELECT c.event_id, c.device_id, c.desk, c.at, c.stop_check_in_event_id,
           (SELECT v.reason FROM session_check_in_voids v WHERE v.session_check_in_event_id = c.event_id ORDER BY v.hlc LIMIT 1) AS void_reason,
           NOT ${LIVE} AS voided
    FROM session_check_ins c WHERE c.session_id = ? AND c.registration_id = ? ORDER BY c.hlc`);
  const byEvent = db.prepare<[string], { session_id: string; registration_id: string; stop_id: string; stop_check_in_event_id: string | null; voided: number }>(`
    SELECT c.session_id, c.registration_id, c.stop_id, c.stop_check_in_event_id, NOT ${LIVE} AS voided
    FROM session_check_ins c WHERE c.event_id = ?`);
  const perSession = db.prepare<[string], { session_id: string; capacity: number | null; people: number; live: number }>(`
    SELECT s.id AS session_id, s.capacity,
           (SELECT COUNT(DISTINCT c.registration_id) FROM session_check_ins c WHERE c.session_id = s.id AND ${LIVE}) AS people,
           (SELECT COUNT(*) FROM session_check_ins c WHERE c.session_id = s.id AND ${LIVE}) AS live
    FROM stop_sessions s WHERE s.stop_id = ? ORDER BY s.start_time, s.end_time, s.id`);
  const byStage = db.prepare<[string], { session_id: string; stage: string | null; n: number }>(`
    SELECT p.session_id, a.career_stage AS stage, COUNT(*) AS n
    FROM (SELECT DISTINCT c.session_id, c.registration_id, c.attendee_id FROM session_check_ins c WHERE c.stop_id = ? AND ${LIVE}) p
    LEFT JOIN attendees a ON a.id = p.attendee_id
    GROUP BY p.session_id, a.career_stage`);
  // The latest effective check-in first: the door sees who just came in.
  const attendees = db.prepare<[string, number], { registration_id: string }>(`
    SELECT c.registration_id FROM session_check_ins c WHERE c.session_id = ? AND ${LIVE}
    GROUP BY c.registration_id ORDER BY MIN(c.hlc) DESC, c.registration_id LIMIT ?`);
  const stopCheckInLive = db.prepare<[string], { live: number }>(`
    SELECT NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id) AS live FROM check_ins c WHERE c.event_id = ?`);

  return {
    attendance(sessionId: string, registrationId: string): SessionAttendance {
      const live: SessionCheckInInfo[] = [];
      for (const c of checkIns.all(sessionId, registrationId)) {
        if (c.voided === 1) continue;
        live.push({ eventId: c.event_id, deviceId: c.device_id, desk: c.desk, at: c.at, voided: false, voidReason: null, stopCheckInEventId: c.stop_check_in_event_id });
      }
      return { sessionId, checkIn: live[0] ?? null, duplicateCheckIns: live.slice(1) };
    },
    checkIn(eventId: string) {
      const r = byEvent.get(eventId);
      return r
        ? { sessionId: r.session_id, registrationId: r.registration_id, stopId: r.stop_id, stopCheckInEventId: r.stop_check_in_event_id, voided: r.voided === 1 }
        : null;
    },
    /** Whether a stop check-in exists and was not undone. */
    stopCheckInLive(eventId: string): boolean {
      return stopCheckInLive.get(eventId)?.live === 1;
    },
    attendeeRegistrations(sessionId: string, limit: number): string[] {
      return attendees.all(sessionId, limit).map((r) => r.registration_id);
    },
    counts(stopId: string): SessionCounts[] {
      const stages = new Map<string, Record<string, number>>();
      for (const s of byStage.all(stopId)) {
        const m = stages.get(s.session_id) ?? {};
        const stage = s.stage ?? 'other';
        m[stage] = (m[stage] ?? 0) + s.n;
        stages.set(s.session_id, m);
      }
      return perSession.all(stopId).map((s) => ({
        sessionId: s.session_id,
        stopId,
        checkedIn: s.people,
        duplicates: s.live - s.people,
        capacity: s.capacity,
        byCareerStage: stages.get(s.session_id) ?? {},
      }));
    },
  };
}
export type SessionCheckinQueries = ReturnType<typeof createSessionCheckinQueries>;
