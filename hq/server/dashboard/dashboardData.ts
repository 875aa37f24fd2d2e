import type { DeviceRole } from '../../../shared/sync/hqProtocol';
import { createConflictQueries, type DerivedConflict } from '../../../core/store/queries/conflictQueries';
import { createMasterDataQueries } from '../../../core/store/queries/masterDataQueries';
import { createSessionCheckinQueries } from '../../../core/store/queries/sessionCheckinQueries';
import type { SessionCounts } from '../../../shared/ipc/sessionCheckinContract';
import { createTourQueries, type StopFigures, type TourFigures } from '../../../core/store/queries/tourQueries';
import type { Db } from '../../../core/store/sqlite';
import { pairKey, proposeMatches, type MatchCandidate, type MatchProposal, type MatchRule } from '../../../core/domain/personMatch';
import { normalizeLatin } from '../../../core/domain/searchText';
import type { Stop, StopSession } from '../../../shared/schemas/masterData';
import type { Language } from '../../../shared/vocab';
import type { DeviceRecord } from '../storage';

/**
 * What the dashboard pages show, read from HQ's projection store (the same tables a laptop has).
 * Every list comes one bounded page at a time (PAGE_SIZE rows, totals counted): with 100,000 people
 * at HQ no page renders more than a page of rows. These functions only read, so they run on the
 * dashboard's worker thread with its own read-only connection (dashboardWorker.ts), off the thread
 * that serves sync.
 */
export const stopLabel = (s: Pick<Stop, 'round' | 'city' | 'cityKo'>, lang: Language): string => `${s.round} ${lang === 'ko' && s.cityKo ? s.cityKo : s.city}`;

/** Rows per page of every dashboard list. */
export const PAGE_SIZE = 100;
/** Stops side by side on one page of the overview (columns of its tables and charts). */
export const OVERVIEW_STOPS = 12;

/** One page of a list: its rows, and where it is in the whole. `page` counts from 1. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** The page asked for, clamped to the pages there are (a stale link past the end shows the last page). */
export function pageOf<T>(all: readonly T[], page: number, size = PAGE_SIZE): Paged<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(pages, Math.max(1, Math.floor(page) || 1));
  return { items: all.slice((p - 1) * size, p * size), total: all.length, page: p, pages, pageSize: size };
}

/** A store to read: the projections' connection (Store.db or a read-only one); a Store passes as it is. */
export interface ProjectionSource {
  db: Db;
}

// ---- overview ----

export interface OverviewData {
  /** How many stops HQ knows (planned or synced). */
  stopCount: number;
  /** This page of the stops with any activity, side by side. */
  stops: Stop[];
  figures: StopFigures[];
  /** Stops with activity, all pages. */
  activeTotal: number;
  page: number;
  pages: number;
  tour: TourFigures;
}

/**
 * Stops with registrations or consultations, a page of them with their figures (COUNT queries,
 * no row of a person leaves SQLite), and the tour's totals.
 */
export function overviewData({ db }: ProjectionSource, page = 1): OverviewData {
  const stops = createMasterDataQueries(db).stops();
  const activeIds = new Set(
    db
      .prepare<[], { stop_id: string }>('SELECT stop_id FROM registrations GROUP BY stop_id UNION SELECT stop_id FROM consultations GROUP BY stop_id')
      .all()
      .map((r) => r.stop_id),
  );
  const paged = pageOf(
    stops.filter((s) => activeIds.has(s.id)),
    page,
    OVERVIEW_STOPS,
  );
  const q = createTourQueries(db);
  return { stopCount: stops.length, stops: paged.items, figures: paged.items.map((s) => q.stopFigures(s.id)), activeTotal: paged.total, page: paged.page, pages: paged.pages, tour: q.tourFigures() };
}

const personName = (a: { familyName: string; givenName: string; nameKo: string }) => [a.nameKo, `${a.givenName} ${a.familyName}`.trim()].filter(Boolean).join(' · ') || '—';

// ---- conflicts ----

/** A conflict as the dashboard shows it: the shared derivation (the desk lists the same) with its stop. */
export type ConflictItem = DerivedConflict & { stop: Stop };
export type ConflictKind = ConflictItem['kind'];
export const CONFLICT_KINDS: readonly ConflictKind[] = ['double_check_in', 'booking', 'consultation'];

/** Every open conflict of the tour (or of one stop), stop by stop, in a stable order (core/store/queries/conflictQueries.ts). */
export function conflictData({ db }: ProjectionSource, stopId?: string): ConflictItem[] {
  const stops = new Map(createMasterDataQueries(db).stops().map((s) => [s.id, s]));
  return createConflictQueries(db)
    .list(stopId)
    .map((c) => ({ ...c, stop: stops.get(c.stopId)! }));
}

export interface ConflictFilter {
  stopId?: string | undefined;
  kind?: ConflictKind | undefined;
}

export interface ConflictPage extends Paged<ConflictItem> {
  /** Stops that have open conflicts (the stop filter's choices), with how many each. */
  stops: { stop: Stop; count: number }[];
}

/** One page of the open conflicts matching the filter. `all` is the whole derivation (a caller may keep it between pages). */
export function conflictPage(all: readonly ConflictItem[], filter: ConflictFilter, page: number): ConflictPage {
  const counts = new Map<string, { stop: Stop; count: number }>();
  for (const c of all) {
    const e = counts.get(c.stopId);
    if (e) e.count++;
    else counts.set(c.stopId, { stop: c.stop, count: 1 });
  }
  const shown = all.filter((c) => (filter.stopId === undefined || c.stopId === filter.stopId) && (filter.kind === undefined || c.kind === filter.kind));
  return { ...pageOf(shown, page), stops: [...counts.values()] };
}

// ---- same-person proposals ----

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

interface AttendeeRow {
  id: string;
  canonical_id: string;
  family_name: string;
  given_name: string;
  name_ko: string;
  email: string;
  affiliation: string;
  created_hlc: string;
}

/**
 * Every proposal (before the admins' dismissals) with the records it names. Proposing needs every
 * record (core/domain/personMatch.ts); the dashboard's worker keeps this until the store changes.
 */
export interface MatchSet {
  proposals: MatchProposal[];
  records: Map<string, { name: string; email: string; affiliation: string; search: string }>;
}

export function matchSet({ db }: ProjectionSource): MatchSet {
  const rows = db
    .prepare<[], AttendeeRow>(`
      SELECT a.id, COALESCE(ac.canonical_id, a.id) AS canonical_id, a.family_name, a.given_name, a.name_ko, a.email, a.affiliation, a.created_hlc
      FROM attendees a LEFT JOIN attendee_canonical ac ON ac.attendee_id = a.id`)
    .all();
  const candidates: MatchCandidate[] = rows.map((r) => ({ id: r.id, canonicalId: r.canonical_id, familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko, email: r.email, affiliation: r.affiliation, createdHlc: r.created_hlc }));
  const proposals = proposeMatches(candidates);
  const named = new Set(proposals.flatMap((p) => [p.fromId, p.intoId]));
  const records: MatchSet['records'] = new Map();
  for (const r of rows) {
    if (!named.has(r.id)) continue;
    const name = personName({ familyName: r.family_name, givenName: r.given_name, nameKo: r.name_ko });
    records.set(r.id, { name, email: r.email, affiliation: r.affiliation, search: searchKey(`${name} ${r.email} ${r.affiliation}`) });
  }
  return { proposals, records };
}

const searchKey = (text: string): string => normalizeLatin(text.normalize('NFC'));

export interface MatchFilter {
  /** Words of a name, an email or an affiliation, in either record. */
  q?: string | undefined;
  rule?: MatchRule | undefined;
}

/** One page of the proposals left after the dismissals and the filter, with what an admin needs to decide. */
export function matchPage(source: ProjectionSource, set: MatchSet, dismissed: ReadonlySet<string>, filter: MatchFilter, page: number, lang: Language): Paged<ProposalView> {
  const words = filter.q ? searchKey(filter.q).split(/\s+/).filter(Boolean) : [];
  const hit = (id: string, w: string) => set.records.get(id)?.search.includes(w) ?? false;
  const shown = set.proposals.filter(
    (p) =>
      !dismissed.has(pairKey(p.fromId, p.intoId)) &&
      (filter.rule === undefined || p.rules.includes(filter.rule)) &&
      words.every((w) => hit(p.fromId, w) || hit(p.intoId, w)),
  );
  const paged = pageOf(shown, page);
  const view = recordViews(source, set, lang);
  return { ...paged, items: paged.items.map((p) => ({ from: view(p.fromId), into: view(p.intoId), rules: p.rules })) };
}

function recordViews({ db }: ProjectionSource, set: MatchSet, lang: Language): (id: string) => RecordView {
  // The stops of the record's whole merged group (indexes on registrations.attendee_id and attendee_canonical.canonical_id).
  const stopsOf = db.prepare<[string, string], { round: string; city: string; city_ko: string }>(`
    SELECT DISTINCT s.round, s.city, s.city_ko, s.date FROM registrations r JOIN stops s ON s.id = r.stop_id
    WHERE r.attendee_id IN (SELECT ? UNION SELECT attendee_id FROM attendee_canonical WHERE canonical_id = ?) ORDER BY s.date`);
  return (id) => {
    const r = set.records.get(id);
    return {
      id,
      name: r?.name ?? id,
      email: r?.email ?? '',
      affiliation: r?.affiliation ?? '',
      stops: [...new Set(stopsOf.all(id, id).map((s) => stopLabel({ round: s.round, city: s.city, cityKo: s.city_ko }, lang)))],
    };
  };
}

/** Every proposal at once, as views (tests and small stores; the dashboard pages them). */
export function matchData(source: ProjectionSource, admin: { dismissedMatches(): ReadonlySet<string> }, lang: Language): ProposalView[] {
  return allPages(source, matchSet(source), admin.dismissedMatches(), lang);
}

function allPages(source: ProjectionSource, set: MatchSet, dismissed: ReadonlySet<string>, lang: Language): ProposalView[] {
  const out: ProposalView[] = [];
  for (let page = 1; ; page++) {
    const p = matchPage(source, set, dismissed, {}, page, lang);
    out.push(...p.items);
    if (page >= p.pages) return out;
  }
}

// ---- devices ----

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

/** Each device's stop: where most of its events are (counted per device and stop by HQ's fold, hqFold.ts). */
export function deviceStops({ db }: ProjectionSource, deviceIds: readonly string[], lang: Language): Record<string, string | null> {
  const stopOf = db.prepare<[string], { round: string; city: string; city_ko: string }>(`
    SELECT s.round, s.city, s.city_ko FROM hq_device_stops d JOIN stops s ON s.id = d.stop_id WHERE d.device_id = ?
    ORDER BY d.events DESC, d.last_hlc DESC LIMIT 1`);
  const out: Record<string, string | null> = {};
  for (const id of deviceIds) {
    const s = stopOf.get(id);
    out[id] = s ? stopLabel({ round: s.round, city: s.city, cityKo: s.city_ko }, lang) : null;
  }
  return out;
}

/** A page of devices as the Devices page shows them. */
export function deviceViews(devices: readonly DeviceRecord[], stops: Record<string, string | null>, digests: readonly { deviceId: string; count: number; maxSeq: number; hash: string }[], seen: ReadonlyMap<string, { at: string }>): DeviceView[] {
  const digestOf = new Map(digests.map((d) => [d.deviceId, d]));
  return devices.map((d) => {
    const g = digestOf.get(d.deviceId);
    return {
      deviceId: d.deviceId,
      label: d.label,
      enrolledAt: d.enrolledAt,
      revokedAt: d.revokedAt,
      role: d.role,
      stop: stops[d.deviceId] ?? null,
      lastSync: seen.get(d.deviceId)?.at ?? null,
      digest: g ? { count: g.count, maxSeq: g.maxSeq, hash: g.hash } : null,
    };
  });
}

// ---- a stop's report ----

/** A stop's one-page report: attendance, walk-ins, consultations per institution, follow-ups owed, conflicts left. */
export interface StopReportData {
  stop: Stop;
  figures: StopFigures;
  /** The stop's open conflicts (the report counts them by kind). */
  conflicts: ConflictItem[];
  /** The programme with each session's attendance (session check-in, issue #19). */
  sessions: { session: StopSession; counts: SessionCounts | null }[];
}

/** Bounded by the stop's plan (its sessions, its institutions), never by its people: figures are COUNT queries. */
export function stopReportData(source: ProjectionSource, stopId: string): StopReportData | null {
  const { db } = source;
  const master = createMasterDataQueries(db);
  const stop = master.stop(stopId);
  if (!stop) return null;
  const counts = new Map(createSessionCheckinQueries(db).counts(stopId).map((c) => [c.sessionId, c]));
  const sessions = master.sessions(stopId).map((session) => ({ session, counts: counts.get(session.id) ?? null }));
  return { stop, figures: createTourQueries(db).stopFigures(stopId), conflicts: conflictData(source, stopId), sessions };
}
