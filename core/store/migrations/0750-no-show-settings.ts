import type { Migration } from './migration';

/**
 * No-shows free places (issue #19): each stop's booth timing settings (last writer by HLC), and who
 * marked a booking's attendance — a person (NULL) or the host's automatic no-show ('auto'), which a
 * person's mark always overrides — and when a waitlist offer was made (its expiry is derived from it).
 */
export const migration0750: Migration = {
  version: 750,
  name: 'no-show-settings',
  up(db) {
    db.exec(`
      CREATE TABLE stop_booth_settings (
        stop_id TEXT PRIMARY KEY,
        auto_no_show_minutes INTEGER,
        offer_expiry_minutes INTEGER,
        set_by TEXT,
        set_at TEXT NOT NULL,
        hlc TEXT NOT NULL
      );
      ALTER TABLE bookings ADD COLUMN attendance_source TEXT;
      -- When the open offer was made, by the offering desk's wall clock (its event's recordedAt, in ms):
      -- an HLC's wall part follows the fastest clock it ever saw, too coarse a base for a 5-minute expiry.
      ALTER TABLE waitlist_entries ADD COLUMN offer_ms INTEGER;
    `);
  },
};
