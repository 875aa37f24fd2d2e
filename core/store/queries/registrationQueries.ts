import type { Attendee, CheckInInfo, RegistrationView, StopCounts } from '../../../shared/schemas/attendees';
import { normalizeQuery } from '../../domain/searchText';
import type { Db } from '../sqlite';

interface RegRow {
  registration_id: string;
  stop_id: string;
  source: RegistrationView['source'];
  scan_token: string;
  attendee_id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  career_stage: Attendee['careerStage'];
  fields: string;
}
interface CheckInRow {
  event_id: string;
  device_id: string;
  desk: string;
  at: string;
  void_reason: string | null;
  voided: number;
}

const SELECT_REG = `
  SELECT r.id AS registration_id, r.stop_id, r.source, r.scan_token, a.id AS attendee_id, a.family_name, a.given_name,
         a.name_ko, a.email, a.affiliation, a.career_stage, a.fields
  FROM registrations r JOIN attendees a ON a.id = r.attendee_id`;

export function createRegistrationQueries(db: Db) {
  const byId = db.prepare<[string], RegRow>(`${SELECT_REG} WHERE r.id = ?`);
  const byToken = db.prepare<[string, string], RegRow>(`${SELECT_REG} WHERE r.stop_id = ? AND r.scan_token = ? ORDER BY r.hlc LIMIT 1`);
  const checkIns = db.prepare<[string], CheckInRow>(`
    SELECT c.event_id, c.device_id, c.desk, c.at,
           (SELECT v.reason FROM check_in_voids v WHERE v.check_in_event_id = c.event_id ORDER BY v.hlc LIMIT 1) AS void_reason,
           EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id) AS voided
    FROM check_ins c WHERE c.registration_id = ? ORDER BY c.hlc`);
  const checkInById = db.prepare<[string], { registration_id: string }>('SELECT registration_id FROM check_ins WHERE event_id = ?');
  const counts = db.prepare<[string], { registered: number; checked_in: number; walk_ins: number }>(`
    SELECT COUNT(*) AS registered,
           SUM(EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id
                       AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))) AS checked_in,
           SUM(r.source = 'walk_in') AS walk_ins
    FROM registrations r WHERE r.stop_id = ?`);
  const byStage = db.prepare<[string], { stage: string; n: number }>(`
    SELECT a.career_stage AS stage, COUNT(*) AS n FROM registrations r JOIN attendees a ON a.id = r.attendee_id
    WHERE r.stop_id = ? AND EXISTS (SELECT 1 FROM check_ins c WHERE c.registration_id = r.id
      AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id))
    GROUP BY a.career_stage`);

  function toView(r: RegRow): RegistrationView {
    const all: CheckInInfo[] = checkIns.all(r.registration_id).map((c) => ({
      eventId: c.event_id,
      deviceId: c.device_id,
      desk: c.desk,
      at: c.at,
      voided: c.voided === 1,
      voidReason: c.void_reason,
    }));
    const live = all.filter((c) => !c.voided);
    return {
      registrationId: r.registration_id,
      stopId: r.stop_id,
      source: r.source,
      scanToken: r.scan_token,
      attendee: {
        id: r.attendee_id,
        familyName: r.family_name,
        givenName: r.given_name,
        nameKo: r.name_ko,
        email: r.email,
        affiliation: r.affiliation,
        careerStage: r.career_stage,
        fields: JSON.parse(r.fields) as Attendee['fields'],
      },
      checkIn: live[0] ?? null,
      duplicateCheckIns: live.slice(1),
    };
  }

  return {
    byId(id: string): RegistrationView | null {
      const r = byId.get(id);
      return r ? toView(r) : null;
    },
    byToken(stopId: string, token: string): RegistrationView | null {
      const r = byToken.get(stopId, token.trim());
      return r ? toView(r) : null;
    },
    registrationOfCheckIn(eventId: string): string | null {
      return checkInById.get(eventId)?.registration_id ?? null;
    },
    /** Every token of the query must occur in the person's normalised text; names before other matches. */
    search(stopId: string, query: string, limit: number): RegistrationView[] {
      const tokens = normalizeQuery(query).split(/\s+/).filter(Boolean).slice(0, 6);
      const where = tokens.map(() => `instr(a.search_text, ?) > 0`).join(' AND ');
      const sql = `${SELECT_REG} WHERE r.stop_id = ? ${where ? `AND (${where} OR r.scan_token = ?)` : ''}
        ORDER BY (a.family_name || ' ' || a.given_name) COLLATE NOCASE, a.name_ko LIMIT ?`;
      const params: (string | number)[] = [stopId, ...tokens];
      if (where) params.push(query.trim());
      params.push(limit);
      return db.prepare<(string | number)[], RegRow>(sql).all(...params).map(toView);
    },
    counts(stopId: string): StopCounts {
      const c = counts.get(stopId)!;
      return {
        stopId,
        registered: c.registered,
        checkedIn: c.checked_in ?? 0,
        walkIns: c.walk_ins ?? 0,
        byCareerStage: Object.fromEntries(byStage.all(stopId).map((s) => [s.stage, s.n])),
      };
    },
  };
}
export type RegistrationQueries = ReturnType<typeof createRegistrationQueries>;
