import type { BoothView } from '../../../shared/ipc/masterDataContract';
import type { Institution, Stop, Tour } from '../../../shared/schemas/masterData';
import type { Db } from '../sqlite';

interface StopRow {
  id: string;
  tour_id: string;
  round: string;
  city: string;
  city_ko: string;
  venue: string;
  campus: string;
  date: string;
  time_zone: string;
  kind: Stop['kind'];
}
interface InstitutionRow {
  id: string;
  name: string;
  name_ko: string;
  short_name: string;
  kind: Institution['kind'];
}

const toStop = (r: StopRow): Stop => ({
  id: r.id,
  tourId: r.tour_id,
  round: r.round,
  city: r.city,
  cityKo: r.city_ko,
  venue: r.venue,
  campus: r.campus,
  date: r.date,
  timeZone: r.time_zone,
  kind: r.kind,
});
const toInstitution = (r: InstitutionRow): Institution => ({
  id: r.id,
  name: r.name,
  nameKo: r.name_ko,
  shortName: r.short_name,
  kind: r.kind,
});

export function createMasterDataQueries(db: Db) {
  const tour = db.prepare<[], { id: string; name: string; name_ko: string; year: number }>('SELECT * FROM tours ORDER BY year DESC, id LIMIT 1');
  const stops = db.prepare<[], StopRow>('SELECT * FROM stops ORDER BY date, round, id');
  const stop = db.prepare<[string], StopRow>('SELECT * FROM stops WHERE id = ?');
  const institutions = db.prepare<[], InstitutionRow>('SELECT * FROM institutions ORDER BY short_name');
  const booths = db.prepare<[string], InstitutionRow & { booth_id: string; stop_id: string; institution_id: string; location: string; staff: string }>(`
    SELECT b.id AS booth_id, b.stop_id, b.institution_id, b.location, b.staff, i.*
    FROM booths b JOIN institutions i ON i.id = b.institution_id
    WHERE b.stop_id = ? ORDER BY i.short_name`);
  return {
    tour(): Tour | null {
      const r = tour.get();
      return r ? { id: r.id, name: r.name, nameKo: r.name_ko, year: r.year } : null;
    },
    stops: (): Stop[] => stops.all().map(toStop),
    stop: (id: string): Stop | null => {
      const r = stop.get(id);
      return r ? toStop(r) : null;
    },
    institutions: (): Institution[] => institutions.all().map(toInstitution),
    booths: (stopId: string): BoothView[] =>
      booths.all(stopId).map((r) => ({
        id: r.booth_id,
        stopId: r.stop_id,
        institutionId: r.institution_id,
        location: r.location,
        staff: JSON.parse(r.staff) as string[],
        institution: toInstitution(r),
      })),
  };
}
export type MasterDataQueries = ReturnType<typeof createMasterDataQueries>;
