import type { BoothView } from '../../../shared/ipc/masterDataContract';
import type { Institution, Stop, StopSession, Tour } from '../../../shared/schemas/masterData';
import type { Db } from '../sqlite';

interface TourRow {
  id: string;
  name: string;
  name_ko: string;
  year: number;
  start_date: string | null;
  end_date: string | null;
}
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
  programs: string;
  contact_name: string;
  contact_email: string;
}
interface BoothRow extends InstitutionRow {
  booth_id: string;
  stop_id: string;
  institution_id: string;
  location: string;
  staff: string;
  removed: number;
}
interface SessionRow {
  id: string;
  stop_id: string;
  kind: StopSession['kind'];
  title: string;
  title_ko: string;
  start_time: string;
  end_time: string;
  room: string;
  capacity: number | null;
  cancelled: number;
}

const toTour = (r: TourRow): Tour => ({ id: r.id, name: r.name, nameKo: r.name_ko, year: r.year, startDate: r.start_date, endDate: r.end_date });
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
  programs: JSON.parse(r.programs) as string[],
  contactName: r.contact_name,
  contactEmail: r.contact_email,
});
const toBooth = (r: BoothRow): BoothView => ({
  id: r.booth_id,
  stopId: r.stop_id,
  institutionId: r.institution_id,
  location: r.location,
  staff: JSON.parse(r.staff) as string[],
  removed: r.removed === 1,
  institution: toInstitution(r),
});
const toSession = (r: SessionRow): StopSession => ({
  id: r.id,
  stopId: r.stop_id,
  kind: r.kind,
  title: r.title,
  titleKo: r.title_ko,
  startTime: r.start_time,
  endTime: r.end_time,
  room: r.room,
  capacity: r.capacity,
  cancelled: r.cancelled === 1,
});

const SELECT_BOOTH = `
  SELECT b.id AS booth_id, b.stop_id, b.institution_id, b.location, b.staff, b.removed, i.*
  FROM booths b JOIN institutions i ON i.id = b.institution_id`;

export function createMasterDataQueries(db: Db) {
  const tours = db.prepare<[], TourRow>('SELECT id, name, name_ko, year, start_date, end_date FROM tours ORDER BY year DESC, id');
  const tourById = db.prepare<[string], TourRow>('SELECT id, name, name_ko, year, start_date, end_date FROM tours WHERE id = ?');
  const stops = db.prepare<[], StopRow>('SELECT * FROM stops ORDER BY date, round, id');
  const stopsOfTour = db.prepare<[string], StopRow>('SELECT * FROM stops WHERE tour_id = ? ORDER BY date, round, id');
  const stop = db.prepare<[string], StopRow>('SELECT * FROM stops WHERE id = ?');
  const institutions = db.prepare<[], InstitutionRow>('SELECT * FROM institutions ORDER BY short_name');
  const institution = db.prepare<[string], InstitutionRow>('SELECT * FROM institutions WHERE id = ?');
  const booths = db.prepare<[string], BoothRow>(`${SELECT_BOOTH} WHERE b.stop_id = ? AND b.removed = 0 ORDER BY i.short_name, b.id`);
  const allBooths = db.prepare<[string], BoothRow>(`${SELECT_BOOTH} WHERE b.stop_id = ? ORDER BY b.removed, i.short_name, b.id`);
  const booth = db.prepare<[string], BoothRow>(`${SELECT_BOOTH} WHERE b.id = ?`);
  const sessions = db.prepare<[string], SessionRow>('SELECT * FROM stop_sessions WHERE stop_id = ? ORDER BY start_time, end_time, id');
  const session = db.prepare<[string], SessionRow>('SELECT * FROM stop_sessions WHERE id = ?');
  return {
    /** The tour a desk works on: the chosen one, else the newest. */
    tour(preferredId: string | null = null): Tour | null {
      const r = (preferredId ? tourById.get(preferredId) : undefined) ?? tours.get();
      return r ? toTour(r) : null;
    },
    tourById: (id: string): Tour | null => {
      const r = tourById.get(id);
      return r ? toTour(r) : null;
    },
    tours: (): Tour[] => tours.all().map(toTour),
    stops: (): Stop[] => stops.all().map(toStop),
    stopsOfTour: (tourId: string): Stop[] => stopsOfTour.all(tourId).map(toStop),
    stop: (id: string): Stop | null => {
      const r = stop.get(id);
      return r ? toStop(r) : null;
    },
    institutions: (): Institution[] => institutions.all().map(toInstitution),
    institution: (id: string): Institution | null => {
      const r = institution.get(id);
      return r ? toInstitution(r) : null;
    },
    /** The booths on the stop's floor plan (removed ones left out). */
    booths: (stopId: string): BoothView[] => booths.all(stopId).map(toBooth),
    /** Every booth the stop ever had, removed ones last (planning, conflicts). */
    allBooths: (stopId: string): BoothView[] => allBooths.all(stopId).map(toBooth),
    booth: (id: string): BoothView | null => {
      const r = booth.get(id);
      return r ? toBooth(r) : null;
    },
    sessions: (stopId: string): StopSession[] => sessions.all(stopId).map(toSession),
    session: (id: string): StopSession | null => {
      const r = session.get(id);
      return r ? toSession(r) : null;
    },
  };
}
export type MasterDataQueries = ReturnType<typeof createMasterDataQueries>;
