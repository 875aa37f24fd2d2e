import type { ProjectionFactory } from './projection';

/** Master data rows are last-writer-wins by HLC: an older upsert arriving late changes nothing. */
export const masterDataProjection: ProjectionFactory = (db) => {
  const tour = db.prepare(`
    INSERT INTO tours (id, name, name_ko, year, start_date, end_date, hlc) VALUES (@id, @name, @nameKo, @year, @startDate, @endDate, @hlc)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_ko = excluded.name_ko, year = excluded.year,
      start_date = excluded.start_date, end_date = excluded.end_date, hlc = excluded.hlc
    WHERE excluded.hlc > tours.hlc`);
  const stop = db.prepare(`
    INSERT INTO stops (id, tour_id, round, city, city_ko, venue, campus, date, time_zone, kind, hlc)
    VALUES (@id, @tourId, @round, @city, @cityKo, @venue, @campus, @date, @timeZone, @kind, @hlc)
    ON CONFLICT(id) DO UPDATE SET tour_id = excluded.tour_id, round = excluded.round, city = excluded.city,
      city_ko = excluded.city_ko, venue = excluded.venue, campus = excluded.campus, date = excluded.date,
      time_zone = excluded.time_zone, kind = excluded.kind, hlc = excluded.hlc
    WHERE excluded.hlc > stops.hlc`);
  const institution = db.prepare(`
    INSERT INTO institutions (id, name, name_ko, short_name, kind, programs, contact_name, contact_email, hlc)
    VALUES (@id, @name, @nameKo, @shortName, @kind, @programs, @contactName, @contactEmail, @hlc)
    ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_ko = excluded.name_ko, short_name = excluded.short_name,
      kind = excluded.kind, programs = excluded.programs, contact_name = excluded.contact_name,
      contact_email = excluded.contact_email, hlc = excluded.hlc
    WHERE excluded.hlc > institutions.hlc`);
  const booth = db.prepare(`
    INSERT INTO booths (id, stop_id, institution_id, location, staff, removed, hlc) VALUES (@id, @stopId, @institutionId, @location, @staff, @removed, @hlc)
    ON CONFLICT(id) DO UPDATE SET stop_id = excluded.stop_id, institution_id = excluded.institution_id,
      location = excluded.location, staff = excluded.staff, removed = excluded.removed, hlc = excluded.hlc
    WHERE excluded.hlc > booths.hlc`);
  const session = db.prepare(`
    INSERT INTO stop_sessions (id, stop_id, kind, title, title_ko, start_time, end_time, room, capacity, cancelled, hlc)
    VALUES (@id, @stopId, @kind, @title, @titleKo, @startTime, @endTime, @room, @capacity, @cancelled, @hlc)
    ON CONFLICT(id) DO UPDATE SET stop_id = excluded.stop_id, kind = excluded.kind, title = excluded.title,
      title_ko = excluded.title_ko, start_time = excluded.start_time, end_time = excluded.end_time, room = excluded.room,
      capacity = excluded.capacity, cancelled = excluded.cancelled, hlc = excluded.hlc
    WHERE excluded.hlc > stop_sessions.hlc`);

  return {
    tables: [
      { name: 'tours', orderBy: 'id' },
      { name: 'stops', orderBy: 'id' },
      { name: 'institutions', orderBy: 'id' },
      { name: 'booths', orderBy: 'id' },
      { name: 'stop_sessions', orderBy: 'id' },
    ],
    handlers: {
      tour_upserted: (e) => void tour.run({ ...e.payload, startDate: e.payload.startDate ?? null, endDate: e.payload.endDate ?? null, hlc: e.hlc }),
      stop_upserted: (e) => void stop.run({ ...e.payload, hlc: e.hlc }),
      institution_upserted: (e) =>
        void institution.run({
          ...e.payload,
          programs: JSON.stringify(e.payload.programs ?? []),
          contactName: e.payload.contactName ?? '',
          contactEmail: e.payload.contactEmail ?? '',
          hlc: e.hlc,
        }),
      booth_upserted: (e) => void booth.run({ ...e.payload, staff: JSON.stringify(e.payload.staff), removed: e.payload.removed ? 1 : 0, hlc: e.hlc }),
      stop_session_upserted: (e) => void session.run({ ...e.payload, capacity: e.payload.capacity ?? null, cancelled: e.payload.cancelled ? 1 : 0, hlc: e.hlc }),
    },
  };
};
