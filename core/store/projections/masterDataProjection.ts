import type { ProjectionFactory } from './projection';

/** Master data rows are last-writer-wins by HLC: an older upsert arriving late changes nothing. */
export const masterDataProjection: ProjectionFactory = (db) => {
  const tour = db.prepare(`
    INSERT INTO tours (id, name, name_ko, year, hlc) VALUES (@id, @name, @nameKo, @year, @hlc)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_ko = excluded.name_ko, year = excluded.year, hlc = excluded.hlc
    WHERE excluded.hlc > tours.hlc`);
  const stop = db.prepare(`
    INSERT INTO stops (id, tour_id, round, city, city_ko, venue, campus, date, time_zone, kind, hlc)
    VALUES (@id, @tourId, @round, @city, @cityKo, @venue, @campus, @date, @timeZone, @kind, @hlc)
    ON CONFLICT(id) DO UPDATE SET tour_id = excluded.tour_id, round = excluded.round, city = excluded.city,
      city_ko = excluded.city_ko, venue = excluded.venue, campus = excluded.campus, date = excluded.date,
      time_zone = excluded.time_zone, kind = excluded.kind, hlc = excluded.hlc
    WHERE excluded.hlc > stops.hlc`);
  const institution = db.prepare(`
    INSERT INTO institutions (id, name, name_ko, short_name, kind, hlc) VALUES (@id, @name, @nameKo, @shortName, @kind, @hlc)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_ko = excluded.name_ko, short_name = excluded.short_name,
      kind = excluded.kind, hlc = excluded.hlc
    WHERE excluded.hlc > institutions.hlc`);
  const booth = db.prepare(`
    INSERT INTO booths (id, stop_id, institution_id, location, staff, hlc) VALUES (@id, @stopId, @institutionId, @location, @staff, @hlc)
    ON CONFLICT(id) DO UPDATE SET stop_id = excluded.stop_id, institution_id = excluded.institution_id,
      location = excluded.location, staff = excluded.staff, hlc = excluded.hlc
    WHERE excluded.hlc > booths.hlc`);

  return {
    tables: [
      { name: 'tours', orderBy: 'id' },
      { name: 'stops', orderBy: 'id' },
      { name: 'institutions', orderBy: 'id' },
      { name: 'booths', orderBy: 'id' },
    ],
    handlers: {
      tour_upserted: (e) => void tour.run({ ...e.payload, hlc: e.hlc }),
      stop_upserted: (e) => void stop.run({ ...e.payload, hlc: e.hlc }),
      institution_upserted: (e) => void institution.run({ ...e.payload, hlc: e.hlc }),
      booth_upserted: (e) => void booth.run({ ...e.payload, staff: JSON.stringify(e.payload.staff), hlc: e.hlc }),
    },
  };
};
