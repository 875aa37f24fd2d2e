import type { DeviceRole } from '../../../shared/sync/hqProtocol';
import { createBoothQueries } from '../../../core/store/queries/boothQueries';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createTourQueries, type StopFigures, type TourFigures } from '../../../core/store/queries/tourQueries';
import type { Store } from '../../../core/store/openStore';
import { proposeMatches, type MatchCandidate, type MatchRule } from '../../../core/domain/personMatch';
import type { Stop } from '../../../shared/schemas/masterData';
import type { Language } from '../../../shared/vocab';
import type { AdminStore } from '../admin/adminStore';
import type { HqStorage } from '../storage';

/** What the dashboard pages show, read from HQ's projection store (the same tables a laptop has). */
export const stopLabel = (s: Pick<Stop, 'round' | 'city' | 'cityKo'>, lang: Language): string => `${s.round} ${lang === 'ko' && s.cityKo ? s.cityKo : s.city}`;

export interface OverviewData {
  stops: Stop[];
  figures: StopFigures[];
  tour: TourFigures;
}

export function overviewData(store: Store): OverviewData {
  const stops = createMasterDataQueries(store.db).stops();
  const q = createTourQueries(store.db);
  return { stops, figures: stops.map((s) => q.stopFigures(s.id)), tour: q.tourFigures() };
}

export type ConflictItem =
  | { kind: 'double_check_in'; stop: Stop; name: string; first: { at: string; desk: string }; second: { at: string; desk: string; eventId: string } }
  | { kind: 'booking'; stop: Stop; conflict: 'over_capacity' | 'double_booked' | 'off_plan'; bookingId: string; name: string; booth: string; slotStart: string }
  | { kind: 'consultation'; stop: Stop; consultationId: string; institution: string; visitor: string; heads: number };

const personName = (a: { familyName: string; givenName: string; nameKo: string }) => [a.nameKo, `${a.givenName} ${a.familyName}`.trim()].filter(Boolean).join(' · ') || '—';

/** Every open conflict of the tour, stop by stop, in a stable order. */
export function conflictData(store: Store): ConflictItem[] {
  const db = store.db;
  const stops = createMasterDataQueries(db).stops();
  const booths = createBoothQueries(db);
  const doubles = db.prepare<[string], { registration_id: string; family_name: string; given_name: string; name_ko: string; event_id: string; desk: string; at: string; first_desk: string; first_at: string }>(`
    WITH live AS (
      SELECT c.* FROM check_ins c WHERE c.stop_id = ? AND NOT EXISTS (SELECT 1 FROM check_in_voids v WHERE v.check_in_event_id = c.event_id)
    ), ranked AS (
      SELECT live.*, ROW_NUMBER() OVER (PARTITION BY registration_id ORDER BY hlc) AS n,
             FIRST_VALUE(desk) OVER (PARTITION BY registration_id ORDER BY hlc) AS first_desk,
             FIRST_VALUE(at) OVER (PARTITION BY registration_id ORDER BY hlc) AS first_at
      FROM live
    )
    SELECT r.registration_id, a.family_name, a.given_name, a.name_ko, r.event_id, r.desk, r.at, r.first_desk, r.first_at
    FROM ranked r LEFT JOIN attendees a ON a.id = r.attendee_id WHERE r.n > 1 ORDER BY r.hlc`);
  const consultations = db.prepare<[string], { consultation_id: string; short_name: string | null; visitor_label: string; head_ids: string; family_name: string | null; given_name: string | null; name_ko: string | null }>(`
    SELECT cur.consultation_id, i.short_name, c.visitor_label, cur.head_ids, a.family_name, a.given_name, a.name_ko
    FROM consultation_current cur JOIN consultations c ON c.id = cur.consultation_id
    LEFT JOIN institutions i ON i.id = c.institution_id LEFT JOIN attendees a ON a.id = c.attendee_id
    WHERE cur.conflict = 1 AND c.stop_id = ? ORDER BY c.at, c.id`);
  const out: ConflictItem[] = [];
  for (const stop of stops) {
    for (const d of doubles.all(stop.id)) {
      out.push({
        kind: 'double_check_in',
        stop,
        name: personName({ familyName: d.family_name ?? '', givenName: d.given_name ?? '', nameKo: d.name_ko ?? '' }),
        first: { at: d.first_at, desk: d.first_desk },
        second: { at: d.at, desk: d.desk, eventId: d.event_id },
      });
    }
    for (const c of booths.conflictsOf(stop.id, stop.date, stop.timeZone).conflicts) {
      for (const id of c.conflictedBookingIds) {
        const b = c.bookings.find((x) => x.bookingId === id);
        const ref = booths.boothRef(c.boothId);
        out.push({ kind: 'booking', stop, conflict: c.kind, bookingId: id, name: b ? personName(b.attendee) : id, booth: ref ? `${ref.shortName} ${ref.location}` : c.boothId, slotStart: c.slotStart });
      }
    }
    for (const c of consultations.all(stop.id)) {
      const visitor = c.family_name !== null ? personName({ familyName: c.family_name, givenName: c.given_name ?? '', nameKo: c.name_ko ?? '' }) : c.visitor_label || '—';
      out.push({ kind: 'consultation', stop, consultationId: c.consultation_id, institution: c.short_name ?? '', visitor, heads: (JSON.parse(c.head_ids) as string[]).length });
    }
  }
  return out;
}

export interface RecordView {
  id: string;
  name: string;
  email: string;
  affiliation: string;
  stops: string[];
}

export interface ProposalView {
  from: RecordView;
  into: RecordView;
  rules: MatchRule[];
}

/** HQ's match proposals, with what an admin needs to decide. */
export function matchData(store: Store, admin: AdminStore, lang: Language): ProposalView[] {
  const db = store.db;
  const rows = db
    .prepare<[], { id: string; canonical_id: string; family_name: string; given_name: string; name_ko: string; email: string; affiliation: string; created_hlc: string }>(`
      SELECT a.id, COALESCE(ac.canonical_id, a.id) AS canonical_id, a.family_name, a.given_name, a.name_ko, a.email, a.affiliation, a.created_hlc
      FROM attendees a LEFT JOIN attendee_canonical ac ON ac.attendee_id = a.id`)
    .all();
  const candidates: MatchCandidate[] = rows.map((r) => ({ id: r.id, canonicalId: r.canonical_id, familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko, email: r.email, affiliation: r.affiliation, createdHlc: r.created_hlc }));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const stopsOf = db.prepare<[string, string], { round: string; city: string; city_ko: string }>(`
    SELECT DISTINCT s.round, s.city, s.city_ko FROM registrations r JOIN stops s ON s.id = r.stop_id
    WHERE r.attendee_id = ? OR r.attendee_id IN (SELECT attendee_id FROM attendee_canonical WHERE canonical_id = ?) ORDER BY s.date`);
  const view = (id: string): RecordView => {
    const r = byId.get(id);
    return {
      id,
      name: r ? personName({ familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko }) : id,
      email: r?.email ?? '',
      affiliation: r?.affiliation ?? '',
      stops: [...stopsOf.all(id, id)].map((s) => stopLabel({ round: s.round, city: s.city, cityKo: s.city_ko }, lang)),
    };
  };
  return proposeMatches(candidates, admin.dismissedMatches()).map((p) => ({ from: view(p.fromId), into: view(p.intoId), rules: p.rules }));
}

export interface DeviceView {
  deviceId: string;
  label: string;
  enrolledAt: string;
  revokedAt: string | null;
  role: DeviceRole;
  stop: string | null;
  lastSync: string | null;
  digest: { count: number; maxSeq: number; hash: string } | null;
}

/** Devices with their stop (where most of their events are), last sync and HQ's digest of their events. */
export async function deviceData(store: Store, storage: HqStorage, admin: AdminStore, lang: Language): Promise<DeviceView[]> {
  const [devices, digests] = await Promise.all([storage.listDevices(), storage.digest()]);
  const seen = admin.lastSeen();
  const digestOf = new Map(digests.map((d) => [d.deviceId, d]));
  const stopOf = store.db.prepare<[string], { round: string; city: string; city_ko: string }>(`
    SELECT s.round, s.city, s.city_ko FROM events e JOIN stops s ON s.id = e.stop_id WHERE e.device_id = ?
    GROUP BY e.stop_id ORDER BY COUNT(*) DESC, MAX(e.hlc) DESC LIMIT 1`);
  return devices.map((d) => {
    const s = stopOf.get(d.deviceId);
    const g = digestOf.get(d.deviceId);
    return {
      deviceId: d.deviceId,
      label: d.label,
      enrolledAt: d.enrolledAt,
      revokedAt: d.revokedAt,
      role: d.role,
      stop: s ? stopLabel({ round: s.round, city: s.city, cityKo: s.city_ko }, lang) : null,
      lastSync: seen.get(d.deviceId)?.at ?? null,
      digest: g ? { count: g.count, maxSeq: g.maxSeq, hash: g.hash } : null,
    };
  });
}
