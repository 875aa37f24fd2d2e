import type { ProjectionFactory } from './projection';

/**
 * Session check-ins and their voids are insert-only facts keyed by event id, so any delivery order
 * gives the same rows. Which check-in counts (the earliest not voided, by HLC) and which are
 * duplicates is derived when read (core/store/queries/sessionCheckinQueries.ts), never stored.
 */
export const sessionCheckinProjection: ProjectionFactory = (db) => {
  const checkIn = db.prepare(`
    INSERT OR IGNORE INTO session_check_ins (event_id, session_id, registration_id, attendee_id, stop_id, stop_check_in_event_id, device_id, desk, actor_id, hlc, at)
    VALUES (@eventId, @sessionId, @registrationId, @attendeeId, @stopId, @stopCheckInEventId, @deviceId, @desk, @actorId, @hlc, @at)`);
  const voidCheckIn = db.prepare(`
    INSERT OR IGNORE INTO session_check_in_voids (event_id, session_check_in_event_id, reason, desk, device_id, actor_id, hlc, at)
    VALUES (@eventId, @sessionCheckInEventId, @reason, @desk, @deviceId, @actorId, @hlc, @at)`);
  return {
    tables: [
      { name: 'session_check_ins', orderBy: 'event_id' },
      { name: 'session_check_in_voids', orderBy: 'event_id' },
    ],
    handlers: {
      session_checked_in: (e) =>
        void checkIn.run({ ...e.payload, eventId: e.eventId, deviceId: e.deviceId, actorId: e.actorId, hlc: e.hlc, at: e.recordedAt }),
      session_check_in_voided: (e) =>
        void voidCheckIn.run({ ...e.payload, eventId: e.eventId, deviceId: e.deviceId, actorId: e.actorId, hlc: e.hlc, at: e.recordedAt }),
    },
  };
};
