import type { ProjectionFactory } from './projection';

/** A device's bundle key: the earliest published by HLC wins, whatever order the events arrive in. */
export const deviceKeyProjection: ProjectionFactory = (db) => {
  const upsert = db.prepare(`
    INSERT INTO device_keys (device_id, public_key, event_id, hlc) VALUES (@deviceId, @publicKey, @eventId, @hlc)
    ON CONFLICT(device_id) DO UPDATE SET public_key = excluded.public_key, event_id = excluded.event_id, hlc = excluded.hlc
    WHERE excluded.hlc < device_keys.hlc`);
  return {
    tables: [{ name: 'device_keys', orderBy: 'device_id' }],
    handlers: {
      device_key_published: (e) => void upsert.run({ deviceId: e.deviceId, publicKey: e.payload.publicKey, eventId: e.eventId, hlc: e.hlc }),
    },
  };
};
