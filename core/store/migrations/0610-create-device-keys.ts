import type { Migration } from './migration';

export const migration0610: Migration = {
  version: 610,
  name: 'create-device-keys',
  up(db) {
    db.exec(`
      -- Each device's bundle-signing public key (device_key_published); the earliest by HLC holds.
      CREATE TABLE device_keys (
        device_id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        event_id TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
    `);
  },
};
