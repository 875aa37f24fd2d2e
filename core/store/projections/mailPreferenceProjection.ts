import type { ProjectionFactory } from './projection';

/**
 * Attendee messages (issue #21): unsubscribes are insert-only facts keyed by event id; the message
 * language is last-writer-wins by HLC. Both are order independent.
 */
export const mailPreferenceProjection: ProjectionFactory = (db) => {
  const unsubscribe = db.prepare(`INSERT OR IGNORE INTO attendee_unsubscribes (event_id, attendee_id, stop_id, via, hlc, at) VALUES (?, ?, ?, ?, ?, ?)`);
  const language = db.prepare(`
    INSERT INTO attendee_languages (attendee_id, language, hlc) VALUES (?, ?, ?)
    ON CONFLICT(attendee_id) DO UPDATE SET language = excluded.language, hlc = excluded.hlc WHERE excluded.hlc > attendee_languages.hlc`);
  return {
    tables: [
      { name: 'attendee_unsubscribes', orderBy: 'event_id' },
      { name: 'attendee_languages', orderBy: 'attendee_id' },
    ],
    handlers: {
      attendee_unsubscribed: (e) => void unsubscribe.run(e.eventId, e.payload.attendeeId, e.payload.stopId, e.payload.via, e.hlc, e.recordedAt),
      attendee_language_set: (e) => void language.run(e.payload.attendeeId, e.payload.language, e.hlc),
    },
  };
};
