import type { Migration } from './migration';

export const migration0200: Migration = {
  version: 200,
  name: 'create-booth-scheduling',
  up(db) {
    db.exec(`
      -- One plan per booth (a booth belongs to one stop); last writer by HLC wins.
      CREATE TABLE booth_plans (
        booth_id TEXT PRIMARY KEY,
        stop_id TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        slot_minutes INTEGER NOT NULL,
        capacity INTEGER NOT NULL,
        breaks TEXT NOT NULL,
        fields TEXT NOT NULL,
        copied_from_stop_id TEXT,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX booth_plans_stop ON booth_plans(stop_id);

      -- Every booking claim is kept. Each group of columns is written by the event with the
      -- highest HLC for it (placement: made/walk-up/moves; attendance), cancellation by the
      -- earliest cancel, so any delivery order gives the same row. made_hlc is NULL while only
      -- later events of the booking have arrived.
      CREATE TABLE bookings (
        booking_id TEXT PRIMARY KEY,
        stop_id TEXT,
        attendee_id TEXT,
        registration_id TEXT,
        source TEXT,
        made_hlc TEXT,
        made_at TEXT,
        booth_id TEXT,
        slot_start TEXT,
        slot_end TEXT,
        place_hlc TEXT,
        cancelled_hlc TEXT,
        cancel_reason TEXT,
        attendance TEXT NOT NULL DEFAULT 'pending',
        attendance_hlc TEXT
      ) STRICT;
      CREATE INDEX bookings_slot ON bookings(booth_id, slot_start);
      CREATE INDEX bookings_stop ON bookings(stop_id);
      CREATE INDEX bookings_attendee ON bookings(attendee_id, slot_start);

      CREATE TABLE waitlist_entries (
        entry_id TEXT PRIMARY KEY,
        booth_id TEXT,
        stop_id TEXT,
        attendee_id TEXT,
        registration_id TEXT,
        joined_hlc TEXT,
        joined_at TEXT,
        left_hlc TEXT,
        left_reason TEXT,
        offer_slot_start TEXT,
        offer_slot_end TEXT,
        offer_hlc TEXT,
        declined_slot_start TEXT,
        declined_hlc TEXT
      ) STRICT;
      CREATE INDEX waitlist_booth ON waitlist_entries(booth_id, joined_hlc);

      -- Insert-only facts: who resolved which conflict how.
      CREATE TABLE booking_conflict_resolutions (
        event_id TEXT PRIMARY KEY,
        booking_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        action TEXT NOT NULL,
        booth_id TEXT NOT NULL,
        slot_start TEXT NOT NULL,
        note TEXT NOT NULL,
        actor_id TEXT,
        device_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX booking_conflict_resolutions_booking ON booking_conflict_resolutions(booking_id);
    `);
  },
};
