import type { DeviceRole } from '../../../shared/sync/hqProtocol';
import { createConflictQueries, type DerivedConflict } from '../../../core/store/queries/conflictQueries';
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

const personName = (a: { familyName: string; givenName: string; nameKo: string }) => [a.nameKo, `${a.givenName} ${a.familyName}`.trim()].filter(Boolean).join(' · ') || '—';

/** A conflict as the dashboard shows it: the shared derivation (the desk lists the same) with its stop. */
export type ConflictItem = DerivedConflict & { stop: Stop };

/** Every open conflict of the tour, stop by stop, in a stable order (core/store/queries/conflictQueries.ts). */
export function conflictData(store: Store): ConflictItem[] {
  const stops = new Map(createMasterDataQueries(store.db).stops().map((s) => [s.id, s]));
  return createConflictQueries(store.db)
    .list()
    .map((c) => ({ ...c, stop: stops.get(c.stopId)! }));
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
