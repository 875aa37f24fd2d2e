import type { ProjectionFactory } from './projection';

/**
 * Staff (profile and PIN as last-writer-wins registers by HLC), deactivations and stop purges
 * (insert-only facts): any delivery order of the same events gives the same tables.
 */
export const securityProjection: ProjectionFactory = (db) => {
  // One register for the profile, written by staff_created (made at a desk with a PIN) and staff_upserted
  // (planned, without one): the whole row of the later event by HLC.
  const profile = db.prepare(`
    INSERT INTO staff (id, name, role, institution_id, stop_ids, hlc) VALUES (@staffId, @name, @role, @institutionId, @stopIds, @hlc)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, institution_id = excluded.institution_id,
      stop_ids = excluded.stop_ids, hlc = excluded.hlc
    WHERE excluded.hlc > staff.hlc`);
  const setupCode = db.prepare(`
    INSERT INTO staff_setup_codes (staff_id, code_hash, hlc) VALUES (@staffId, @codeHash, @hlc)
    ON CONFLICT(staff_id) DO UPDATE SET code_hash = excluded.code_hash, hlc = excluded.hlc
    WHERE excluded.hlc > staff_setup_codes.hlc`);
  const pin = db.prepare(`
    INSERT INTO staff_pins (staff_id, pin_hash, hlc) VALUES (@staffId, @pinHash, @hlc)
    ON CONFLICT(staff_id) DO UPDATE SET pin_hash = excluded.pin_hash, hlc = excluded.hlc
    WHERE excluded.hlc > staff_pins.hlc`);
  const deactivate = db.prepare('INSERT OR IGNORE INTO staff_deactivations (event_id, staff_id, hlc) VALUES (?, ?, ?)');
  const purge = db.prepare(`
    INSERT OR IGNORE INTO stop_purges (event_id, stop_id, device_id, actor_id, event_count, digest, attendees_purged, hlc, at)
    VALUES (@eventId, @stopId, @deviceId, @actorId, @eventCount, @digest, @attendeesPurged, @hlc, @at)`);
  return {
    tables: [
      { name: 'staff', orderBy: 'id' },
      { name: 'staff_pins', orderBy: 'staff_id' },
      { name: 'staff_setup_codes', orderBy: 'staff_id' },
      { name: 'staff_deactivations', orderBy: 'event_id' },
      { name: 'stop_purges', orderBy: 'event_id' },
    ],
    handlers: {
      staff_created: (e) => {
        profile.run({ staffId: e.payload.staffId, name: e.payload.name, role: e.payload.role, institutionId: e.payload.institutionId, stopIds: '[]', hlc: e.hlc });
        pin.run({ staffId: e.payload.staffId, pinHash: e.payload.pinHash, hlc: e.hlc });
      },
      staff_pin_set: (e) => void pin.run({ ...e.payload, hlc: e.hlc }),
      staff_upserted: (e) =>
        void profile.run({ staffId: e.payload.staffId, name: e.payload.name, role: e.payload.role, institutionId: e.payload.institutionId, stopIds: JSON.stringify(e.payload.stopIds ?? []), hlc: e.hlc }),
      staff_setup_code_set: (e) => void setupCode.run({ ...e.payload, hlc: e.hlc }),
      staff_deactivated: (e) => void deactivate.run(e.eventId, e.payload.staffId, e.hlc),
      stop_personal_data_purged: (e) =>
        void purge.run({ ...e.payload, eventId: e.eventId, deviceId: e.deviceId, actorId: e.actorId, hlc: e.hlc, at: e.recordedAt }),
    },
  };
};
