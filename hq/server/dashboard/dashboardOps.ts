import { followUpExportFile, type FollowUpExportFile, type FollowUpExportRequest } from '../../../core/export/followUpExportFile';
import type { Db } from '../../../core/store/sqlite';
import type { Language } from '../../../shared/vocab';
import { digestOf } from '../sqliteStorage';
import { PortalQueries, type LeadFilter, type LeadPage, type PortalExportFile, type PortalExportRequest } from '../portal/portalData';
import type { DigestRow } from '../storage';
import {
  conflictData,
  conflictPage,
  deviceStops,
  matchPage,
  matchSet,
  overviewData,
  stopReportData,
  type ConflictFilter,
  type ConflictItem,
  type ConflictPage,
  type MatchFilter,
  type MatchSet,
  type OverviewData,
  type Paged,
  type ProposalView,
  type StopReportData,
} from './dashboardData';
import { loadOutcomeModel, outcomeFigures, type OutcomeFigures, type OutcomeFilterInput } from './outcomeData';
import { outcomeExportFile, type OutcomeExportFile } from './outcomeExport';

/** The dashboard's reads, by name: what the worker thread answers (dashboardWorker.ts), or the fallback in-process. */
export interface DashboardOps {
  overview: { input: { page: number }; output: OverviewData };
  conflicts: { input: { page: number; filter: ConflictFilter }; output: ConflictPage };
  matches: { input: { page: number; filter: MatchFilter; dismissed: string[]; lang: Language }; output: Paged<ProposalView> };
  /** The devices' stops, and (SQLite log) their digests: hashing every event of a large log takes a while. */
  deviceDetails: { input: { deviceIds: string[]; lang: Language; digests: boolean }; output: { stops: Record<string, string | null>; digests: DigestRow[] | null } };
  stopReport: { input: { stopId: string }; output: StopReportData | null };
  followUpExport: { input: FollowUpExportRequest & { now: string }; output: FollowUpExportFile };
  /** The outcome dashboard's figures (issue #21, outcomeData.ts), and the same figures as a file. */
  outcomes: { input: OutcomeFilterInput; output: OutcomeFigures };
  outcomeExport: { input: { filter: OutcomeFilterInput; format: 'csv' | 'xlsx'; lang: Language; now: string }; output: OutcomeExportFile };
  /** The institution portal (issue #21, hq/server/portal): one page of an institution's consented leads, and their file. */
  portalLeads: { input: { institutionId: string; filter: LeadFilter; page: number; lang: Language }; output: LeadPage };
  portalExport: { input: PortalExportRequest; output: PortalExportFile };
}
export type DashboardOp = keyof DashboardOps;

/** The connections the reads use: HQ's projection store and, with the SQLite back end, its event log. */
export interface DashboardSources {
  db: Db;
  log: Db | null;
  /**
   * Whether results may be kept until the store changes. Only on a connection of its own (the
   * worker's): `PRAGMA data_version` tells of other connections' commits, never of its own.
   */
  cacheable: boolean;
}

/**
 * Runs the dashboard's reads. Derived lists that need every record (same-person proposals, the
 * tour's conflicts) are kept between requests until HQ's store changes, so the next page of a
 * list costs one page of rendering, not the whole derivation again.
 */
export class DashboardQueries {
  private cacheVersion: number | null = null;
  private readonly cache = new Map<string, unknown>();

  private readonly portal: PortalQueries;

  constructor(private readonly src: DashboardSources) {
    this.portal = new PortalQueries(src);
  }

  private memo<T>(key: string, make: () => T): T {
    if (!this.src.cacheable) return make();
    const version = this.src.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.cacheVersion) {
      this.cache.clear();
      this.cacheVersion = version;
    }
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = make();
    if (this.cache.size >= 64) this.cache.clear();
    this.cache.set(key, value);
    return value;
  }

  /** The facts are read once per change of the store; each filter's figures are kept beside them. */
  private outcomes(filter: OutcomeFilterInput): OutcomeFigures {
    return this.memo(`outcomes:${JSON.stringify(filter)}`, () => outcomeFigures(this.memo('outcomeModel', () => loadOutcomeModel(this.src.db)), filter));
  }

  async run<K extends DashboardOp>(op: K, input: DashboardOps[K]['input']): Promise<DashboardOps[K]['output']> {
    const handlers: { [P in DashboardOp]: (i: DashboardOps[P]['input']) => DashboardOps[P]['output'] | Promise<DashboardOps[P]['output']> } = {
      overview: ({ page }) => this.memo(`overview:${page}`, () => overviewData(this.src, page)),
      conflicts: ({ page, filter }) => conflictPage(this.memo<ConflictItem[]>('conflicts', () => conflictData(this.src)), filter, page),
      matches: ({ page, filter, dismissed, lang }) => matchPage(this.src, this.memo<MatchSet>('matches', () => matchSet(this.src)), new Set(dismissed), filter, page, lang),
      deviceDetails: ({ deviceIds, lang, digests }) => ({
        stops: deviceStops(this.src, deviceIds, lang),
        digests: digests && this.src.log ? digestOf(this.src.log, deviceIds) : null,
      }),
      stopReport: ({ stopId }) => this.memo(`report:${stopId}`, () => stopReportData(this.src, stopId)),
      followUpExport: ({ now, ...req }) => followUpExportFile(this.src.db, req, new Date(now)),
      outcomes: (filter) => this.outcomes(filter),
      outcomeExport: ({ filter, format, lang, now }) => outcomeExportFile(this.outcomes(filter), format, lang, new Date(now)),
      portalLeads: (i) => this.portal.leads(i),
      portalExport: (i) => this.portal.export(i),
    };
    return (handlers[op] as (i: DashboardOps[K]['input']) => DashboardOps[K]['output'] | Promise<DashboardOps[K]['output']>)(input);
  }
}
