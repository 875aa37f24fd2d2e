import type { ProjectionFactory } from './projection';

/**
 * A stop's booth timing settings (issue #19): one row per stop, the last writer by HLC wins, so
 * every desk of the stop holding the same events applies the same rules.
 */
export const noShowProjection: ProjectionFactory = (db) => {
  const put = db.prepare(`
    INSERT INTO stop_booth_settings (stop_id, auto_no_show_minutes, offer_expiry_minutes, set_by, set_at, hlc)
    VALUES (@stopId, @autoNoShowMinutes, @offerExpiryMinutes, @setBy, @setAt, @hlc)
    ON CONFLICT(stop_id) DO UPDATE SET auto_no_show_minutes = excluded.auto_no_show_minutes,
      offer_expiry_minutes = excluded.offer_expiry_minutes, set_by = excluded.set_by, set_at = excluded.set_at, hlc = excluded.hlc
    WHERE excluded.hlc > stop_booth_settings.hlc`);
  return {
    tables: [{ name: 'stop_booth_settings', orderBy: 'stop_id' }],
    handlers: {
      stop_booth_settings_set: (e) => void put.run({ ...e.payload, setBy: e.actorId, setAt: e.recordedAt, hlc: e.hlc }),
    },
  };
};
