import type { Migration } from './migration';

export const migration0020: Migration = {
  version: 20,
  name: 'create-master-data',
  up(db) {
    db.exec(`
      CREATE TABLE tours (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_ko TEXT NOT NULL,
        year INTEGER NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;

      CREATE TABLE stops (
        id TEXT PRIMARY KEY,
        tour_id TEXT NOT NULL,
        round TEXT NOT NULL,
        city TEXT NOT NULL,
        city_ko TEXT NOT NULL,
        venue TEXT NOT NULL,
        campus TEXT NOT NULL,
        date TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        kind TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX stops_date ON stops(date);

      CREATE TABLE institutions (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_ko TEXT NOT NULL,
        short_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;

      CREATE TABLE booths (
        id TEXT PRIMARY KEY,
        stop_id TEXT NOT NULL,
        institution_id TEXT NOT NULL,
        location TEXT NOT NULL,
        staff TEXT NOT NULL,
        hlc TEXT NOT NULL
      ) STRICT;
      CREATE INDEX booths_stop ON booths(stop_id);
    `);
  },
};
